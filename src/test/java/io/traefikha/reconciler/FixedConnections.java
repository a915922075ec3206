package io.traefikha.reconciler;

import io.traefikha.dns.DnsProvider;
import io.traefikha.dns.OwnershipRegistry;
import io.traefikha.keepalived.Role;
import io.traefikha.reconciler.plan.ManagedFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import io.traefikha.api.TraefikHAClusterSpec;

/** Connections that are already open, for running the reconcile chain outside Quarkus (tests, benchmarks). */
record FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, Function<Optional<Role>, Map<Role, List<ManagedFile>>> files,
        Optional<DnsProvider> dns, MemoryRegistry dnsRegistry) implements ClusterConnections {

    /** Fixed files, whatever the VIP handover asks for. */
    FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, Map<Role, List<ManagedFile>> renderedFiles) {
        this(proxmox, nodes, pin -> renderedFiles, Optional.empty(), new MemoryRegistry());
    }

    /** The files the operator really renders for the spec (VRRPv3, no password), with the VIP pinned as asked. */
    FixedConnections(ProxmoxGateway proxmox, NodeGateway nodes, TraefikHAClusterSpec spec) {
        this(proxmox, nodes, pin -> KeepalivedNodeFiles.render(spec, "test", null, pin), Optional.empty(), new MemoryRegistry());
    }

    @Override
    public Map<Role, List<ManagedFile>> renderedFiles(Optional<Role> pinnedHolder) {
        return files.apply(pinnedHolder);
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
