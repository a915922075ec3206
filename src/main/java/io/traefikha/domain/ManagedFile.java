package io.traefikha.domain;

import java.util.Map;

/**
 * A file the operator keeps on a node, as rendered for that node's role.
 *
 * @param file   path, content, mode and owner
 * @param uptake how the daemon that uses it takes new content up (keepalived's config at load, its scripts at each run
 *               but vetted at load, the rest at each use)
 */
public record ManagedFile(RemoteFile file, Uptake uptake) {

    public String path() {
        return file.path();
    }

    /** As the node probe reports it (sha256sum of the file). */
    public String sha256() {
        return file.sha256();
    }

    /** Whether a change to it must be followed by a reload: its daemon reads it only when it loads. */
    public boolean reloadsService() {
        return uptake == Uptake.AT_LOAD;
    }

    /** Whether this content, once on disk, is what the daemon uses, given what it read at its last load. */
    public boolean appliedBy(Map<String, String> loaded) {
        return uptake.applied(path(), sha256(), loaded);
    }
}
