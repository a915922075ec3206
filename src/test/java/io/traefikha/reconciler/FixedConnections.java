package io.traefikha.reconciler;

import io.traefikha.dns.DnsProvider;
import io.traefikha.dns.OwnershipRegistry;
import io.traefikha.keepalived.Role;
import io.traefikha.reconciler.plan.ManagedFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Connections that are already open, for running the reconcile chain outside Quarkus (tests, benchmarks). */
public record FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, Map<Role, List<ManagedFile>> renderedFiles,
        Optional<DnsProvider> dns, MemoryRegistry dnsRegistry) implements ClusterConnections {

    public FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, Map<Role, List<ManagedFile>> renderedFiles) {
        this(proxmox, nodes, renderedFiles, Optional.empty(), new MemoryRegistry());
    }

    @Override
    public void close() {
    }

    /** The DNS ownership registry in memory. */
    public static final class MemoryRegistry implements DnsRegistry {
        OwnershipRegistry saved = OwnershipRegistry.empty();

        @Override
        public OwnershipRegistry load() {
            return saved;
        }

        @Override
        public void save(OwnershipRegistry registry) {
            saved = registry;
        }
    }
}
