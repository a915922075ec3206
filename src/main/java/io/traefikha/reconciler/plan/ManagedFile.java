package io.traefikha.reconciler.plan;

/**
 * A file the operator keeps on a node, as rendered for that node's role.
 *
 * @param path           absolute path on the node
 * @param sha256         hash of the wanted content
 * @param reloadsService whether keepalived must reload after this file changes (its config does; the scripts it runs
 *                       are read at each run)
 */
public record ManagedFile(String path, String sha256, boolean reloadsService) {
}
