package io.traefikha.domain;

import java.util.List;
import java.util.Set;

/**
 * What the probe sees of the sync daemon's footing on a node, so that keeping lsyncd in place costs no round trip of
 * its own when nothing changed (the hashes of its files come with the other managed files).
 *
 * @param installedPackages which of lsyncd, rsync and openssh-client dpkg has installed
 * @param lsyncdActive      the lsyncd service is running
 * @param lsyncdEnabled     the lsyncd service starts at boot
 * @param hostKeys          the node's SSH host keys, "type base64" (the primary's lsyncd pins the secondary's)
 * @param syncKeySha256     SHA-256 of the sync key lines in the authorized_keys file the probe was asked about (each
 *                          line stripped and ended by a newline; the hash of nothing when there is none)
 */
public record LsyncdFacts(Set<String> installedPackages, boolean lsyncdActive, boolean lsyncdEnabled,
                          List<String> hostKeys, String syncKeySha256) {

    /** The packages the probe asks dpkg about. */
    public static final List<String> PACKAGES = List.of("lsyncd", "rsync", "openssh-client");

    /** The comment that marks the sync key's line in authorized_keys. */
    public static final String SYNC_KEY_COMMENT = "traefik-ha-sync";

    public LsyncdFacts {
        installedPackages = Set.copyOf(installedPackages);
        hostKeys = List.copyOf(hostKeys);
    }

    /** The {@link #syncKeySha256} of an authorized_keys file whose only sync key line is this one. */
    public static String syncKeySha256(String syncKeyLine) {
        return RemoteFile.sha256((syncKeyLine.strip() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
