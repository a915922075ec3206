package io.traefikha.reconciler;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.domain.Uptake;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterConnections;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/** The reconcile chain against in-memory Proxmox and nodes, with the seed's homelab as the resource. */
abstract class InMemoryChainTest {

    static final Duration PERIOD = Duration.ofSeconds(15);
    static final String CONF = "/etc/keepalived/keepalived.conf";
    static final Map<Role, List<ManagedFile>> FILES = Map.of(
            Role.PRIMARY, List.of(new ManagedFile(RemoteFile.rootOwned(CONF, "state MASTER", 0644), Uptake.AT_LOAD)),
            Role.SECONDARY, List.of(new ManagedFile(RemoteFile.rootOwned(CONF, "state BACKUP", 0644), Uptake.AT_LOAD)));

    final FakeProxmox proxmox = new FakeProxmox();
    final SimulatedNodes nodes = new SimulatedNodes();
    final MemoryStateStore state = new MemoryStateStore();
    final RecordingEvents events = new RecordingEvents();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ClusterReconciliation reconciliation = new ClusterReconciliation(events, new ReconcileMetrics(registry),
            Clock.fixed(Instant.parse("2026-11-25T08:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(5));
    TraefikHACluster resource;

    @BeforeEach
    void resource() {
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid(UUID.randomUUID().toString());
        resource.getMetadata().setGeneration(1L);
    }

    /** @return how many reconciles it took */
    int reconcileUntilReady() {
        for (int round = 1; round <= 10; round++) {
            reconcile();
            if (resource.getStatus().phase == ClusterPhase.Ready) {
                return round;
            }
        }
        throw new AssertionError("not Ready after 10 rounds: " + resource.getStatus().conditions.stream()
                .map(c -> c.type + "=" + c.status + " " + c.message).toList());
    }

    void reconcile() {
        Rounds.run(reconciliation, resource, connections(), PERIOD);
    }

    ClusterConnections connections() {
        return new FixedConnections(proxmox, nodes, FILES).with(state);
    }

    Condition condition(String type) {
        return resource.getStatus().condition(type);
    }
}
