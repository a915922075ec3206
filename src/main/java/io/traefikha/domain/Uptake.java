package io.traefikha.domain;

import java.util.Map;

/**
 * How a file the operator writes on a node takes effect, which decides whether written means applied: a daemon that
 * reads a file only when it starts or reloads runs the older content until then, whatever the disk holds.
 */
public enum Uptake {

    /** Read when the daemon starts or reloads (keepalived.conf, lsyncd's configuration). */
    AT_LOAD,
    /**
     * Run afresh each time, so new content counts at once, but vetted when the daemon loads its configuration:
     * keepalived disables a check or notify script that is missing, not executable or not secure then, until its next
     * load (its script path and arguments live in keepalived.conf, which is {@link #AT_LOAD}).
     */
    RUN_VETTED_AT_LOAD,
    /**
     * Read by systemd at daemon-reload (a drop-in on Traefik's unit). Its write runs daemon-reload at once and takes the
     * file away again when that fails, so on disk means loaded and a failed load is written anew next time.
     */
    AT_DAEMON_RELOAD,
    /** Read at each use (curl's webhook config, logrotate's, ssh's key and known hosts): written is applied. */
    AT_USE;

    /**
     * Whether content with this hash at this path is what the daemon uses, given what it read at its last start or
     * reload ({@code loaded}: SHA-256 by path, as the node recorded them then).
     */
    public boolean applied(String path, String sha256, Map<String, String> loaded) {
        return switch (this) {
            case AT_LOAD -> sha256.equals(loaded.get(path));
            case RUN_VETTED_AT_LOAD -> loaded.containsKey(path);
            case AT_DAEMON_RELOAD, AT_USE -> true;
        };
    }
}
