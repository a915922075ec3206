package io.traefikha.node;

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
 * @param pingUrl       Traefik's ping endpoint as seen on the node
 * @param apiUrl        Traefik's /api/rawdata as seen on the node
 * @param managedFiles  files the operator keeps on the node, whose SHA-256 the probe reports (absent files are left out)
 * @param versionUrl    Traefik's version endpoint (JSON with "Version"), or null not to ask
 * @param syncKeyFile   the authorized_keys file whose sync key lines the probe hashes ({@link LsyncdFacts}), or null
 */
public record ProbeRequest(String interfaceName, String vipAddress, String stateFile, List<String> syncPaths,
                           List<String> syncExcludes, String pingUrl, String apiUrl, List<String> managedFiles,
                           String versionUrl, String syncKeyFile) {

    /** Without asking about the sync key. */
    public ProbeRequest(String interfaceName, String vipAddress, String stateFile, List<String> syncPaths,
                        List<String> syncExcludes, String pingUrl, String apiUrl, List<String> managedFiles,
                        String versionUrl) {
        this(interfaceName, vipAddress, stateFile, syncPaths, syncExcludes, pingUrl, apiUrl, managedFiles, versionUrl, null);
    }

    /** Without asking for Traefik's version. */
    public ProbeRequest(String interfaceName, String vipAddress, String stateFile, List<String> syncPaths,
                        List<String> syncExcludes, String pingUrl, String apiUrl, List<String> managedFiles) {
        this(interfaceName, vipAddress, stateFile, syncPaths, syncExcludes, pingUrl, apiUrl, managedFiles, null);
    }

    public ProbeRequest {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(vipAddress, "vipAddress");
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(pingUrl, "pingUrl");
        Objects.requireNonNull(apiUrl, "apiUrl");
        syncPaths = List.copyOf(syncPaths);
        syncExcludes = List.copyOf(syncExcludes);
        managedFiles = List.copyOf(managedFiles);
    }
}
