package io.traefikha.planner;

import io.traefikha.api.v1alpha1.DrillScenario;
import io.traefikha.api.v1alpha1.DrillSchedule;
import io.traefikha.api.v1alpha1.DrillSpec;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.domain.Action;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
     * @param containers       where each container is, as Proxmox showed it this round; empty when Proxmox did not
     *                         answer (StopContainer stops and starts a container through the Proxmox API)
     */
    public record Situation(DrillSpec spec, String annotation, DrillStatus last, Instant created, Instant now,
            String notReadyBecause, boolean underMaintenance, List<Role> holders, String traefikService,
            Map<Role, Container> containers) {
    }

    /** A container as the Proxmox API addresses it. */
    public record Container(String node, int vmid) {
    }

    /**
     * What a drill breaks on one node and what restores it.
     *
     * @param subject what is stopped, in the words of the drill's messages ("traefik", "CT 110")
     */
    public record Disruption(Action stop, Action start, String subject) {
    }

    /** What to do about drills this round. */
    public sealed interface Decision {
    }

    /** Nothing due. */
    public record Idle() implements Decision {
    }

    /** The last drill never finished (the operator stopped mid-drill): the service it stopped must run again. */
    public record Restore(Role node, Disruption disruption) implements Decision {

        public Action start() {
            return disruption.start();
        }
    }

    /** A drill is due but must not run now; it stays due. */
    public record Refuse(String trigger, String reason) implements Decision {
    }

    /** Break the scenario's part of the node holding the VIP, measure, restore it. */
    public record Run(Role node, DrillScenario scenario, Disruption disruption, String trigger, String annotation)
            implements Decision {

        public Action stop() {
            return disruption.stop();
        }

        public Action start() {
            return disruption.start();
        }

        public String describe() {
            return "failover drill " + scenario + " (" + trigger + "): " + stop().describe() + ", measure the VIP's gap, "
                    + start().describe();
        }
    }

    public static Decision plan(Situation s) {
        DrillStatus last = s.last();
        Optional<Role> unfinishedOn = last != null && DrillStatus.RUNNING.equals(last.result) && last.scenario != null
                ? role(last.node) : Optional.empty();
        if (unfinishedOn.isPresent()) {
            // Without Proxmox a stopped container cannot be started: the drill stays Running and the next round retries
            return disruption(last.scenario, unfinishedOn.get(), s).<Decision>map(d -> new Restore(unfinishedOn.get(), d))
                    .orElseGet(Idle::new);
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
            return new Refuse(trigger.get(), s.holders().isEmpty() ? "no node holds the VIP"
                    : s.holders().size() + " nodes hold the VIP");
        }
        DrillScenario scenario = s.spec() == null || s.spec().scenario == null ? DrillScenario.StopTraefik : s.spec().scenario;
        Role holder = s.holders().get(0);
        Optional<Disruption> disruption = disruption(scenario, holder, s);
        if (disruption.isEmpty()) {
            return new Refuse(trigger.get(), "Proxmox did not answer, and " + scenario + " stops the container through its API");
        }
        String annotation = trigger.get().startsWith(ANNOTATION_TRIGGER) ? s.annotation().strip()
                : last == null ? null : last.annotation;
        return new Run(holder, scenario, disruption.get(), trigger.get(), annotation);
    }

    /** What SCENARIO stops on ROLE and what starts it again; empty for a container Proxmox did not show this round. */
    static Optional<Disruption> disruption(DrillScenario scenario, Role role, Situation s) {
        switch (scenario) {
            case StopTraefik:
                return Optional.of(service(role, s.traefikService()));
            case StopKeepalived:
                return Optional.of(service(role, "keepalived"));
            case StopContainer:
                // A hard stop, as `pct stop` (the runbook's drill): no clean shutdown, keepalived sends no goodbye
                return Optional.ofNullable(s.containers().get(role)).map(c -> new Disruption(
                        new ProxmoxAction.StopContainer(c.node(), c.vmid(), "failover drill"),
                        new ProxmoxAction.StartContainer(c.node(), c.vmid()), "CT " + c.vmid()));
            default:
                throw new IllegalArgumentException("no drill for " + scenario);
        }
    }

    private static Disruption service(Role role, String service) {
        return new Disruption(new NodeAction.StopService(role, service), new NodeAction.StartService(role, service), service);
    }

    private static Optional<Role> role(String label) {
        try {
            return Optional.of(Role.fromLabel(label));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
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
