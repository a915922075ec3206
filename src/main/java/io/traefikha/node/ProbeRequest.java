package io.traefikha.node;

import io.traefikha.keepalived.TraefikHealth;
import java.util.List;
import java.util.Objects;

/**
 * What the probe looks at on a node.
 *
 * @param interfaceName interface that carries the VIP, e.g. eth0
 * @param vipAddress    the VIP without prefix length, e.g. 192.168.1.100
 * @param stateFile     file the keepalived notify script writes the VRRP state into
 * @param syncPaths     directories whose files make up the synced configuration tree
 * @param syncExcludes  rsync-style patterns left out of the tree hash (a trailing '/' names directories)
 * @param traefik       Traefik's unit and health URLs as seen on the node (its version URL may be null: not asked)
 * @param managedFiles  files the operator keeps on the node, whose SHA-256 the probe reports (absent files are left out)
 * @param syncKeyFile   the authorized_keys file whose sync key lines the probe hashes ({@link LsyncdFacts}), or null
 */
public record ProbeRequest(String interfaceName, String vipAddress, String stateFile, List<String> syncPaths,
                           List<String> syncExcludes, TraefikHealth traefik, List<String> managedFiles, String syncKeyFile) {

    public ProbeRequest {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(vipAddress, "vipAddress");
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(traefik, "traefik");
        syncPaths = List.copyOf(syncPaths);
        syncExcludes = List.copyOf(syncExcludes);
        managedFiles = List.copyOf(managedFiles);
    }
}
