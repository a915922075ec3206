package io.traefikha.reconciler;

import io.traefikha.dns.DnsMigration;
import io.traefikha.dns.DnsProvider;
import io.traefikha.dns.OwnershipRegistry;
import io.traefikha.keepalived.Role;
import io.traefikha.reconciler.plan.ManagedFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconcile of one resource talks to, opened with that resource's credentials and closed at the end
 * (SSH sessions are reused within a reconcile, never across).
 */
public interface ClusterConnections extends AutoCloseable {

    ProxmoxGateway proxmox();

    NodeGateway nodes();

    /** The DNS server of spec.dns, or empty with provider None. */
    Optional<DnsProvider> dns();

    /** Where the DNS ownership registry is kept. */
    DnsRegistry dnsRegistry();

    /** Loading and saving the DNS ownership registry (write-ahead, before every DNS change). */
    interface DnsRegistry extends DnsMigration.RegistryStore {
        OwnershipRegistry load();
    }

    /** The files keepalived needs on each node, rendered from the spec and the VRRP password. */
    default Map<Role, List<ManagedFile>> renderedFiles() {
        return renderedFiles(Optional.empty());
    }

    /** The same, with the VIP pinned to one node during a handover ({@link KeepalivedNodeFiles#render}). */
    Map<Role, List<ManagedFile>> renderedFiles(Optional<Role> pinnedHolder);

    @Override
    void close();
}
