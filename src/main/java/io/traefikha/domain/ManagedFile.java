package io.traefikha.domain;


/**
 * A file the operator keeps on a node, as rendered for that node's role.
 *
 * @param file           path, content, mode and owner
 * @param reloadsService whether keepalived must reload after this file changes (its config does; the scripts it runs
 *                       are read at each run)
 */
public record ManagedFile(RemoteFile file, boolean reloadsService) {

    public String path() {
        return file.path();
    }

    /** As the node probe reports it (sha256sum of the file). */
    public String sha256() {
        return file.sha256();
    }
}
