package io.traefikha.node;

import io.traefikha.domain.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** How a node's host key is verified before anything is sent to it. */
public sealed interface HostKeyPolicy {

    /**
     * Each node's policy: the SSH Secret's knownHosts when it has them, otherwise trust on first use with the pin
     * stored for the node (none before the first contact); a node whose host keys are being replaced may present its
     * pinned key or one of the staged new ones.
     *
     * @param roles   every replica
     * @param pins    the pinned fingerprint of each node ("SHA256:..."), by role
     * @param pending the fingerprints of the new host keys staged on a node, by role (see {@link AnyOf})
     */
    static Map<Role, HostKeyPolicy> of(List<Role> roles, Optional<String> knownHosts, Map<Role, String> pins,
            Map<Role, Set<String>> pending) {
        Map<Role, HostKeyPolicy> policies = new TreeMap<>();
        for (Role role : roles) {
            policies.put(role, knownHosts.<HostKeyPolicy>map(KnownHosts::new)
                    .orElseGet(() -> ofPins(pins.get(role), pending.getOrDefault(role, Set.of()))));
        }
        return policies;
    }

    /** Without pending keys, trust on first use with the pin; with them, the pin or any of them. */
    private static HostKeyPolicy ofPins(String pin, Set<String> pending) {
        if (pending.isEmpty() || pin == null) {
            return new TrustOnFirstUse(pin);
        }
        Set<String> accepted = new TreeSet<>(pending);
        accepted.add(pin);
        return new AnyOf(accepted);
    }

    /** Verify against known_hosts lines (from the Secret); a host not listed, or listed with another key, is refused. */
    record KnownHosts(String knownHostsText) implements HostKeyPolicy {
    }

    /**
     * Trust on first use: with no pinned fingerprint the key seen is accepted and its fingerprint is what the caller
     * records (see {@link NodeSession#hostKeyFingerprint()}); with a pinned fingerprint any other key is refused.
     *
     * @param pinnedFingerprint "SHA256:..." as OpenSSH prints it, or null on first contact
     */
    record TrustOnFirstUse(String pinnedFingerprint) implements HostKeyPolicy {
    }

    /**
     * Any of these fingerprints and no other: while a node's host keys are replaced, its old (pinned) key until the new
     * keys are in place, then one of the new; after a crash at any point in between the node is still reachable and
     * nobody else is accepted.
     */
    record AnyOf(Set<String> fingerprints) implements HostKeyPolicy {
        public AnyOf {
            if (fingerprints.isEmpty()) {
                throw new IllegalArgumentException("AnyOf needs at least one fingerprint");
            }
            fingerprints = Set.copyOf(fingerprints);
        }
    }
}
