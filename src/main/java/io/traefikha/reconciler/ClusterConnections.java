package io.traefikha.reconciler;

import io.traefikha.reconciler.plan.ManagedFile;
import io.traefikha.keepalived.Role;
import java.util.List;
import java.util.Map;

/**
 * Everything one reconcile of one resource talks to, opened with that resource's credentials and closed at the end
 * (SSH sessions are reused within a reconcile, never across).
 */
public interface ClusterConnections extends AutoCloseable {

    ProxmoxGateway proxmox();

    NodeGateway nodes();

    /** The files keepalived needs on each node, rendered from the spec and the VRRP password. */
    Map<Role, List<ManagedFile>> renderedFiles();

    @Override
    void close();
}
