package io.traefikha.reconciler;

import io.traefikha.dns.DnsProvider;
import io.traefikha.dns.OwnershipRegistry;
import io.traefikha.keepalived.Role;
import io.traefikha.reconciler.plan.ManagedFile;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.sync.SyncKeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Connections that are already open, for running the reconcile chain outside Quarkus (tests, benchmarks). */
record FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, Map<Role, List<ManagedFile>> renderedFiles,
        Optional<DnsProvider> dns, MemoryRegistry dnsRegistry, VipProber vipProber, DrillJournal drillJournal)
        implements ClusterConnections {

    /** In-memory nodes: the VIP answers while the simulation says so; drills are journalled nowhere. */
    FixedConnections(ProxmoxGateway proxmox, SimulatedNodes nodes, Map<Role, List<ManagedFile>> renderedFiles) {
        this(proxmox, nodes, renderedFiles, Optional.empty(), new MemoryRegistry());
    }

    FixedConnections(ProxmoxGateway proxmox, SimulatedNodes nodes, Map<Role, List<ManagedFile>> renderedFiles,
            Optional<DnsProvider> dns, MemoryRegistry dnsRegistry) {
        this(proxmox, nodes, renderedFiles, dns, dnsRegistry, nodes::vipAnswers, running -> { });
    }

    /** One key for every test run: generating ed25519 is cheap, but a stable key shows that nothing regenerates it. */
    private static final SyncKeyPair SYNC_KEY = SyncKeyPair.generate();

    @Override
    public SyncKeyPair syncKey() {
        return SYNC_KEY;
    }

    @Override
    public void close() {
    }

    /** The DNS ownership registry in memory. */
    static final class MemoryRegistry implements DnsRegistry {
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
