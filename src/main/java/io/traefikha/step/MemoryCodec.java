package io.traefikha.step;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.HandoverStatus;
import io.traefikha.api.v1alpha1.MemoryStatus;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.api.v1alpha1.RolloutStatus;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.planner.ClusterMemory;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.HandoverPlanner;
import io.traefikha.planner.RollingPlanner;
import io.traefikha.sync.SyncMemory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link ClusterMemory} from the status at the start of a round, and status.memory from it at the end; and, once, the
 * {@link DurableState} a status written before the state ConfigMap existed implies.
 */
public final class MemoryCodec {

    /** The condition reason that told a status written before status.memory existed that the primary cannot snapshot. */
    private static final String LEGACY_SNAPSHOT_UNSUPPORTED = "SnapshotUnsupported";

    private MemoryCodec() {
    }

    public static ClusterMemory decode(TraefikHAClusterStatus status) {
        MemoryStatus memory = status.memory != null ? status.memory : fromConditions(status);
        ClusterMemory.SplitBrain splitBrain = memory.splitBrainCause == null ? null
                : new ClusterMemory.SplitBrain(memory.splitBrainCause, instant(memory.splitBrainSince));
        return new ClusterMemory(Boolean.TRUE.equals(memory.snapshotUnsupported), splitBrain, Boolean.TRUE.equals(memory.lsyncdRunByOperator), SyncMemory.from(status.sync),
                handover(status.handover), rollout(status.rollout));
    }

    /**
     * status.memory: the facts that have no other status field (sync, handover and rollout are written by their steps),
     * and the mirror of the durable record of a primary stopped for a clone.
     */
    public static MemoryStatus encode(ClusterMemory memory, Instant primaryStoppedForCloneSince) {
        MemoryStatus status = new MemoryStatus();
        status.primaryStoppedForCloneSince = seconds(primaryStoppedForCloneSince);
        status.snapshotUnsupported = memory.snapshotUnsupported() ? Boolean.TRUE : null;
        if (memory.splitBrain() != null) {
            status.splitBrainCause = memory.splitBrain().cause();
            status.splitBrainSince = seconds(memory.splitBrain().since());
        }
        status.lsyncdRunByOperator = memory.lsyncdRunByOperator() ? Boolean.TRUE : null;
        return status;
    }

    /**
     * Migration, for a resource whose state ConfigMap does not exist yet (written by an operator that kept these facts in
     * status): the primary stopped for a clone (status.memory, or before that the condition) and the host keys pinned
     * in status.nodes. Read until the ConfigMap is first written, never after.
     */
    public static DurableState durableFrom(TraefikHAClusterStatus status) {
        MemoryStatus memory = status.memory != null ? status.memory : fromConditions(status);
        DurableState state = DurableState.EMPTY.withPrimaryStoppedForCloneSince(instant(memory.primaryStoppedForCloneSince));
        for (NodeStatus node : status.nodes == null ? List.<NodeStatus>of() : status.nodes) {
            if (node.role != null && node.hostKeyFingerprint != null && !node.hostKeyFingerprint.isEmpty()) {
                state = state.withHostKey(Role.fromLabel(node.role), node.hostKeyFingerprint);
            }
        }
        return state;
    }

    /** The mirror of status.memory.primaryStoppedForCloneSince in a status, for a round that could not read the state. */
    public static Instant primaryStoppedForCloneSince(TraefikHAClusterStatus status) {
        return status.memory == null ? null : instant(status.memory.primaryStoppedForCloneSince);
    }

    /**
     * Migration, for a status written before status.memory existed: its facts were kept in conditions, and are read
     * from there once (the first round writes status.memory, and conditions are never read again). A fresh look could
     * not recover them all: a primary the operator stopped for a clone shows only as a stopped container.
     */
    private static MemoryStatus fromConditions(TraefikHAClusterStatus status) {
        MemoryStatus memory = new MemoryStatus();
        Condition stopped = status.condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE);
        if (isTrue(stopped)) {
            memory.primaryStoppedForCloneSince = stopped.lastTransitionTime;
        }
        Condition provisioned = status.condition(ConditionTypes.SECONDARY_PROVISIONED);
        memory.snapshotUnsupported = provisioned != null && LEGACY_SNAPSHOT_UNSUPPORTED.equals(provisioned.reason);
        Condition splitBrain = status.condition(ConditionTypes.SPLIT_BRAIN);
        if (isTrue(splitBrain)) {
            memory.splitBrainCause = splitBrain.reason;
            memory.splitBrainSince = splitBrain.lastTransitionTime;
        }
        memory.lsyncdRunByOperator = isTrue(status.condition(ConditionTypes.LSYNCD_RUNNING));
        return memory;
    }

    private static boolean isTrue(Condition condition) {
        return condition != null && Condition.TRUE.equals(condition.status);
    }

    private static HandoverPlanner.Memory handover(HandoverStatus status) {
        if (status == null || status.to == null || status.state == null) {
            return null;
        }
        return new HandoverPlanner.Memory(Role.fromLabel(status.to), HandoverPlanner.State.valueOf(status.state));
    }

    private static RollingPlanner.Memory rollout(RolloutStatus status) {
        if (status == null || status.kind == null || status.phase == null) {
            return null;
        }
        Map<Role, Integer> routers = new TreeMap<>();
        if (status.routersBefore != null) {
            status.routersBefore.forEach((role, count) -> routers.put(Role.fromLabel(role), count));
        }
        return new RollingPlanner.Memory(RollingPlanner.Kind.valueOf(status.kind), status.target,
                RollingPlanner.Phase.valueOf(status.phase), status.step == null ? null : RollingPlanner.Step.valueOf(status.step),
                status.node == null ? null : Role.fromLabel(status.node),
                status.first == null ? null : Role.fromLabel(status.first), lastOf(status),
                routers, status.jobId, instant(status.stepSince), instant(status.startedAt), instant(status.finishedAt),
                status.message);
    }

    /** A rollout recorded before status.rollout.last existed was a pair's: the node that did not go first went last. */
    private static Role lastOf(RolloutStatus status) {
        if (status.last != null) {
            return Role.fromLabel(status.last);
        }
        return status.first == null ? null : Role.fromLabel(status.first).peer();
    }

    private static Instant instant(String text) {
        return text == null || text.isBlank() ? null : Instant.parse(text);
    }

    private static String seconds(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
