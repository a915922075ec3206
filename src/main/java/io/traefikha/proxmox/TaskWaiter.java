package io.traefikha.proxmox;

import java.time.Duration;
import java.util.List;

/**
 * Waits for a Proxmox task: polls its status on the node named in the UPID with growing intervals until it has
 * stopped or the timeout has passed. "OK" and "WARNINGS: n" are success; anything else (the error text) fails
 * with the last lines of the task log attached.
 */
public final class TaskWaiter {

    private final ProxmoxApi api;
    private final Duration firstPoll;
    private final Duration maxPoll;
    private final int logTailLines;

    /** @param logTailLines how many of the last log lines a failure carries */
    public TaskWaiter(ProxmoxApi api, Duration firstPoll, Duration maxPoll, int logTailLines) {
        if (firstPoll.isNegative() || firstPoll.isZero() || maxPoll.compareTo(firstPoll) < 0 || logTailLines < 1) {
            throw new IllegalArgumentException("need 0 < firstPoll <= maxPoll and logTailLines >= 1");
        }
        this.api = api;
        this.firstPoll = firstPoll;
        this.maxPoll = maxPoll;
        this.logTailLines = logTailLines;
    }

    /** Polls after 100 ms, growing by half each time up to 2 s; failures carry 20 log lines. */
    public static TaskWaiter withDefaults(ProxmoxApi api) {
        return new TaskWaiter(api, Duration.ofMillis(100), Duration.ofSeconds(2), 20);
    }

    /**
     * @return the final status of a successful task
     * @throws ProxmoxTaskException when the task failed, or is still running after {@code timeout}
     */
    public TaskStatus await(Upid upid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = firstPoll;
        while (true) {
            TaskStatus status = api.taskStatus(upid);
            if (!status.running()) {
                if (status.succeeded()) {
                    return status;
                }
                throw new ProxmoxTaskException(upid, status.exitstatus() == null ? "unexpected status" : status.exitstatus(), logTail(upid));
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new ProxmoxTaskException(upid, null, logTail(upid));
            }
            sleep(Math.min(pause.toNanos(), remaining));
            pause = Duration.ofNanos(Math.min(maxPoll.toNanos(), pause.toNanos() * 3 / 2));
        }
    }

    /** The last lines of the log: one call to learn its length, one for the tail. */
    private List<String> logTail(Upid upid) {
        try {
            int total = api.taskLog(upid, 0, 1).total();
            return api.taskLog(upid, Math.max(0, total - logTailLines), logTailLines).texts();
        } catch (ProxmoxException e) {
            return List.of("(task log unavailable: " + e.getMessage() + ")");
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Proxmox task", e);
        }
    }
}
