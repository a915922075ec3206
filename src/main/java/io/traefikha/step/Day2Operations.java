package io.traefikha.step;

import io.traefikha.api.v1alpha1.Durations;
import io.traefikha.api.v1alpha1.HandoverStatus;
import io.traefikha.api.v1alpha1.MaintenanceSpec;
import io.traefikha.api.v1alpha1.RolloutStatus;
import io.traefikha.api.v1alpha1.SyncStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import io.traefikha.planner.HandoverPlanner;
import io.traefikha.planner.RollingPlanner;
import io.traefikha.sync.SyncOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The reconcile step for day-2 operations that move the VIP on purpose: a declared maintenance, a rolling Traefik
 * upgrade, a rolling restart after a static configuration change. It decides where the VIP must be this round (one
 * {@link HandoverPlanner} handover for all of them), which command to start on which node ({@link RollingPlanner}), and
 * reports status.handover, status.rollout, the conditions Maintenance and Rollout, and Events. The planners are pure;
 * this class only reads status, calls them and writes the result back.
 */
public final class Day2Operations {

    private static final Logger LOG = Logger.getLogger(Day2Operations.class);
    private final EventRecorder events;
    private final Clock clock;

    Day2Operations(EventRecorder events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /**
     * This round's decision.
     *
     * @param pin     the node the keepalived files pin the VIP to, or empty
     * @param actions commands to start on the nodes (after keepalived is configured)
     * @param rollout the rollout state after this round, or null
     * @param moving  a handover waits for the VIP to move
     */
    record Decision(Optional<Role> pin, List<NodeAction> actions, RollingPlanner.Memory rollout, boolean moving) {
        static final Decision NONE = new Decision(Optional.empty(), List.of(), null, false);

        /** Something is under way that the next look should confirm soon: a handover or a rollout step. */
        boolean busy() {
            return moving || !actions.isEmpty() || rollout != null && rollout.phase() == RollingPlanner.Phase.InProgress;
        }
    }

    /** Under dry run: what the declared operations would do, for status.plannedActions (nothing is moved or run). */
    static List<String> wouldDo(TraefikHAClusterSpec spec) {
        List<String> planned = new ArrayList<>();
        if (spec.maintenance != null && spec.maintenance.node != null) {
            Role maintained = spec.maintenance.role();
            List<String> others = othersThan(spec, maintained).stream().map(Role::label).toList();
            planned.add("maintenance of the " + maintained.label() + ": hand the VIP to the "
                    + (others.size() == 1 ? others.get(0) : "first healthy of the " + String.join(", ", others))
                    + " (keepalived files pinned and reloaded) and keep it there until spec.maintenance is removed");
        }
        if (spec.traefik != null && spec.traefik.upgrade != null) {
            planned.add("rolling upgrade of Traefik to " + spec.traefik.upgrade.version + " with '"
                    + spec.traefik.upgrade.command + "': one node at a time, each verified, the nodes without the VIP"
                    + " first, then the VIP handed over and the node that held it" + (spec.vip.preempt
                            ? ", fail back to the primary" : ""));
        }
        return planned;
    }

    Decision plan(Round round) {
        TraefikHACluster resource = round.resource();
        StatusAggregator status = round.status();
        Map<Role, NodeObservation> nodes = round.probes();
        TraefikHAClusterSpec spec = resource.getSpec();
        if (spec.dryRun) {
            return Decision.NONE; // a dry run moves no VIP and starts nothing; the handover state stays as it was
        }
        Instant now = clock.instant();
        HandoverStatus previousHandover = status.previous().handover;
        HandoverPlanner.Memory handoverMemory = round.memory().handover();
        RollingPlanner.Memory rolloutMemory = round.memory().rollout();
        MaintenanceSpec maintenance = spec.maintenance;

        HandoverPlanner.Request placement;
        Role returnTo = null;
        boolean returning = maintenance == null && previousHandover != null && previousHandover.returnTo != null;
        RollingPlanner.Memory rolloutAfter = rolloutMemory;
        List<NodeAction> actions = List.of();
        if (maintenance != null) {
            Role maintained = maintenance.role();
            placement = new HandoverPlanner.Request(maintenanceTarget(spec, maintained, nodes, handoverMemory),
                    "maintenance of the " + maintained.label());
            returnTo = previousHandover != null && previousHandover.returnTo != null ? Role.fromLabel(previousHandover.returnTo)
                    : homeOf(spec, nodes);
        } else if (returning) {
            returnTo = Role.fromLabel(previousHandover.returnTo);
            placement = new HandoverPlanner.Request(returnTo, "the maintenance ended");
        } else {
            RollingPlanner.Decision decision = RollingPlanner.next(request(spec, rolloutMemory), rolloutMemory, nodes,
                    handoverMemory, spec.vip.preempt, now, Durations.parse(spec.traefik.stepTimeout));
            decision.notes().forEach(note -> record(resource, note.warning(), note.reason(), note.message()));
            rolloutAfter = decision.memory();
            actions = decision.actions();
            placement = decision.placement();
        }
        reportRollout(status, rolloutAfter, maintenance != null);

        if (placement == null) {
            status.handover(null);
            reportMaintenance(status, null, null);
            return new Decision(Optional.empty(), actions, rolloutAfter, false);
        }
        HandoverPlanner.Handover handover = HandoverPlanner.plan(placement, handoverMemory, nodes);
        tell(resource, previousHandover, handover);
        if (returning && handover.state() != HandoverPlanner.State.Moving) {
            // Back where it was before the maintenance (or refused): the spec's own priorities apply again.
            status.handover(null);
            reportMaintenance(status, null, handover);
            return new Decision(Optional.empty(), actions, rolloutAfter, false);
        }
        status.handover(toStatus(handover, placement.why(), returnTo, previousHandover, now));
        reportMaintenance(status, maintenance, handover);
        return new Decision(handover.pin(), actions, rolloutAfter,
                handover.state() == HandoverPlanner.State.Moving);
    }

    /**
     * A changed static configuration asks for a rolling restart, unless one for it is already under way (or failed: it
     * is asked for again when the configuration changes again); once a restart of exactly this configuration has
     * succeeded, the sync remembers it as applied.
     */
    void staticConfigChanged(Round round, SyncOutcome outcome) {
        TraefikHACluster resource = round.resource();
        StatusAggregator status = round.status();
        if (outcome.staticConfigChanged().isEmpty() || resource.getSpec().dryRun) {
            return;
        }
        RollingPlanner.Memory rollout = round.day2().rollout();
        boolean thisConfig = rollout != null && rollout.kind() == RollingPlanner.Kind.Restart
                && Objects.equals(rollout.target(), outcome.staticConfigHash());
        if (thisConfig && rollout.phase() == RollingPlanner.Phase.Succeeded) {
            SyncStatus sync = outcome.toStatus();
            sync.appliedStaticConfigHash = outcome.staticConfigHash();
            status.sync(sync);
            return;
        }
        if (thisConfig || (rollout != null && !rollout.finished())) {
            return; // under way (or another rollout is: the restart is asked for again once it ends)
        }
        String message = "the static configuration changed (" + String.join(", ", outcome.staticConfigChanged())
                + "): Traefik is restarted on the node without the VIP first, verified, then on the other";
        events.normal(resource, "StaticConfigChanged", message);
        RollingPlanner.Memory pending = new RollingPlanner.Memory(RollingPlanner.Kind.Restart, outcome.staticConfigHash(),
                RollingPlanner.Phase.Pending, null, null, null, null, Map.of(), null, null, clock.instant(), null, message);
        reportRollout(status, pending, resource.getSpec().maintenance != null);
    }

    /** An unfinished restart goes on; otherwise the spec's upgrade (a finished one stays finished: same target). */
    private static RollingPlanner.Request request(TraefikHAClusterSpec spec, RollingPlanner.Memory memory) {
        if (memory != null && memory.kind() == RollingPlanner.Kind.Restart && !memory.finished()) {
            return new RollingPlanner.Request(RollingPlanner.Kind.Restart, memory.target(), spec.sync.reloadCommand);
        }
        if (spec.traefik.upgrade != null) {
            return new RollingPlanner.Request(RollingPlanner.Kind.Upgrade, spec.traefik.upgrade.version,
                    spec.traefik.upgrade.command);
        }
        return null;
    }

    /**
     * Where the VIP goes while a node is maintained: where it was handed to, while that node can keep it; else the
     * healthy node with the highest priority among the others (role order); with none healthy, that same first one, so
     * the handover is refused naming why, and the VIP stays where it is.
     */
    private static Role maintenanceTarget(TraefikHAClusterSpec spec, Role maintained, Map<Role, NodeObservation> nodes,
            HandoverPlanner.Memory previous) {
        List<Role> others = othersThan(spec, maintained);
        Predicate<Role> healthy = role -> nodes.containsKey(role) && nodes.get(role).canTakeVip();
        if (previous != null && others.contains(previous.to()) && healthy.test(previous.to())) {
            return previous.to();
        }
        return others.stream().filter(healthy).findFirst().orElse(others.get(0));
    }

    private static List<Role> othersThan(TraefikHAClusterSpec spec, Role maintained) {
        return spec.roles().stream().filter(role -> !role.equals(maintained)).toList();
    }

    /** Where the VIP goes back after a maintenance: with preemption the primary, otherwise where it was. */
    private static Role homeOf(TraefikHAClusterSpec spec, Map<Role, NodeObservation> nodes) {
        if (spec.vip.preempt) {
            return Role.PRIMARY;
        }
        return nodes.values().stream().filter(NodeObservation::servesVip).map(NodeObservation::role).findFirst()
                .orElse(Role.PRIMARY);
    }

    private void tell(TraefikHACluster resource, HandoverStatus before, HandoverPlanner.Handover now) {
        boolean same = before != null && now.to().label().equals(before.to) && now.state().name().equals(before.state);
        if (same) {
            return;
        }
        LOG.infof("%s/%s: %s", resource.getMetadata().getNamespace(), resource.getMetadata().getName(), now.message());
        switch (now.state()) {
            case Moving -> events.normal(resource, "HandoverStarted", now.message());
            case Held -> events.normal(resource, "VIPHandedOver", now.message());
            case Displaced -> events.warning(resource, "HandoverDisplaced", now.message());
            case Refused -> events.warning(resource, "HandoverRefused", now.message());
        }
    }

    private void record(TraefikHACluster resource, boolean warning, String reason, String message) {
        LOG.infof("%s/%s: %s", resource.getMetadata().getNamespace(), resource.getMetadata().getName(), message);
        if (warning) {
            events.warning(resource, reason, message);
        } else {
            events.normal(resource, reason, message);
        }
    }

    private static void reportMaintenance(StatusAggregator status, MaintenanceSpec maintenance,
            HandoverPlanner.Handover handover) {
        if (maintenance == null) {
            status.condition(ConditionTypes.MAINTENANCE, false, handover == null ? "None" : "Ended",
                    handover == null ? "no maintenance is declared" : "the maintenance ended: " + handover.message());
            return;
        }
        String reason = handover.state() == HandoverPlanner.State.Held ? "VIPMoved" : handover.state().name();
        status.condition(ConditionTypes.MAINTENANCE, true, reason, "maintenance of the " + maintenance.node + ": "
                + handover.message());
    }

    private static void reportRollout(StatusAggregator status, RollingPlanner.Memory rollout, boolean paused) {
        status.rollout(rollout == null ? null : toStatus(rollout));
        if (rollout == null) {
            status.condition(ConditionTypes.ROLLOUT, false, "None", "no rolling upgrade or restart was asked for");
            return;
        }
        String message = paused && !rollout.finished() ? "paused while a maintenance is declared: " + rollout.message()
                : rollout.message();
        switch (rollout.phase()) {
            case Succeeded -> status.condition(ConditionTypes.ROLLOUT, false, "Succeeded", message);
            case Failed -> status.condition(ConditionTypes.ROLLOUT, true, "Failed", message);
            case Pending -> status.condition(ConditionTypes.ROLLOUT, true, "Waiting", message);
            case InProgress -> status.condition(ConditionTypes.ROLLOUT, true, "InProgress", message);
        }
    }

    private static HandoverStatus toStatus(HandoverPlanner.Handover handover, String why, Role returnTo,
            HandoverStatus before, Instant now) {
        HandoverStatus status = new HandoverStatus();
        status.to = handover.to().label();
        status.reason = why;
        status.state = handover.state().name();
        status.since = before != null && status.to.equals(before.to) && status.state.equals(before.state)
                && before.since != null ? before.since : seconds(now);
        status.returnTo = returnTo == null ? null : returnTo.label();
        return status;
    }

    static RolloutStatus toStatus(RollingPlanner.Memory memory) {
        RolloutStatus status = new RolloutStatus();
        status.kind = memory.kind().name();
        status.target = memory.target();
        status.phase = memory.phase().name();
        status.step = memory.step() == null ? null : memory.step().name();
        status.node = memory.node() == null ? null : memory.node().label();
        status.first = memory.first() == null ? null : memory.first().label();
        status.last = memory.last() == null ? null : memory.last().label();
        if (!memory.routersBefore().isEmpty()) {
            status.routersBefore = new java.util.TreeMap<>();
            memory.routersBefore().forEach((role, count) -> status.routersBefore.put(role.label(), count));
        }
        status.jobId = memory.jobId();
        status.stepSince = seconds(memory.stepSince());
        status.startedAt = seconds(memory.startedAt());
        status.finishedAt = seconds(memory.finishedAt());
        status.message = memory.message();
        return status;
    }

    private static String seconds(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
