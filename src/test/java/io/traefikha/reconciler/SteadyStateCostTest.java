package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.Role;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.proxmox.ProxmoxApiGateway;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.ProxmoxMemory;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.http.TlsTrust;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a reconcile costs once the pair is Ready, counted on the Proxmox simulator's exchanges (through the real client)
 * and the in-memory nodes: the steady state must not hammer Proxmox, and must still see drift.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class SteadyStateCostTest {

    private static final int FULL_READ_EVERY = 5;

    private ProxmoxSimulator simulator;
    private ProxmoxClient client;
    private ProxmoxApiGateway gateway;
    private BenchmarkSupport pair;
    private final ClusterReconciliation chain = new ClusterReconciliation(new RecordingEvents(),
            new ReconcileMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), Duration.ZERO);
    private TraefikHACluster resource;

    @BeforeEach
    void readyPair() {
        simulator = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(20)).statsInterval(Duration.ZERO).start();
        client = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(), simulator.tokenSecret(),
                TlsTrust.fingerprint(simulator.fingerprint())));
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid("57ead700-0000-4000-8000-000000000001");
        resource.getMetadata().setGeneration(1L);
        gateway = new ProxmoxApiGateway(client, new TaskWaiter(client, Duration.ofMillis(10), Duration.ofMillis(100), 10),
                resource.getSpec(), Duration.ofMinutes(1), new ProxmoxMemory(FULL_READ_EVERY));
        pair = new BenchmarkSupport(resource, gateway);
        for (int round = 0; round < 20 && !ready(); round++) {
            pair.reconcileOnce(chain);
        }
        assertThat(ready()).isTrue();
        gateway.recheck("the test starts counting from a full read");
        pair.reconcileOnce(chain);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void aSteadyStateReconcileCostsOneProxmoxCallAndOneProbePerNode() {
        for (int round = 1; round < FULL_READ_EVERY; round++) {
            int calls = simulator.exchanges().size();
            int probes = pair.nodes().probes;

            pair.reconcileOnce(chain);

            assertThat(simulator.exchanges().subList(calls, simulator.exchanges().size()))
                    .extracting(e -> e.method() + " " + e.template()).containsExactly("GET /cluster/resources");
            assertThat(pair.nodes().probes - probes).as("one probe per node").isEqualTo(2);
            assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        }
    }

    @Test
    void everythingIsReadAgainEveryFullReadEveryReconciles() {
        int calls = simulator.exchanges().size();
        for (int round = 0; round < 2 * FULL_READ_EVERY; round++) {
            pair.reconcileOnce(chain);
        }

        List<String> reads = simulator.exchanges().subList(calls, simulator.exchanges().size()).stream()
                .map(e -> e.method() + " " + e.template()).toList();
        assertThat(reads).filteredOn("GET /cluster/resources"::equals).hasSize(2 * FULL_READ_EVERY);
        assertThat(reads).filteredOn("GET /nodes/{node}/lxc/{vmid}/config"::equals).as("both CTs, twice").hasSize(4);
        assertThat(reads).filteredOn("GET /nodes/{node}/lxc/{vmid}/firewall/rules"::equals).hasSize(4);
        assertThat(reads).as("no clone under way, no snapshot left over").noneMatch(r -> r.endsWith("/snapshot"));
    }

    @Test
    void aSecondaryStoppedThroughProxmoxIsSeenOnceTheClusterViewShowsIt() {
        TaskWaiter.withDefaults(client).await(client.stop("proxmox2", 111), Duration.ofSeconds(10));
        simulator.broadcastStats(); // pvestatd publishes the stop within about 10 s

        pair.reconcileOnce(chain);

        assertThat(simulator.isRunning(111)).isTrue();
    }

    @Test
    void aNodeThatStopsAnsweringMakesTheNextReconcileReadEverything() {
        pair.nodes().nodes.get(Role.SECONDARY).reachable = false;
        pair.reconcileOnce(chain); // the probe fails: Proxmox is asked in full next time
        int calls = simulator.exchanges().size();

        pair.reconcileOnce(chain);

        assertThat(simulator.exchanges().subList(calls, simulator.exchanges().size()))
                .extracting(e -> e.method() + " " + e.template()).contains("GET /nodes/{node}/lxc/{vmid}/status/current");
    }

    private boolean ready() {
        return resource.getStatus() != null && resource.getStatus().phase == ClusterPhase.Ready;
    }
}
