package io.traefikha.planner;

import io.traefikha.api.v1alpha1.BackupSpec;
import io.traefikha.domain.ContainerObservation;

/**
 * Whether and how the backup of the primary is taken before the operator's first change: exactly once per resource,
 * even across operator restarts. A pure decision over the spec, the backup record in the state ConfigMap (written before
 * the vzdump is started, then with its task id, then with its archive) and what Proxmox shows. Table-tested.
 */
public final class BackupPlanner {

    /** What the backup step does this round. */
    public enum Stage {
        /** The record names the archive: nothing to do, provisioning goes on. */
        TAKEN,
        /** spec.backup.mode None and nothing recorded. */
        NOT_WANTED,
        /** The secondary was made before backups were taken (an older operator): the first change is long done. */
        PAIR_EXISTED,
        /** The primary is not found; the secondary step says so, and nothing is changed. */
        PRIMARY_MISSING,
        /** Dry run: the backup is only reported as planned. */
        DRY_RUN,
        /** Preflight failed: no vzdump is started (it writes to a storage) until it passes. */
        BLOCKED,
        /** The primary is locked: a vzdump (ours, started before a crash) or another task runs; look again soon. */
        WAIT_LOCKED,
        /** The task was started and its id stored: wait for it, however many restarts ago it began. */
        AWAIT,
        /**
         * Asked for, but the task id was never stored (a crash between asking and storing): the archive is looked for on
         * the storage first, and only when none was made since is a vzdump started again.
         */
        FIND_OR_START,
        /** Nothing asked for yet: store the record, then start the vzdump. */
        START
    }

    private BackupPlanner() {
    }

    /**
     * @param record         the backup record, or null
     * @param secondaryOurs  a secondary exists and carries this resource's ownership marker
     */
    public static Stage decide(BackupSpec spec, DurableState.Backup record, ContainerObservation primary,
            boolean secondaryOurs, boolean dryRun, boolean proxmoxChangesBlocked) {
        if (record != null && record.taken()) {
            return Stage.TAKEN;
        }
        if (record == null && spec.mode == BackupSpec.Mode.None) {
            return Stage.NOT_WANTED;
        }
        if (record == null && secondaryOurs) {
            return Stage.PAIR_EXISTED;
        }
        if (!primary.exists()) {
            return Stage.PRIMARY_MISSING;
        }
        if (dryRun) {
            return Stage.DRY_RUN;
        }
        if (record != null && record.upid() != null) {
            return Stage.AWAIT;
        }
        if (record != null) {
            return primary.locked() ? Stage.WAIT_LOCKED : Stage.FIND_OR_START;
        }
        if (proxmoxChangesBlocked) {
            return Stage.BLOCKED;
        }
        return primary.locked() ? Stage.WAIT_LOCKED : Stage.START;
    }
}
