package io.traefikha.reconciler;

import io.traefikha.keepalived.Role;
import io.traefikha.reconciler.plan.ManagedFile;
import java.util.List;
import java.util.Map;

/** Connections that are already open, for running the reconcile chain outside Quarkus (tests, benchmarks). */
record FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, Map<Role, List<ManagedFile>> renderedFiles)
        implements ClusterConnections {

    @Override
    public void close() {
    }
}
