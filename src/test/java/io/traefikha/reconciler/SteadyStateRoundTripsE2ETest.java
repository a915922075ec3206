package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.planner.RoutesPlanner;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.testbed.CountingNodeAccess;
import io.traefikha.testbed.HaPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 6: once the pair is Ready, with lsyncd running and the configuration in sync, a whole reconcile over real SSH
 * costs one round trip per node, the probe: lsyncd and the config sync act on what it reported. Issue 16: the same
 * probe lists the routers each Traefik has loaded, so a router the secondary's Traefik left out while its files match
 * the primary's shows as RoutesMatch False at the next reconcile, at no extra round trip.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SteadyStateRoundTripsE2ETest {

    private static final int MAX_ROUNDS = 40;
    /** Outside the synced tree: the bed's stand-in Traefik on this node alone leaves out the routers it names. */
    private static final String LOADED_DIFFERENTLY = "/etc/bed-routers-loaded";

    private static HaPair pair;
    /** CT 111 is the bed's secondary host, off until the operator has cloned and started it. */
    private static FakeProxmox proxmox;
    private static TraefikHACluster resource;
    private static CountingNodeAccess counting;
    private final RecordingEvents events = new RecordingEvents();
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events,
            new ReconcileMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), Duration.ofSeconds(1));

    @BeforeAll
    static void createPair() {
        pair = HaPair.create();
        proxmox = FakeProxmox.onBed(pair);
        counting = new CountingNodeAccess(pair.access);
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid("5f1e0c3a-0000-4000-8000-000000000006");
        resource.getMetadata().setGeneration(1L);
        HaPair.spec(resource.getSpec());
    }

    @AfterAll
    static void closePair() {
        if (pair != null) {
            pair.close();
            pair = null;
        }
    }

    @Test
    @Order(1)
    void aSteadyStateReconcileMakesOneRoundTripPerNode() {
        assertThat(resource.getSpec().sync.mode).as("the default, which runs lsyncd").isEqualTo(SyncMode.Lsyncd);
        reachSteadyState();
        counting.reset();
        reconcile();

        System.out.printf("SSH round trips in a steady-state reconcile: primary=%d secondary=%d%n",
                counting.roundTrips(HaPair.PRIMARY_ADDRESS), counting.roundTrips(HaPair.SECONDARY_ADDRESS));
        assertThat(steady()).as("still steady").isTrue();
        assertThat(counting.roundTrips(HaPair.PRIMARY_ADDRESS)).as("round trips to the primary").isEqualTo(1);
        assertThat(counting.roundTrips(HaPair.SECONDARY_ADDRESS)).as("round trips to the secondary").isEqualTo(1);
    }

    @Test
    @Order(2)
    void aRouterTheSecondaryDidNotLoadWhileItsFilesMatchIsNamedAtTheNextReconcile() {
        reachSteadyState();
        assertThat(condition(ConditionTypes.ROUTES_MATCH).message).startsWith("both nodes have loaded the same 3 routers");
        try {
            pair.secondary.write(LOADED_DIFFERENTLY, "router1@file\n", "644");
            counting.reset();
            reconcile();

            assertThat(condition(ConditionTypes.ROUTES_MATCH)).satisfies(c -> {
                assertThat(c.status).isEqualTo(Condition.FALSE);
                assertThat(c.reason).isEqualTo(RoutesPlanner.DIFFER);
                assertThat(c.message).contains("the secondary lacks router1@file (3 routers on the primary, 2 on the secondary)");
            });
            assertThat(events.recorded).filteredOn(e -> e.reason().equals("RoutesDiffer")).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("router1@file"));
            assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Degraded);
            assertThat(isTrue(ConditionTypes.CONFIG_IN_SYNC)).as("the files are the same").isTrue();
            assertThat(counting.roundTrips(HaPair.PRIMARY_ADDRESS) + counting.roundTrips(HaPair.SECONDARY_ADDRESS))
                    .as("seen by the probes alone").isEqualTo(2);
        } finally {
            pair.secondary.exec("rm -f " + LOADED_DIFFERENTLY).orThrow("rm");
        }
        reconcile();

        assertThat(condition(ConditionTypes.ROUTES_MATCH).status).isEqualTo(Condition.TRUE);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(events.reasons()).contains("RoutesMatch");
    }

    /** Reconciles until Ready with lsyncd running and the files in sync (at once when an earlier test got there). */
    private void reachSteadyState() {
        int rounds = 0;
        while (!steady()) {
            assertThat(rounds++).as("steady after " + MAX_ROUNDS + " reconciles; conditions "
                    + (resource.getStatus() == null ? null : resource.getStatus().conditions.stream()
                    .map(c -> c.type + "=" + c.status + " " + c.message).toList())).isLessThan(MAX_ROUNDS);
            reconcile();
            HaPair.await(Duration.ofMillis(500), () -> false);
        }
    }

    private boolean steady() {
        return resource.getStatus() != null && resource.getStatus().phase == ClusterPhase.Ready
                && isTrue(ConditionTypes.LSYNCD_RUNNING) && isTrue(ConditionTypes.CONFIG_IN_SYNC)
                && isTrue(ConditionTypes.ROUTES_MATCH);
    }

    private Condition condition(String type) {
        return resource.getStatus().condition(type);
    }

    private boolean isTrue(String type) {
        Condition condition = condition(type);
        return condition != null && Condition.TRUE.equals(condition.status);
    }

    private void reconcile() {
        Map<Role, HostKeyPolicy> hostKeys = Map.of(
                Role.PRIMARY, new HostKeyPolicy.TrustOnFirstUse(pair.primary.hostKeyFingerprint()),
                Role.SECONDARY, new HostKeyPolicy.TrustOnFirstUse(pair.secondary.hostKeyFingerprint()));
        try (SshNodeGateway nodes = new SshNodeGateway(counting, resource.getSpec(), pair.bed.ed25519Key(), hostKeys,
                HaPair.AUTHORIZED_KEYS)) {
            Rounds.run(reconciliation, resource, new FixedConnections(proxmox, nodes, resource.getSpec()), Duration.ofSeconds(15));
        }
    }
}
