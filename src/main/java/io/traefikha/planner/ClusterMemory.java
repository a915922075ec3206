package io.traefikha.planner;

import io.traefikha.sync.SyncMemory;
import java.time.Instant;

/**
 * What the operator remembers between reconciles of one resource, decoded once at the start of a round from the
 * status and handed to the planners and steps that need it; the round's updates go back to the status at its end.
 * Facts that must survive a crash or a lost status are not here but in {@link DurableState}.
 *
 * @param snapshotUnsupported         the primary's storage refused a snapshot (kept while the secondary is missing)
 * @param splitBrain                  the split brain last found, or null
 * @param lsyncdRunByOperator         the operator runs lsyncd on the primary, so leaving Lsyncd mode stops it
 * @param sync                        what the last config sync round left for the next
 * @param handover                    where a day-2 operation wanted the VIP, or null
 * @param rollout                     the last rolling upgrade or restart, or null
 */
public record ClusterMemory(boolean snapshotUnsupported, SplitBrain splitBrain, boolean lsyncdRunByOperator,
        SyncMemory sync, HandoverPlanner.Memory handover, RollingPlanner.Memory rollout) {

    public static final ClusterMemory NONE = new ClusterMemory(false, null, false, SyncMemory.EMPTY, null, null);

    /** A split brain with its cause (a {@link NodePlanner} reason) and since when one is seen. */
    public record SplitBrain(String cause, Instant since) {
    }

    public ClusterMemory withSnapshotUnsupported(boolean unsupported) {
        return new ClusterMemory(unsupported, splitBrain, lsyncdRunByOperator, sync, handover, rollout);
    }

    public ClusterMemory withSplitBrain(SplitBrain now) {
        return new ClusterMemory(snapshotUnsupported, now, lsyncdRunByOperator, sync, handover, rollout);
    }

    public ClusterMemory withLsyncdRunByOperator(boolean running) {
        return new ClusterMemory(snapshotUnsupported, splitBrain, running, sync, handover, rollout);
    }
}
