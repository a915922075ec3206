package io.traefikha.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.MemoryStatus;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.planner.ClusterMemory;
import io.traefikha.planner.NodePlanner;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** status.memory decoded once per round, written back at its end, and read from the old conditions only once. */
class MemoryCodecTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void aStatusWithoutMemoryRemembersNothing() {
        TraefikHAClusterStatus status = new TraefikHAClusterStatus();

        assertThat(MemoryCodec.decode(status)).isEqualTo(ClusterMemory.NONE);
        assertThat(MemoryCodec.encode(ClusterMemory.NONE)).usingRecursiveComparison().isEqualTo(new MemoryStatus());
    }

    @Test
    void everyFactSurvivesTheRoundTripThroughStatus() {
        ClusterMemory memory = ClusterMemory.NONE.withPrimaryStoppedForCloneSince(T0).withSnapshotUnsupported(true)
                .withSplitBrain(new ClusterMemory.SplitBrain(NodePlanner.ADVERTS_NOT_CROSSING, T0.plusSeconds(15)))
                .withLsyncdRunByOperator(true);
        TraefikHAClusterStatus status = new TraefikHAClusterStatus();
        status.memory = MemoryCodec.encode(memory);

        assertThat(MemoryCodec.decode(status)).isEqualTo(memory);
        assertThat(status.memory.primaryStoppedForCloneSince).isEqualTo("2026-11-25T08:00:00Z");
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

        assertThat(memory.primaryStoppedForCloneSince()).isEqualTo(T0);
        assertThat(memory.snapshotUnsupported()).isTrue();
        assertThat(memory.splitBrain()).isEqualTo(new ClusterMemory.SplitBrain(NodePlanner.ADVERTS_BLOCKED_BY_FIREWALL, T0));
        assertThat(memory.lsyncdRunByOperator()).isTrue();
    }

    private static Condition condition(String type, String status, String reason) {
        Condition condition = new Condition(type, status, reason, "explained for people");
        condition.lastTransitionTime = T0.toString();
        return condition;
    }
}
