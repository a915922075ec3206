package io.traefikha.proxmox;

import java.util.List;

/** A Proxmox task that ended in an error, or did not end in time; carries the end of its log. */
public class ProxmoxTaskException extends RuntimeException {

    private final Upid upid;
    private final String exitStatus;
    private final List<String> lastLogLines;

    public ProxmoxTaskException(Upid upid, String exitStatus, List<String> lastLogLines) {
        super(describe(upid, exitStatus, lastLogLines));
        this.upid = upid;
        this.exitStatus = exitStatus;
        this.lastLogLines = List.copyOf(lastLogLines);
    }

    private static String describe(Upid upid, String exitStatus, List<String> lastLogLines) {
        String head = exitStatus == null
                ? "task " + upid.type() + " " + upid.id() + " on " + upid.node() + " did not finish in time"
                : "task " + upid.type() + " " + upid.id() + " on " + upid.node() + " failed: " + exitStatus;
        return lastLogLines.isEmpty() ? head : head + "\n  " + String.join("\n  ", lastLogLines);
    }

    public Upid upid() {
        return upid;
    }

    /** The task's exitstatus (the error text), or null when the wait timed out while the task was still running. */
    public String exitStatus() {
        return exitStatus;
    }

    public boolean timedOut() {
        return exitStatus == null;
    }

    public List<String> lastLogLines() {
        return lastLogLines;
    }
}
