package io.traefikha.step;

import io.traefikha.api.v1alpha1.BackupSpec;
import io.traefikha.api.v1alpha1.BackupStatus;
import io.traefikha.domain.BackupVolume;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.gateway.ProxmoxGateway;
import io.traefikha.gateway.ProxmoxGateway.BackupTask;
import io.traefikha.planner.BackupPlanner;
import io.traefikha.planner.DurableState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The backup of the primary before anything is written to it (the clone's snapshot, the firewall, keepalived): a vzdump
 * to spec.backup.storage, taken once per resource ({@link BackupPlanner}). Each stage is stored in the state ConfigMap
 * before the next begins, so an operator that dies mid-backup finds the task or the archive and never starts a second
 * one blindly. Until the backup is taken the round stops here; a failed backup blocks provisioning with a condition
 * that says why and how to fix it, and is tried again in the next round. Once taken it costs no call.
 */
public final class BackupStep implements ReconcileStep {

    private static final Logger LOG = Logger.getLogger(BackupStep.class);
    private final EventRecorder events;

    public BackupStep(EventRecorder events) {
        this.events = events;
    }

    @Override
    public Next apply(Round round) {
        BackupSpec wanted = round.spec().backupOrDefault();
        DurableState.Backup record;
        try {
            record = round.durable().backup();
        } catch (ExternalSystemException e) {
            round.unreachable(ConditionTypes.BACKUP_TAKEN, e);
            return Next.STOP;
        }
        mirror(round, record);
        if (record != null && record.taken()) {
            taken(round, record);
            return Next.CONTINUE;
        }
        if (record == null && wanted.mode == BackupSpec.Mode.None) {
            round.status().condition(ConditionTypes.BACKUP_TAKEN, true, "NotWanted", "spec.backup.mode is None: no backup"
                    + " is taken before the operator's first change");
            return Next.CONTINUE;
        }
        ProxmoxGateway proxmox = round.connections().proxmox();
        ProxmoxObservation seen;
        try {
            seen = proxmox.observe();
        } catch (ExternalSystemException e) {
            return Next.CONTINUE; // the secondary step reports the outage and decides what can go on without Proxmox
        }
        ContainerObservation primary = seen.primary();
        String uid = round.resource().getMetadata().getUid();
        boolean secondaryOurs = round.spec().secondaryRoles().stream().map(seen::container)
                .anyMatch(ct -> ct.exists() && Ownership.ownedBy(ct, uid));
        BackupPlanner.Stage stage = BackupPlanner.decide(wanted, record, primary, secondaryOurs, round.dryRun(),
                round.proxmoxChangesBlocked());
        int vmid = round.spec().primary.vmid;
        try {
            switch (stage) {
                case PAIR_EXISTED -> {
                    round.status().condition(ConditionTypes.BACKUP_TAKEN, true, "PairExisted", "a secondary was made before"
                            + " this operator took backups, so the first change is done; no backup is taken now");
                    return Next.CONTINUE;
                }
                case PRIMARY_MISSING, TAKEN, NOT_WANTED -> {
                    return Next.CONTINUE;
                }
                case DRY_RUN -> {
                    round.planned(describe(vmid, primary.node(), wanted.storage));
                    round.status().condition(ConditionTypes.BACKUP_TAKEN, false, "DryRun", "would " + describe(vmid,
                            primary.node(), wanted.storage) + " (spec.dryRun: nothing is taken)");
                    return Next.CONTINUE;
                }
                case BLOCKED -> {
                    round.status().condition(ConditionTypes.BACKUP_TAKEN, false, "PreflightFailed", "the backup of CT " + vmid
                            + " waits until preflight passes; nothing is changed before it is taken");
                    return Next.CONTINUE;
                }
                case WAIT_LOCKED -> {
                    round.status().condition(ConditionTypes.BACKUP_TAKEN, false, "Waiting", "primary CT " + vmid
                            + " is locked (" + primary.lock() + "); the backup waits for Proxmox to finish");
                    round.lookAgainSoon();
                    return Next.STOP;
                }
                case FIND_OR_START -> {
                    Optional<BackupVolume> found = madeSince(proxmox, record, vmid);
                    if (found.isPresent()) {
                        return recordTaken(round, record, found.get());
                    }
                    return start(round, proxmox, wanted, primary.node(), vmid);
                }
                case START -> {
                    return start(round, proxmox, wanted, primary.node(), vmid);
                }
                case AWAIT -> {
                    return await(round, proxmox, record, vmid);
                }
                default -> throw new IllegalStateException("unknown stage " + stage);
            }
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: backup: %s", round.id(), e.getMessage());
            round.unreachable(ConditionTypes.BACKUP_TAKEN, e);
            if ("proxmox".equals(e.system())) {
                round.unreachable(ConditionTypes.PROXMOX_REACHABLE, e);
            }
            return Next.STOP;
        }
    }

    private static String describe(int vmid, String node, String storage) {
        return "back up CT " + vmid + " on " + node + " with vzdump to storage " + storage
                + " (snapshot mode, zstd), before the first change";
    }

    /** A backup of the CT made since the record was written (a crash left its task id unstored), or empty. */
    private static Optional<BackupVolume> madeSince(ProxmoxGateway proxmox, DurableState.Backup record, int vmid) {
        // ctime has whole seconds; the record is stored before the vzdump is asked for
        Instant since = record.requestedAt().truncatedTo(ChronoUnit.SECONDS);
        return proxmox.backups(record.node(), record.storage(), vmid).stream()
                .filter(b -> !b.created().isBefore(since)).reduce((first, second) -> second);
    }

    /** Write-ahead: the record first, then the vzdump, then its task id; then waited for like any task. */
    private Next start(Round round, ProxmoxGateway proxmox, BackupSpec wanted, String node, int vmid) {
        Instant now = round.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        DurableState.Backup asked = new DurableState.Backup(wanted.mode.name(), node, wanted.storage, now, null, null, null);
        round.persist(state -> state.withBackup(asked));
        LOG.infof("%s: %s", round.id(), describe(vmid, node, wanted.storage));
        String upid = proxmox.startBackup(node, vmid, wanted.storage, "{{guestname}}: taken by traefik-ha-operator for "
                + round.id() + " before its first change");
        DurableState.Backup started = asked.started(upid);
        round.persist(state -> state.withBackup(started));
        mirror(round, started);
        round.planned(describe(vmid, node, wanted.storage));
        events.normal(round.resource(), "BackupStarted", "vzdump of CT " + vmid + " to storage " + wanted.storage
                + " started (" + upid + ")");
        return await(round, proxmox, started, vmid);
    }

    private Next await(Round round, ProxmoxGateway proxmox, DurableState.Backup record, int vmid) {
        BackupTask task = proxmox.awaitBackup(record.upid(), record.storage(), vmid);
        if (task.running()) {
            round.status().condition(ConditionTypes.BACKUP_TAKEN, false, "Running", "the vzdump of CT " + vmid
                    + " to storage " + record.storage() + " is still running (" + record.upid() + "); nothing is changed"
                    + " before it is done");
            round.lookAgainSoon();
            return Next.STOP;
        }
        if (task.failure() != null) {
            // The task is over: the next round may start a new one without doubling it.
            round.persist(state -> state.withBackup(null));
            mirror(round, null);
            String message = "the backup of CT " + vmid + " to storage " + record.storage() + " failed, so nothing is"
                    + " changed: " + task.failure() + ". Fix: set spec.backup.storage to a storage with content backup"
                    + " that is available on node " + record.node() + " (pvesm status --content backup), grant VM.Backup"
                    + " and Datastore.AllocateSpace, or set spec.backup.mode: None to go on without a backup";
            LOG.warnf("%s: %s", round.id(), message);
            round.status().condition(ConditionTypes.BACKUP_TAKEN, false, "BackupFailed", message);
            events.warning(round.resource(), "BackupFailed", message);
            return Next.STOP;
        }
        return recordTaken(round, record, task.volume());
    }

    private Next recordTaken(Round round, DurableState.Backup record, BackupVolume volume) {
        DurableState.Backup done = record.taken(volume.volid(), round.clock().instant().truncatedTo(ChronoUnit.SECONDS));
        round.persist(state -> state.withBackup(done));
        mirror(round, done);
        events.normal(round.resource(), "BackupTaken", "CT " + volume.vmid() + " backed up to " + volume.volid() + " ("
                + volume.size() / (1 << 20) + " MiB); restore with: pct restore <vmid> " + volume.volid());
        taken(round, done);
        return Next.CONTINUE;
    }

    private static void taken(Round round, DurableState.Backup record) {
        round.status().condition(ConditionTypes.BACKUP_TAKEN, true, "Taken", "the primary was backed up to " + record.volid()
                + " at " + record.takenAt() + (round.spec().backupOrDefault().keepOnDelete ? "; it is kept"
                        : "; it is deleted with this resource under deletionPolicy Rollback or Delete"));
    }

    /** status.backup mirrors the record (people read status; the ConfigMap decides). */
    private static void mirror(Round round, DurableState.Backup record) {
        if (record == null) {
            round.status().backup(null);
            return;
        }
        BackupStatus status = new BackupStatus();
        status.mode = record.mode();
        status.node = record.node();
        status.storage = record.storage();
        status.requestedAt = record.requestedAt() == null ? null : record.requestedAt().toString();
        status.upid = record.upid();
        status.volid = record.volid();
        status.takenAt = record.takenAt() == null ? null : record.takenAt().toString();
        round.status().backup(status);
    }
}
