package io.traefikha.reconciler;

import io.micrometer.core.instrument.MeterRegistry;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.Role;
import io.traefikha.gateway.ProxmoxGateway;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.EventRecorder;
import io.traefikha.step.ReconcileMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs the reconcile chain outside Quarkus for benchmarks: a real Proxmox gateway, in-memory nodes, no Kubernetes. */
public final class BenchmarkSupport {

    private final TraefikHACluster resource;
    private final ProxmoxGateway proxmox;
    private final SimulatedNodes nodes = new SimulatedNodes();
    private final MemoryStateStore state = new MemoryStateStore();
    private final Map<Role, List<ManagedFile>> files;

    public BenchmarkSupport(TraefikHACluster resource, ProxmoxGateway proxmox) {
        this.resource = resource;
        this.proxmox = proxmox;
        this.files = KeepalivedNodeFiles.render(resource.getSpec(), resource.getMetadata().getName(), null);
    }

    public static EventRecorder silentEvents() {
        return new RecordingEvents();
    }

    public static ReconcileMetrics metrics(MeterRegistry registry) {
        return new ReconcileMetrics(registry);
    }

    public void reconcileOnce(ClusterReconciliation chain) {
        reconcileOnce(chain, Duration.ofSeconds(15));
    }

    /** One reconcile with this re-check period; says when the chain wants to look again. */
    public Duration reconcileOnce(ClusterReconciliation chain, Duration period) {
        return Rounds.run(chain, resource, new FixedConnections(proxmox, nodes, files).with(state), period).requeueAfter();
    }

    /** The hash the rendered file at this path has on this node's role, as the probe would report it. */
    public String renderedHash(Role role, String path) {
        return files.get(role).stream().filter(f -> f.path().equals(path)).map(ManagedFile::sha256).findFirst().orElseThrow();
    }

    /**
     * Probes plus actions plus config sync listings: each is one SSH round trip on a real node (a sync round lists
     * both trees, one round trip each, when nothing differs).
     */
    public int nodeRoundTrips() {
        return nodes.probes + nodes.applied.size() + 2 * nodes.syncRounds;
    }

    public SimulatedNodes nodes() {
        return nodes;
    }
}
