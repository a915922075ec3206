package io.traefikha.step;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.traefikha.api.v1alpha1.BackupStatus;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DnsStatus;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.api.v1alpha1.EntryPointStatus;
import io.traefikha.api.v1alpha1.FailoverStatus;
import io.traefikha.api.v1alpha1.HandoverStatus;
import io.traefikha.api.v1alpha1.MemoryStatus;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.api.v1alpha1.PreflightCheckStatus;
import io.traefikha.api.v1alpha1.RolloutStatus;
import io.traefikha.api.v1alpha1.ServedNameStatus;
import io.traefikha.api.v1alpha1.SyncStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.api.v1alpha1.VipStatus;
import io.traefikha.domain.ConditionTypes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one place that writes status. Reconcile steps report conditions and facts to it; it keeps each condition's
 * lastTransitionTime while its status does not change and stamps everything with the generation it was computed from.
 */
public final class StatusAggregator {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Conditions whose True means trouble (the rest mean "this part is fine" when True). */
    private static final Set<String> PROBLEM_TYPES = Set.of(ConditionTypes.CONFLICT, ConditionTypes.SPLIT_BRAIN,
            ConditionTypes.DNS_CONFLICT, ConditionTypes.MAINTENANCE, ConditionTypes.ROLLOUT);
    /** Conditions that warn and never decide Ready, whatever their status. */
    private static final Set<String> WARNING_TYPES = Set.of(ConditionTypes.INSECURE_TRANSPORT, ConditionTypes.SINGLE_HOST,
            ConditionTypes.CERTIFICATES_VALID);

    private final TraefikHAClusterStatus previous;
    private final TraefikHAClusterStatus next;
    private final Map<String, Condition> conditions = new LinkedHashMap<>();
    private final long generation;
    private final Clock clock;

    public StatusAggregator(TraefikHACluster resource, Clock clock) {
        this.previous = resource.getStatus() == null ? new TraefikHAClusterStatus() : resource.getStatus();
        this.generation = resource.getMetadata().getGeneration() == null ? 0L : resource.getMetadata().getGeneration();
        this.clock = clock;
        this.next = copyFacts(previous);
    }

    public StatusAggregator condition(String type, boolean status, String reason, String message) {
        return condition(type, status ? Condition.TRUE : Condition.FALSE, reason, message);
    }

    public StatusAggregator condition(String type, String status, String reason, String message) {
        Condition condition = new Condition(type, status, reason, message);
        condition.observedGeneration = generation;
        conditions.put(type, condition);
        return this;
    }

    public StatusAggregator phase(ClusterPhase phase) {
        next.phase = phase;
        return this;
    }

    public StatusAggregator plannedActions(List<String> actions) {
        next.plannedActions = new ArrayList<>(actions);
        return this;
    }

    /** status.nodes, and status.replicas counted from them. */
    public StatusAggregator nodes(List<NodeStatus> nodes) {
        next.nodes = new ArrayList<>(nodes);
        next.replicas = nodes.stream().filter(NodeStatus::ready).count() + "/" + nodes.size();
        return this;
    }

    public StatusAggregator vip(VipStatus vip) {
        next.vip = vip;
        return this;
    }

    /** What the VIP's entry points answered, added to status.vip as this round wrote it (a copy: previous stays as it was). */
    public StatusAggregator vipEntryPoints(List<EntryPointStatus> entryPoints) {
        VipStatus vip = new VipStatus();
        if (next.vip != null) {
            vip.address = next.vip.address;
            vip.holder = next.vip.holder;
            vip.since = next.vip.since;
            vip.lastHolder = next.vip.lastHolder;
            vip.address6 = next.vip.address6;
            vip.holder6 = next.vip.holder6;
        }
        vip.entryPoints = List.copyOf(entryPoints);
        next.vip = vip;
        return this;
    }

    public StatusAggregator sync(SyncStatus sync) {
        next.sync = sync;
        return this;
    }

    public StatusAggregator dns(DnsStatus dns) {
        next.dns = dns;
        return this;
    }

    public StatusAggregator served(List<ServedNameStatus> served) {
        next.served = served == null ? null : new ArrayList<>(served);
        return this;
    }

    public StatusAggregator handover(HandoverStatus handover) {
        next.handover = handover;
        return this;
    }

    public StatusAggregator rollout(RolloutStatus rollout) {
        next.rollout = rollout;
        return this;
    }

    /** The preflight checks as they came out, and the spec hash they passed for (null while they do not pass). */
    public StatusAggregator preflight(List<PreflightCheckStatus> checks, String passedSpecHash) {
        next.preflight = new ArrayList<>(checks);
        next.preflightPassedSpecHash = passedSpecHash;
        return this;
    }

    public StatusAggregator backup(BackupStatus backup) {
        next.backup = backup;
        return this;
    }

    public StatusAggregator memory(MemoryStatus memory) {
        next.memory = memory;
        return this;
    }

    public StatusAggregator failovers(FailoverStatus failovers) {
        next.failovers = failovers;
        return this;
    }

    public StatusAggregator lastDrill(DrillStatus lastDrill) {
        next.lastDrill = lastDrill;
        return this;
    }

    /** The conditions reported in this round, in the order reported. */
    public List<Condition> reportedConditions() {
        return List.copyOf(conditions.values());
    }

    /** The condition reported in this round, or null. */
    public Condition reportedCondition(String type) {
        return conditions.get(type);
    }

    /** Whether a condition was reported in this round. */
    public boolean reported(String type) {
        return conditions.containsKey(type);
    }

    /** Whether the condition reported in this round is True (a condition not reported counts as not true). */
    public boolean isTrue(String type) {
        Condition condition = conditions.get(type);
        return condition != null && Condition.TRUE.equals(condition.status);
    }

    /** Whether the condition reported in this round is False (a condition not reported is not false). */
    public boolean isFalse(String type) {
        Condition condition = conditions.get(type);
        return condition != null && Condition.FALSE.equals(condition.status);
    }

    /** The first condition of this round that says something is not right: a part False, or a problem True. */
    public Condition firstFalse() {
        return conditions.values().stream()
                .filter(c -> PROBLEM_TYPES.contains(c.type) ? Condition.TRUE.equals(c.status) : Condition.FALSE.equals(c.status))
                .filter(c -> !ConditionTypes.READY.equals(c.type) && !WARNING_TYPES.contains(c.type))
                .findFirst().orElse(null);
    }

    /** The previous status, for steps that compare (e.g. the VIP holder before and now). */
    public TraefikHAClusterStatus previous() {
        return previous;
    }

    public TraefikHAClusterStatus build() {
        next.observedGeneration = generation;
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        List<Condition> merged = new ArrayList<>();
        for (Condition condition : conditions.values()) {
            Condition before = previous.condition(condition.type);
            condition.lastTransitionTime = before != null && Objects.equals(before.status, condition.status)
                    && before.lastTransitionTime != null ? before.lastTransitionTime : now;
            merged.add(condition);
        }
        // Conditions not reported this round (e.g. a step that did not run) stay as they were.
        for (Condition old : previous.conditions == null ? List.<Condition>of() : previous.conditions) {
            if (!conditions.containsKey(old.type)) {
                merged.add(old);
            }
        }
        next.conditions = merged;
        return next;
    }

    /** True when the built status differs from the previous one, so an unchanged status is not patched again. */
    public static boolean changed(TraefikHAClusterStatus before, TraefikHAClusterStatus after) {
        return !JSON.valueToTree(before).equals(JSON.valueToTree(after));
    }

    private static TraefikHAClusterStatus copyFacts(TraefikHAClusterStatus from) {
        TraefikHAClusterStatus copy = new TraefikHAClusterStatus();
        copy.phase = from.phase;
        copy.vip = from.vip;
        copy.nodes = from.nodes == null ? new ArrayList<>() : new ArrayList<>(from.nodes);
        copy.replicas = from.replicas;
        copy.sync = from.sync;
        copy.dns = from.dns;
        copy.served = from.served;
        copy.failovers = from.failovers;
        copy.lastDrill = from.lastDrill;
        copy.handover = from.handover;
        copy.rollout = from.rollout;
        copy.masterDownInterval = from.masterDownInterval;
        copy.memory = from.memory;
        copy.preflight = from.preflight == null ? new ArrayList<>() : new ArrayList<>(from.preflight);
        copy.preflightPassedSpecHash = from.preflightPassedSpecHash;
        copy.backup = from.backup;
        copy.plannedActions = from.plannedActions == null ? new ArrayList<>() : new ArrayList<>(from.plannedActions);
        return copy;
    }
}
