package io.traefikha.simulator.proxmox;

import java.util.ArrayList;
import java.util.List;

/** A worker task of one node: its UPID, its log and, once stopped, its exit status. Guarded by the cluster lock. */
final class SimTask {

    final String upid;
    final String node;
    final long pid;
    final long pstart;
    final long startTime;
    final String type;
    final String id;
    final String user;
    final List<String> log = new ArrayList<>();
    String exitStatus;

    SimTask(String node, long pid, long pstart, long startTime, String type, String id, String user) {
        this.node = node;
        this.pid = pid;
        this.pstart = pstart;
        this.startTime = startTime;
        this.type = type;
        this.id = id;
        this.user = user;
        this.upid = String.format("UPID:%s:%08X:%08X:%08X:%s:%s:%s:", node, pid, pstart, startTime, type, id, user);
    }

    boolean running() {
        return exitStatus == null;
    }

    /** A worker killed before it could write its last line: the log just stops, and Proxmox reports this status. */
    void killed() {
        exitStatus = "unexpected status";
    }

    void finish(String errorOrNull, int warnings) {
        if (errorOrNull != null) {
            log.add("TASK ERROR: " + errorOrNull);
            exitStatus = errorOrNull;
        } else if (warnings > 0) {
            log.add("TASK WARNINGS: " + warnings);
            exitStatus = "WARNINGS: " + warnings;
        } else {
            log.add("TASK OK");
            exitStatus = "OK";
        }
    }
}
