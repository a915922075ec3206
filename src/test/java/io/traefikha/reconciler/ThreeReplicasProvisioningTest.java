package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.Role;
import io.traefikha.http.TlsTrust;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.proxmox.CloneRequest;
import io.traefikha.proxmox.ProxmoxApiGateway;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.ProxmoxMemory;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ContainerEvent;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three replicas from the homelab's lone CT 110, through the reconcile chain, the real Proxmox client and the Proxmox
 * VE simulator (nodes proxmox, proxmox2, proxmox3; local storage, so each clone is made beside the primary and
 * migrated): CT 111 on proxmox2 and CT 112 on proxmox3, each with its own address, the primary never stopped.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class ThreeReplicasProvisioningTest {

    private static final int FULL_READ_EVERY = 5;

    private ProxmoxSimulator simulator;
    private final List<ContainerEvent> events = new CopyOnWriteArrayList<>();
    private final ClusterReconciliation chain = new ClusterReconciliation(new RecordingEvents(),
            new ReconcileMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), Duration.ZERO);
    private TraefikHACluster resource;
    private ProxmoxClient client;
    private ProxmoxApiGateway gateway;
    private BenchmarkSupport replicas;

    @BeforeEach
    void theHomelabWithThreeReplicasInItsSpec() {
        simulator = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(20)).statsInterval(Duration.ZERO).start();
        simulator.addListener(events::add);
        client = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(),
                simulator.tokenSecret(), TlsTrust.fingerprint(simulator.fingerprint())));
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid("57ead700-0000-4000-8000-000000000003");
        resource.getMetadata().setGeneration(1L);
        ExampleSpecs.threeReplicas(resource.getSpec());
        gateway = new ProxmoxApiGateway(client, new TaskWaiter(client, Duration.ofMillis(10), Duration.ofMillis(100), 10),
                resource.getSpec(), Duration.ofMinutes(1), new ProxmoxMemory(FULL_READ_EVERY));
        replicas = new BenchmarkSupport(resource, gateway);
        replicas.nodes().nodes.put(Role.of(2), new SimulatedNodes.Node());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void bothClonesAreMadeOneAtATimeEachOnItsOwnNodeWithoutStoppingThePrimary() {
        for (int round = 0; round < 20 && !provisioned(); round++) {
            replicas.reconcileOnce(chain);
        }

        assertThat(provisioned()).as(String.valueOf(condition())).isTrue();
        assertThat(condition().message).contains("secondary: CT 111 'traefik-2' is running on node proxmox2",
                "secondary-2: CT 112 'traefik-3' is running on node proxmox3");
        assertThat(simulator.nodeOf(111)).isEqualTo("proxmox2");
        assertThat(simulator.nodeOf(112)).isEqualTo("proxmox3");
        assertThat(simulator.isRunning(111)).isTrue();
        assertThat(simulator.isRunning(112)).isTrue();
        assertThat(simulator.config(111).get("net0")).contains("ip=192.168.1.111/24");
        assertThat(simulator.config(112).get("net0")).contains("ip=192.168.1.112/24");
        assertThat(simulator.config(112).get("hostname")).isEqualTo("traefik-3");
        assertThat(events).filteredOn(e -> e.type() == ContainerEvent.Type.CREATED).extracting(ContainerEvent::vmid)
                .as("CT 111 first, then CT 112").containsExactly(111, 112);
        assertThat(events).noneMatch(e -> e.vmid() == 110 && e.type() == ContainerEvent.Type.STOPPED);
        assertThat(simulator.isRunning(110)).isTrue();
        assertThat(calls("POST /nodes/{node}/lxc/{vmid}/snapshot")).as("one snapshot serves both clones").isEqualTo(1);
        assertThat(calls("POST /nodes/{node}/lxc/{vmid}/clone")).isEqualTo(2);
        assertThat(gateway.observe().primary().snapshots()).as("the temporary snapshot is gone").isEmpty();

        int before = simulator.exchanges().size();
        replicas.reconcileOnce(chain);

        assertThat(simulator.exchanges().subList(before, simulator.exchanges().size()))
                .as("a quiet next round: nothing changed on Proxmox").allSatisfy(e -> assertThat(e.method()).isEqualTo("GET"));
        assertThat(provisioned()).isTrue();
    }

    /**
     * The operator dies right after asking for the second clone: the one that comes next sees CT 112 locked while it
     * is being made, clones nothing again, and finishes the job from the same snapshot.
     */
    @Test
    void anOperatorKilledDuringTheSecondCloneDoesNotCloneAgain() {
        for (int round = 0; round < 5 && !simulator.exists(111); round++) {
            replicas.reconcileOnce(chain);
        }
        simulator.setTaskDuration(Duration.ofMillis(1500));
        client.cloneContainer("proxmox", 110, CloneRequest.of(112).withHostname("traefik-3")
                .withDescription(Ownership.markedDescription(null, resource.getMetadata().getUid()))
                .fromSnapshot(Ownership.CLONE_SNAPSHOT));

        replicas.reconcileOnce(chain);

        assertThat(condition().message).contains("secondary-2: CT 112 is locked (create)");
        simulator.setTaskDuration(Duration.ofMillis(20));
        for (int round = 0; round < 20 && !provisioned(); round++) {
            replicas.reconcileOnce(chain);
        }
        assertThat(provisioned()).as(String.valueOf(condition())).isTrue();
        assertThat(calls("POST /nodes/{node}/lxc/{vmid}/clone")).as("the operator's first, the dead one's second").isEqualTo(2);
        assertThat(calls("POST /nodes/{node}/lxc/{vmid}/snapshot")).isEqualTo(1);
        assertThat(simulator.nodeOf(112)).isEqualTo("proxmox3");
        assertThat(gateway.observe().primary().snapshots()).isEmpty();
    }

    /**
     * A provisioned pair whose secondary moves into spec.secondaries with a third entry (the README's migration): only
     * CT 112 is cloned (from a fresh temporary snapshot); CT 111 is kept as it is, neither cloned again nor stopped nor
     * moved.
     */
    @Test
    void aThirdReplicaAddedToAProvisionedPairIsClonedAloneAndTheSecondaryKept() {
        TraefikHAClusterSpec spec = resource.getSpec();
        spec.secondary = spec.secondaries.get(0);
        spec.secondaries = null;
        BenchmarkSupport pair = new BenchmarkSupport(resource, gateway);
        for (int round = 0; round < 20 && !provisioned(); round++) {
            pair.reconcileOnce(chain);
        }
        assertThat(provisioned()).isTrue();
        events.clear();

        ExampleSpecs.threeReplicas(spec);
        resource.getMetadata().setGeneration(2L);
        for (int round = 0; round < 20 && !(provisioned() && condition().message.contains("secondary-2:")); round++) {
            replicas.reconcileOnce(chain);
        }

        assertThat(condition().message).contains("secondary: CT 111 'traefik-2' is running on node proxmox2",
                "secondary-2: CT 112 'traefik-3' is running on node proxmox3");
        assertThat(provisioned()).isTrue();
        assertThat(events).filteredOn(e -> e.type() == ContainerEvent.Type.CREATED).extracting(ContainerEvent::vmid)
                .containsExactly(112);
        assertThat(events).as("CT 111 and CT 110 neither stopped, started, moved nor reconfigured")
                .noneMatch(e -> e.vmid() != 112);
    }

    /** cloneStrategy StopPrimary on both: one downtime for both clones, the primary started once the second is made. */
    @Test
    void withStopPrimaryThePrimaryIsDownOnceForBothClones() {
        resource.getSpec().secondaries.forEach(s -> s.cloneStrategy = SecondarySpec.CloneStrategy.StopPrimary);

        for (int round = 0; round < 20 && !provisioned(); round++) {
            replicas.reconcileOnce(chain);
        }

        assertThat(provisioned()).as(String.valueOf(condition())).isTrue();
        assertThat(events).filteredOn(e -> e.vmid() == 110 || e.type() == ContainerEvent.Type.CREATED)
                .extracting(e -> e.type() + " " + e.vmid())
                .containsExactly("STOPPED 110", "CREATED 111", "CREATED 112", "STARTED 110");
        assertThat(simulator.isRunning(110)).isTrue();
        assertThat(resource.getStatus().condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE).reason).isEqualTo("Started");
        assertThat(calls("POST /nodes/{node}/lxc/{vmid}/snapshot")).as("a stopped primary is cloned directly").isZero();
    }

    /**
     * Once Ready, a third replica costs a steady-state round nothing more on Proxmox: one call, and every fifth round a
     * full read that has one more container to read (measured: 13 calls against a pair's 11, the firewall reads still
     * covering two containers).
     */
    @Test
    void aSteadyStateRoundStillCostsOneProxmoxCall() {
        for (int round = 0; round < 30 && !ready(); round++) {
            replicas.reconcileOnce(chain);
        }
        assertThat(ready()).as(String.valueOf(resource.getStatus().conditions)).isTrue();
        gateway.recheck("the test starts counting from a full read");
        replicas.reconcileOnce(chain);

        for (int round = 1; round <= 2 * FULL_READ_EVERY; round++) {
            int before = simulator.exchanges().size();
            replicas.reconcileOnce(chain);
            List<String> calls = simulator.exchanges().subList(before, simulator.exchanges().size()).stream()
                    .map(e -> e.method() + " " + e.template()).toList();
            if (round % FULL_READ_EVERY != 0) {
                assertThat(calls).as("round " + round).containsExactly("GET /cluster/resources");
            } else {
                assertThat(calls).as("round " + round + ": a full read, every container's config")
                        .filteredOn("GET /nodes/{node}/lxc/{vmid}/config"::equals).hasSize(3);
            }
        }
    }

    private long calls(String call) {
        return simulator.exchanges().stream().filter(e -> call.equals(e.method() + " " + e.template())).count();
    }

    private boolean ready() {
        return resource.getStatus() != null && resource.getStatus().phase == ClusterPhase.Ready;
    }

    private boolean provisioned() {
        return condition() != null && Condition.TRUE.equals(condition().status);
    }

    private Condition condition() {
        return resource.getStatus() == null ? null : resource.getStatus().condition(ConditionTypes.SECONDARY_PROVISIONED);
    }

}
