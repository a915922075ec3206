package io.traefikha.planner;

import io.traefikha.domain.Role;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What must survive an operator crash, a lost or edited status and a re-created resource. It is kept in an object the
 * resource owns (the ConfigMap {@code <name>-state}), not in status, and each fact is written there before the change it
 * protects is made. Status only mirrors it for people.
 *
 * @param primaryStoppedForCloneSince when the operator decided to shut the primary down for a clone (written before the
 *                                    shutdown is sent), or null: while set, the operator owes the primary a start
 * @param hostKeys                    the pinned SSH host key fingerprint of each node ("SHA256:..."), by role
 * @param backup                      the backup of the primary taken before the first change, from the moment it is
 *                                    asked for (written before the vzdump is started), or null
 */
public record DurableState(Instant primaryStoppedForCloneSince, Map<Role, String> hostKeys, Backup backup) {

    public static final DurableState EMPTY = new DurableState(null, Map.of(), null);

    public DurableState {
        hostKeys = Map.copyOf(hostKeys);
    }

    public DurableState(Instant primaryStoppedForCloneSince, Map<Role, String> hostKeys) {
        this(primaryStoppedForCloneSince, hostKeys, null);
    }

    /**
     * The operator's backup of the primary, through its stages: asked for ({@code requestedAt}), started ({@code upid}
     * of the vzdump task), taken ({@code volid} and {@code takenAt}). Only what is recorded here is ever deleted.
     *
     * @param mode    spec.backup.mode when it was asked for (Vzdump)
     * @param volid   the archive's volume id; null until taken
     */
    public record Backup(String mode, String node, String storage, Instant requestedAt, String upid, String volid,
            Instant takenAt) {

        public boolean taken() {
            return takenAt != null && volid != null;
        }

        public Backup started(String taskId) {
            return new Backup(mode, node, storage, requestedAt, taskId, volid, takenAt);
        }

        public Backup taken(String volume, Instant at) {
            return new Backup(mode, node, storage, requestedAt, upid, volume, at);
        }
    }

    public boolean primaryStoppedForClone() {
        return primaryStoppedForCloneSince != null;
    }

    public Optional<String> hostKey(Role role) {
        return Optional.ofNullable(hostKeys.get(role));
    }

    public DurableState withPrimaryStoppedForCloneSince(Instant since) {
        return new DurableState(since, hostKeys, backup);
    }

    /** The backup record replaced; null forgets it (the backup itself is not touched). */
    public DurableState withBackup(Backup next) {
        return new DurableState(primaryStoppedForCloneSince, hostKeys, next);
    }

    /** The pin of one node replaced; null forgets it (the next key seen is pinned). */
    public DurableState withHostKey(Role role, String fingerprint) {
        Map<Role, String> pins = new EnumMap<>(Role.class);
        pins.putAll(hostKeys);
        if (fingerprint == null) {
            pins.remove(role);
        } else {
            pins.put(role, fingerprint);
        }
        return new DurableState(primaryStoppedForCloneSince, pins, backup);
    }
}
