package io.traefikha.sync;

/**
 * Everything {@link LsyncdRenderer} produces.
 *
 * @param config            /etc/lsyncd/lsyncd.conf.lua on the primary
 * @param knownHosts        the secondary's host keys, for lsyncd's ssh on the primary (no trust on first use)
 * @param rsyncOnly         the forced command on the secondary
 * @param authorizedKeyLine the sync key's line in the secondary's authorized_keys
 */
public record LsyncdFiles(String config, String knownHosts, String rsyncOnly, String authorizedKeyLine) {
}
