package io.traefikha.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.MemoryStatus;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.planner.ClusterMemory;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.NodePlanner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** status.memory decoded once per round, written back at its end, and read from the old conditions only once. */
class MemoryCodecTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void aStatusWithoutMemoryRemembersNothing() {
        TraefikHAClusterStatus status = new TraefikHAClusterStatus();

        assertThat(MemoryCodec.decode(status)).isEqualTo(ClusterMemory.NONE);
        assertThat(MemoryCodec.encode(ClusterMemory.NONE, null)).usingRecursiveComparison().isEqualTo(new MemoryStatus());
    }

    @Test
    void everyFactSurvivesTheRoundTripThroughStatus() {
        ClusterMemory memory = ClusterMemory.NONE.withSnapshotUnsupported(true)
                .withSplitBrain(new ClusterMemory.SplitBrain(NodePlanner.ADVERTS_NOT_CROSSING, T0.plusSeconds(15)))
                .withLsyncdRunByOperator(true);
        TraefikHAClusterStatus status = new TraefikHAClusterStatus();
        status.memory = MemoryCodec.encode(memory, T0);

        assertThat(MemoryCodec.decode(status)).isEqualTo(memory);
        assertThat(status.memory.primaryStoppedForCloneSince).as("the mirror of the state object")
                .isEqualTo("2026-11-25T08:00:00Z");
        assertThat(status.memory.splitBrainCause).isEqualTo("AdvertsNotCrossing");
    }

    @Test
    void onceStatusHasMemoryConditionsAreExplanationsOnly() {
        TraefikHAClusterStatus status = new TraefikHAClusterStatus();
        status.memory = new MemoryStatus();
        status.conditions = List.of(condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE, Condition.TRUE, "ClonePending"),
                condition(ConditionTypes.SECONDARY_PROVISIONED, Condition.FALSE, "SnapshotUnsupported"),
                condition(ConditionTypes.SPLIT_BRAIN, Condition.TRUE, NodePlanner.ADVERTS_BLOCKED_BY_FIREWALL),
                condition(ConditionTypes.LSYNCD_RUNNING, Condition.TRUE, "Running"));

        assertThat(MemoryCodec.decode(status)).isEqualTo(ClusterMemory.NONE);
    }

    @Test
    void aStatusWrittenBeforeMemoryExistedIsReadFromItsConditionsOnce() {
        TraefikHAClusterStatus status = new TraefikHAClusterStatus();
        status.conditions = List.of(condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE, Condition.TRUE, "ClonePending"),
                condition(ConditionTypes.SECONDARY_PROVISIONED, Condition.FALSE, "SnapshotUnsupported"),
                condition(ConditionTypes.SPLIT_BRAIN, Condition.TRUE, NodePlanner.ADVERTS_BLOCKED_BY_FIREWALL),
                condition(ConditionTypes.LSYNCD_RUNNING, Condition.TRUE, "Running"));

        ClusterMemory memory = MemoryCodec.decode(status);

        assertThat(MemoryCodec.durableFrom(status).primaryStoppedForCloneSince()).isEqualTo(T0);
        assertThat(memory.snapshotUnsupported()).isTrue();
        assertThat(memory.splitBrain()).isEqualTo(new ClusterMemory.SplitBrain(NodePlanner.ADVERTS_BLOCKED_BY_FIREWALL, T0));
        assertThat(memory.lsyncdRunByOperator()).isTrue();
    }

    @Test
    void aStatusWrittenBeforeTheStateObjectExistedSeedsItsPinsAndItsDebtOnce() {
        TraefikHAClusterStatus status = new TraefikHAClusterStatus();
        status.memory = MemoryCodec.encode(ClusterMemory.NONE, T0);
        NodeStatus primary = new NodeStatus();
        primary.role = "primary";
        primary.hostKeyFingerprint = "SHA256:primary";
        NodeStatus secondary = new NodeStatus();
        secondary.role = "secondary";
        status.nodes = List.of(primary, secondary);

        DurableState seeded = MemoryCodec.durableFrom(status);

        assertThat(seeded.primaryStoppedForCloneSince()).isEqualTo(T0);
        assertThat(seeded.hostKeys()).containsExactly(Map.entry(Role.PRIMARY, "SHA256:primary"));
    }

    private static Condition condition(String type, String status, String reason) {
        Condition condition = new Condition(type, status, reason, "explained for people");
        condition.lastTransitionTime = T0.toString();
        return condition;
    }
}
