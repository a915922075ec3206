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
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.step.StatusAggregator;
import io.traefikha.testbed.CountingNodeAccess;
import io.traefikha.testbed.HaPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: once the pair is Ready, with lsyncd running and the configuration in sync, a whole reconcile over real SSH
 * costs one round trip per node, the probe: lsyncd and the config sync act on what it reported.
 */
@Tag("e2e")
class SteadyStateRoundTripsE2ETest {

    private static final int MAX_ROUNDS = 40;

    private static HaPair pair;
    private FakeProxmox proxmox;
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(new RecordingEvents(),
            new ReconcileMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), Duration.ofSeconds(1));
    private TraefikHACluster resource;

    /** CT 111 is the bed's secondary host, off until the operator has cloned and started it. */
    @BeforeEach
    void proxmoxOfTheBed() {
        proxmox = FakeProxmox.onBed(pair);
    }

    @BeforeAll
    static void createPair() {
        pair = HaPair.create();
    }

    @AfterAll
    static void closePair() {
        if (pair != null) {
            pair.close();
            pair = null;
        }
    }

    @Test
    void aSteadyStateReconcileMakesOneRoundTripPerNode() {
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid("5f1e0c3a-0000-4000-8000-000000000006");
        resource.getMetadata().setGeneration(1L);
        HaPair.spec(resource.getSpec());
        assertThat(resource.getSpec().sync.mode).as("the default, which runs lsyncd").isEqualTo(SyncMode.Lsyncd);
        CountingNodeAccess counting = new CountingNodeAccess(pair.access);

        int rounds = 0;
        while (!steady()) {
            assertThat(rounds++).as("steady after " + MAX_ROUNDS + " reconciles; conditions "
                    + (resource.getStatus() == null ? null : resource.getStatus().conditions.stream()
                    .map(c -> c.type + "=" + c.status + " " + c.message).toList())).isLessThan(MAX_ROUNDS);
            reconcile(counting);
            HaPair.await(Duration.ofMillis(500), () -> false);
        }
        counting.reset();
        reconcile(counting);

        System.out.printf("SSH round trips in a steady-state reconcile: primary=%d secondary=%d%n",
                counting.roundTrips(HaPair.PRIMARY_ADDRESS), counting.roundTrips(HaPair.SECONDARY_ADDRESS));
        assertThat(steady()).as("still steady").isTrue();
        assertThat(counting.roundTrips(HaPair.PRIMARY_ADDRESS)).as("round trips to the primary").isEqualTo(1);
        assertThat(counting.roundTrips(HaPair.SECONDARY_ADDRESS)).as("round trips to the secondary").isEqualTo(1);
    }

    private boolean steady() {
        return resource.getStatus() != null && resource.getStatus().phase == ClusterPhase.Ready
                && isTrue(ConditionTypes.LSYNCD_RUNNING) && isTrue(ConditionTypes.CONFIG_IN_SYNC);
    }

    private boolean isTrue(String type) {
        Condition condition = resource.getStatus().condition(type);
        return condition != null && Condition.TRUE.equals(condition.status);
    }

    private void reconcile(CountingNodeAccess access) {
        Map<Role, HostKeyPolicy> hostKeys = Map.of(
                Role.PRIMARY, new HostKeyPolicy.TrustOnFirstUse(pair.primary.hostKeyFingerprint()),
                Role.SECONDARY, new HostKeyPolicy.TrustOnFirstUse(pair.secondary.hostKeyFingerprint()));
        StatusAggregator status = new StatusAggregator(resource, Clock.systemUTC());
        status.condition(ConditionTypes.VALID, true, "SpecValid", "ok");
        try (SshNodeGateway nodes = new SshNodeGateway(access, resource.getSpec(), pair.bed.ed25519Key(), hostKeys,
                HaPair.AUTHORIZED_KEYS)) {
            reconciliation.run(resource, status, new FixedConnections(proxmox, nodes, resource.getSpec()), Duration.ofSeconds(15))
                    .failure().ifPresent(failure -> {
                        throw failure; // a step failed unforeseen: the test sees it as before
                    });
        }
        resource.setStatus(status.build());
    }
}
