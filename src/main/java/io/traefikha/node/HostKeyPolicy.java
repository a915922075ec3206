package io.traefikha.node;

import io.traefikha.domain.Role;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** How a node's host key is verified before anything is sent to it. */
public sealed interface HostKeyPolicy {

    /**
     * Each node's policy: the SSH Secret's knownHosts when it has them, otherwise trust on first use with the pin
     * stored for the node (none before the first contact).
     *
     * @param pins the pinned fingerprint of each node ("SHA256:..."), by role
     */
    static Map<Role, HostKeyPolicy> of(Optional<String> knownHosts, Map<Role, String> pins) {
        Map<Role, HostKeyPolicy> policies = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            policies.put(role, knownHosts.<HostKeyPolicy>map(KnownHosts::new)
                    .orElseGet(() -> new TrustOnFirstUse(pins.get(role))));
        }
        return policies;
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
}
