package io.traefikha.planner;

import io.traefikha.domain.Role;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What must survive an operator crash, a lost or edited status and a re-created resource. It is kept in an object the
 * resource owns (the ConfigMap {@code <name>-state}), not in status, and each fact is written there before the change it
 * protects is made. Status only mirrors it for people.
 *
 * @param primaryStoppedForCloneSince when the operator decided to shut the primary down for a clone (written before the
 *                                    shutdown is sent), or null: while set, the operator owes the primary a start
 * @param hostKeys                    the pinned SSH host key fingerprint of each node ("SHA256:..."), by role
 * @param pendingHostKeys             the fingerprints of new host keys staged on a node whose keys are being replaced
 *                                    (written before they are moved into place): while set, the node may present its
 *                                    pinned key or one of these, and the one it presents after the move is pinned
 * @param backup                      the backup of the primary taken before the first change, from the moment it is
 *                                    asked for (written before the vzdump is started), or null
 */
public record DurableState(Instant primaryStoppedForCloneSince, Map<Role, String> hostKeys,
        Map<Role, Set<String>> pendingHostKeys, Backup backup) {

    public static final DurableState EMPTY = new DurableState(null, Map.of(), Map.of(), null);

    public DurableState {
        hostKeys = Map.copyOf(hostKeys);
        pendingHostKeys = Map.copyOf(pendingHostKeys);
    }

    public DurableState(Instant primaryStoppedForCloneSince, Map<Role, String> hostKeys) {
        this(primaryStoppedForCloneSince, hostKeys, Map.of(), null);
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

    /** The staged keys of a node whose host keys are being replaced; empty when no replacement is under way. */
    public Set<String> pendingHostKeys(Role role) {
        return pendingHostKeys.getOrDefault(role, Set.of());
    }

    public DurableState withPrimaryStoppedForCloneSince(Instant since) {
        return new DurableState(since, hostKeys, pendingHostKeys, backup);
    }

    /** The backup record replaced; null forgets it (the backup itself is not touched). */
    public DurableState withBackup(Backup next) {
        return new DurableState(primaryStoppedForCloneSince, hostKeys, pendingHostKeys, next);
    }

    /**
     * The pin of one node replaced; null forgets it (the next key seen is pinned) and any replacement under way with it
     * (a new container, e.g. a fresh clone, has other keys).
     */
    public DurableState withHostKey(Role role, String fingerprint) {
        Map<Role, String> pins = new TreeMap<>();
        pins.putAll(hostKeys);
        if (fingerprint == null) {
            pins.remove(role);
            return new DurableState(primaryStoppedForCloneSince, pins, pendingHostKeys, backup)
                    .withPendingHostKeys(role, Set.of());
        }
        pins.put(role, fingerprint);
        return new DurableState(primaryStoppedForCloneSince, pins, pendingHostKeys, backup);
    }

    /** The staged keys of one node recorded (write-ahead, before they are moved into place); empty clears them. */
    public DurableState withPendingHostKeys(Role role, Set<String> fingerprints) {
        Map<Role, Set<String>> pending = new TreeMap<>();
        pending.putAll(pendingHostKeys);
        if (fingerprints.isEmpty()) {
            pending.remove(role);
        } else {
            pending.put(role, Set.copyOf(fingerprints));
        }
        return new DurableState(primaryStoppedForCloneSince, hostKeys, pending, backup);
    }
}
