package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.domain.Uptake;
import io.traefikha.planner.NodePlanner;
import io.traefikha.planner.SplitBrainContext;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two live MASTERs on the in-memory node pair (adverts blocked between them): found, reported with its cause, the VIP
 * kept on the primary alone by stopping keepalived on the secondary, and the secondary started again once it may be.
 */
class SplitBrainTest {

    private static final Map<Role, List<ManagedFile>> FILES = Map.of(
            Role.PRIMARY, List.of(new ManagedFile(RemoteFile.rootOwned("/etc/keepalived/keepalived.conf", "state MASTER", 0644), Uptake.AT_LOAD)),
            Role.SECONDARY, List.of(new ManagedFile(RemoteFile.rootOwned("/etc/keepalived/keepalived.conf", "state BACKUP", 0644), Uptake.AT_LOAD)));

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-25T08:00:00Z"));
    private final FakeProxmox proxmox = new FakeProxmox();
    private final SimulatedNodes nodes = new SimulatedNodes();
    private final RecordingEvents events = new RecordingEvents();
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events,
            new ReconcileMetrics(new SimpleMeterRegistry()), clock, Duration.ofSeconds(5));
    private TraefikHACluster resource;

    @BeforeEach
    void readyPair() {
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid("5b1e0c3a-0000-4000-8000-000000000002");
        resource.getMetadata().setGeneration(1L);
        for (int round = 0; round < 10 && !phaseIs(ClusterPhase.Ready); round++) {
            reconcile();
        }
        assertThat(phaseIs(ClusterPhase.Ready)).isTrue();
    }

    @Test
    void twoLiveMastersKeepTheVipOnThePrimaryUntilTheAdvertsCrossAgain() {
        nodes.blockAdverts(true);
        assertThat(nodes.nodes.get(Role.SECONDARY).vip).as("the simulation has both holding the VIP").isTrue();

        reconcile();
        assertThat(condition(ConditionTypes.SPLIT_BRAIN).reason).as("seen once, not yet acted on")
                .isEqualTo(NodePlanner.TWO_MASTERS_UNCONFIRMED);
        assertThat(nodes.applied).noneMatch(a -> a instanceof NodeAction.StopService);
        reconcile();

        Condition split = condition(ConditionTypes.SPLIT_BRAIN);
        assertThat(split.status).isEqualTo(Condition.TRUE);
        assertThat(split.reason).isEqualTo("AdvertsNotCrossing");
        assertThat(split.message).contains("keepalived on the secondary is stopped").contains("multicast");
        assertThat(events.recorded).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("SplitBrain");
            assertThat(e.message()).isEqualTo(split.message);
        });
        assertThat(nodes.applied).contains(new NodeAction.StopService(Role.SECONDARY, "keepalived"));
        assertThat(nodes.nodes.get(Role.PRIMARY).vip).isTrue();
        assertThat(nodes.nodes.get(Role.SECONDARY).vip).isFalse();

        // While the cause lasts, the stopped keepalived is not "repaired" back into a second MASTER.
        int applied = nodes.applied.size();
        clock.advance(Duration.ofMinutes(1));
        reconcile();
        assertThat(nodes.applied).hasSize(applied);
        assertThat(condition(ConditionTypes.SPLIT_BRAIN).status).isEqualTo(Condition.TRUE);
        assertThat(condition(ConditionTypes.SPLIT_BRAIN).message).contains("was stopped so that only the primary holds");
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Degraded);
        assertThat(resource.getStatus().vip.holder).isEqualTo("traefik");

        // The network is fixed; after the retry interval the secondary runs again as BACKUP.
        nodes.blockAdverts(false);
        clock.advance(SplitBrainContext.RETRY_AFTER);
        reconcile();
        assertThat(nodes.applied.subList(applied, nodes.applied.size()))
                .containsExactly(new NodeAction.StartService(Role.SECONDARY, "keepalived"));
        assertThat(condition(ConditionTypes.SPLIT_BRAIN).status).isEqualTo(Condition.FALSE);
        assertThat(events.reasons()).contains("SplitBrainResolved");
        reconcile();
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(nodes.nodes.get(Role.SECONDARY).state).isEqualTo("BACKUP");
    }

    @Test
    void advertsStillBlockedAtTheRetryStopTheSecondaryAgain() {
        nodes.blockAdverts(true);
        reconcile(); // seen once
        reconcile(); // confirmed: the secondary is stopped
        clock.advance(SplitBrainContext.RETRY_AFTER);

        reconcile(); // started again: both MASTER once more
        reconcile(); // seen once more
        reconcile(); // confirmed again and stopped again

        assertThat(nodes.applied).filteredOn(a -> a.equals(new NodeAction.StopService(Role.SECONDARY, "keepalived")))
                .hasSize(2);
        assertThat(nodes.nodes.get(Role.SECONDARY).vip).isFalse();
        assertThat(condition(ConditionTypes.SPLIT_BRAIN).status).isEqualTo(Condition.TRUE);
    }

    private void reconcile() {
        Rounds.run(reconciliation, resource, new FixedConnections(proxmox, nodes, FILES), Duration.ofSeconds(15), clock);
    }

    private boolean phaseIs(ClusterPhase phase) {
        return resource.getStatus() != null && resource.getStatus().phase == phase;
    }

    private Condition condition(String type) {
        return resource.getStatus().condition(type);
    }

    /** A clock the test moves forward, for the retry interval. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
