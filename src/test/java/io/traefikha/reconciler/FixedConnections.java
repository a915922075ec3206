package io.traefikha.reconciler;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.dns.DnsProvider;
import io.traefikha.dns.OwnershipRegistry;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.Role;
import io.traefikha.domain.VipAnswer;
import io.traefikha.gateway.NameChecker;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.gateway.ProxmoxGateway;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.simulator.node.SimulatedNames;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterConnections;
import io.traefikha.step.DrillJournal;
import io.traefikha.step.DurableStateStore;
import io.traefikha.step.EntryPointProber;
import io.traefikha.step.VipProber;
import io.traefikha.sync.SyncKeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Connections that are already open, for running the reconcile chain outside Quarkus (tests, benchmarks). */
public record FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes,
        Function<Optional<Role>, Map<Role, List<ManagedFile>>> files, Optional<DnsProvider> dns, MemoryRegistry dnsRegistry,
        VipProber vipProber, DrillJournal drillJournal, DurableStateStore durableState, EntryPointProber entryPointProber,
        NameChecker nameChecker) implements ClusterConnections {

    /** The moved names asked as {@link #namesFor} says. */
    public FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes,
            Function<Optional<Role>, Map<Role, List<ManagedFile>>> files, Optional<DnsProvider> dns, MemoryRegistry dnsRegistry,
            VipProber vipProber, DrillJournal drillJournal, DurableStateStore durableState, EntryPointProber entryPointProber) {
        this(proxmox, nodes, files, dns, dnsRegistry, vipProber, drillJournal, durableState, entryPointProber,
                namesFor(nodes, vipProber));
    }

    /** The VIP's entry points as the nodes make them answer ({@link #entryPointsFor}). */
    public FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes,
            Function<Optional<Role>, Map<Role, List<ManagedFile>>> files, Optional<DnsProvider> dns, MemoryRegistry dnsRegistry,
            VipProber vipProber, DrillJournal drillJournal, DurableStateStore durableState) {
        this(proxmox, nodes, files, dns, dnsRegistry, vipProber, drillJournal, durableState, entryPointsFor(nodes));
    }

    /** Fixed files, whatever the VIP handover asks for. */
    public FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, Map<Role, List<ManagedFile>> renderedFiles) {
        this(proxmox, nodes, renderedFiles, Optional.empty(), new MemoryRegistry());
    }

    /** The files the operator really renders for the spec (VRRPv3, no password), with the VIP pinned as asked. */
    FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, TraefikHAClusterSpec spec) {
        this(proxmox, nodes, pin -> KeepalivedNodeFiles.render(spec, "test", null, pin), Optional.empty(),
                new MemoryRegistry(), proberFor(nodes), running -> { }, new MemoryStateStore());
    }

    FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, Map<Role, List<ManagedFile>> renderedFiles,
            Optional<DnsProvider> dns, MemoryRegistry dnsRegistry) {
        this(proxmox, nodes, renderedFiles, dns, dnsRegistry, proberFor(nodes), running -> { });
    }

    FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, Map<Role, List<ManagedFile>> renderedFiles,
            Optional<DnsProvider> dns, MemoryRegistry dnsRegistry, VipProber vipProber, DrillJournal drillJournal) {
        this(proxmox, nodes, pin -> renderedFiles, dns, dnsRegistry, vipProber, drillJournal, new MemoryStateStore());
    }

    /**
     * The same connections with this state object: a test whose rounds each open new connections passes the one store
     * that outlives them, as the ConfigMap does.
     */
    public FixedConnections with(DurableStateStore state) {
        return new FixedConnections(proxmox, nodes, files, dns, dnsRegistry, vipProber, drillJournal, state, entryPointProber,
                nameChecker);
    }

    /** The same connections, with the VIP's entry points asked through this prober. */
    public FixedConnections with(EntryPointProber prober) {
        return new FixedConnections(proxmox, nodes, files, dns, dnsRegistry, vipProber, drillJournal, durableState, prober,
                nameChecker);
    }

    /** The same connections, with the moved names asked through this checker (one that runs where the VIP is). */
    public FixedConnections with(NameChecker checker) {
        return new FixedConnections(proxmox, nodes, files, dns, dnsRegistry, vipProber, drillJournal, durableState,
                entryPointProber, checker);
    }

    /** In-memory nodes answer on the VIP while the simulation says so; other nodes have no prober: drills are not run. */
    private static VipProber proberFor(NodeGateway nodes) {
        if (nodes instanceof SimulatedNodes simulated) {
            return simulated::vipAnswers;
        }
        return () -> {
            throw new UnsupportedOperationException("this test has no VIP prober: it runs no drill");
        };
    }

    /**
     * In-memory nodes answer on the VIP as the simulation says; behind other nodes (the bed's, wrappers) the VIP answers
     * every request, for tests that do not look at it from outside (those that do pass their prober, {@link #with(EntryPointProber)}).
     */
    private static EntryPointProber entryPointsFor(NodeGateway nodes) {
        if (nodes instanceof SimulatedNodes simulated) {
            return simulated::entryPointAnswer;
        }
        return entryPoint -> VipAnswer.answered(404, 0);
    }

    /** In-memory nodes' names (which a test can break); otherwise names that answer while the VIP prober does. */
    private static NameChecker namesFor(NodeGateway nodes, VipProber vipProber) {
        if (nodes instanceof SimulatedNodes simulated) {
            return simulated.names;
        }
        return new SimulatedNames(vipProber::answers, Clock.systemUTC());
    }

    @Override
    public Map<Role, List<ManagedFile>> renderedFiles(Optional<Role> pinnedHolder) {
        return files.apply(pinnedHolder);
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
