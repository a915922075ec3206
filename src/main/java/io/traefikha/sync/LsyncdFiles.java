package io.traefikha.sync;

import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import java.util.List;

/**
 * Everything {@link LsyncdRenderer} produces.
 *
 * @param config            /etc/lsyncd/lsyncd.conf.lua on the primary
 * @param knownHosts        the secondary's host keys, for lsyncd's ssh on the primary (no trust on first use)
 * @param rsyncOnly         the forced command on the secondary
 * @param authorizedKeyLine the sync key's line in the secondary's authorized_keys
 */
public record LsyncdFiles(String config, String knownHosts, String rsyncOnly, String authorizedKeyLine) {

    /** The lsyncd files whose hashes the probe of a node reports. */
    public static List<String> probedPaths(Role role) {
        return role == Role.PRIMARY
                ? List.of(LsyncdRenderer.KEY_PATH, LsyncdRenderer.KNOWN_HOSTS_PATH, LsyncdRenderer.CONFIG_PATH)
                : List.of(LsyncdRenderer.RSYNC_ONLY_PATH);
    }

    /** The files lsyncd needs on the primary: the private key, the secondary's host keys and the configuration. */
    public List<RemoteFile> primaryFiles(SyncKeyPair key) {
        return List.of(
                new RemoteFile(LsyncdRenderer.KEY_PATH, key.privateKey(), 0600, "root", "root"),
                RemoteFile.rootOwned(LsyncdRenderer.KNOWN_HOSTS_PATH, knownHosts, 0644),
                RemoteFile.rootOwned(LsyncdRenderer.CONFIG_PATH, config, 0644));
    }

    /** The forced command the sync key runs on the secondary. */
    public RemoteFile secondaryFile() {
        return RemoteFile.rootOwned(LsyncdRenderer.RSYNC_ONLY_PATH, rsyncOnly, 0755);
    }
}
