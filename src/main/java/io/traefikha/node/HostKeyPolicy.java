package io.traefikha.node;

/** How a node's host key is verified before anything is sent to it. */
public sealed interface HostKeyPolicy {

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
