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
 */
public record DurableState(Instant primaryStoppedForCloneSince, Map<Role, String> hostKeys) {

    public static final DurableState EMPTY = new DurableState(null, Map.of());

    public DurableState {
        hostKeys = Map.copyOf(hostKeys);
    }

    public boolean primaryStoppedForClone() {
        return primaryStoppedForCloneSince != null;
    }

    public Optional<String> hostKey(Role role) {
        return Optional.ofNullable(hostKeys.get(role));
    }

    public DurableState withPrimaryStoppedForCloneSince(Instant since) {
        return new DurableState(since, hostKeys);
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
        return new DurableState(primaryStoppedForCloneSince, pins);
    }
}
