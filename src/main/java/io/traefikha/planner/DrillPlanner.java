package io.traefikha.planner;

import io.traefikha.api.v1alpha1.DrillScenario;
import io.traefikha.api.v1alpha1.DrillSchedule;
import io.traefikha.api.v1alpha1.DrillSpec;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a failover drill is due now, refused, or owed a restore: a scheduled one when spec.drill.schedule named a time
 * since the last drill (or since the resource was created), an on-demand one when the annotation has a value not yet
 * acted on. A due drill is refused while the cluster is not Ready or under maintenance, and stays due until it can run.
 */
public final class DrillPlanner {

    /** Set to any new value (e.g. a timestamp) to drill once. */
    public static final String ANNOTATION = "traefikha.io/drill";
    public static final String SCHEDULE_TRIGGER = "schedule";
    private static final String ANNOTATION_TRIGGER = "annotation:";

    private DrillPlanner() {
    }

    /**
     * What the reconcile saw this round.
     *
     * @param annotation       the value of {@link #ANNOTATION}, or null
     * @param created          the resource's creation time: the first schedule slot counts from it
     * @param notReadyBecause  null when the pair is Ready and nothing was changed on the nodes this round
     * @param underMaintenance a node is in declared maintenance (spec.maintenance)
     * @param holders          the nodes holding the VIP as probed this round
     * @param traefikService   Traefik's systemd unit (spec.traefik.serviceName), which StopTraefik stops
     */
    public record Situation(DrillSpec spec, String annotation, DrillStatus last, Instant created, Instant now,
            String notReadyBecause, boolean underMaintenance, List<Role> holders, String traefikService) {
    }

    /** What to do about drills this round. */
    public sealed interface Decision {
    }

    /** Nothing due. */
    public record Idle() implements Decision {
    }

    /** The last drill never finished (the operator stopped mid-drill): the service it stopped must run again. */
    public record Restore(NodeAction.StartService start) implements Decision {
    }

    /** A drill is due but must not run now; it stays due. */
    public record Refuse(String trigger, String reason) implements Decision {
    }

    /** Stop the scenario's service on the node holding the VIP, measure, start it again. */
    public record Run(Role node, DrillScenario scenario, String service, String trigger, String annotation) implements Decision {

        public NodeAction.StopService stop() {
            return new NodeAction.StopService(node, service);
        }

        public NodeAction.StartService start() {
            return new NodeAction.StartService(node, service);
        }

        public String describe() {
            return "failover drill " + scenario + " (" + trigger + "): stop " + service + " on the "
                    + node.label() + ", measure the VIP's gap, start it again";
        }
    }

    public static Decision plan(Situation s) {
        DrillStatus last = s.last();
        Optional<Role> unfinishedOn = last != null && DrillStatus.RUNNING.equals(last.result) && last.scenario != null
                ? role(last.node) : Optional.empty();
        if (unfinishedOn.isPresent()) {
            return new Restore(new NodeAction.StartService(unfinishedOn.get(), last.scenario.service(s.traefikService())));
        }
        Optional<String> trigger = due(s);
        if (trigger.isEmpty()) {
            return new Idle();
        }
        if (s.notReadyBecause() != null) {
            return new Refuse(trigger.get(), "the cluster is not Ready (" + s.notReadyBecause() + ")");
        }
        if (s.underMaintenance()) {
            return new Refuse(trigger.get(), "a node is under maintenance");
        }
        if (s.holders().size() != 1) {
            return new Refuse(trigger.get(), s.holders().isEmpty() ? "no node holds the VIP" : "both nodes hold the VIP");
        }
        DrillScenario scenario = s.spec() == null || s.spec().scenario == null ? DrillScenario.StopTraefik : s.spec().scenario;
        String annotation = trigger.get().startsWith(ANNOTATION_TRIGGER) ? s.annotation().strip()
                : last == null ? null : last.annotation;
        return new Run(s.holders().get(0), scenario, scenario.service(s.traefikService()), trigger.get(), annotation);
    }

    private static Optional<Role> role(String label) {
        for (Role role : Role.values()) {
            if (role.label().equals(label)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The trigger of a due drill: the annotation first (someone asked now), then the schedule. */
    private static Optional<String> due(Situation s) {
        DrillStatus last = s.last();
        String annotation = s.annotation() == null ? null : s.annotation().strip();
        if (annotation != null && !annotation.isEmpty() && (last == null || !annotation.equals(last.annotation))) {
            return Optional.of(ANNOTATION_TRIGGER + annotation);
        }
        if (s.spec() == null || s.spec().schedule == null || s.spec().schedule.isBlank()) {
            return Optional.empty();
        }
        Instant since = last != null && last.when != null ? Instant.parse(last.when) : s.created();
        return DrillSchedule.parse(s.spec().schedule).nextAfter(since).filter(next -> !next.isAfter(s.now()))
                .map(next -> SCHEDULE_TRIGGER);
    }
}
