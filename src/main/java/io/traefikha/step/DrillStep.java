package io.traefikha.step;

import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.api.v1alpha1.Durations;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.planner.DrillPlanner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Failover drills: asks {@link DrillPlanner} whether a drill is due, refused or owed a restore, has
 * {@link DrillExecutor} carry it out, and reports status.lastDrill, an Event and the drill metrics. A drill runs only
 * on a Ready pair that needed no change this round.
 */
public final class DrillStep implements ReconcileStep {

    private static final Logger LOG = Logger.getLogger(DrillStep.class);

    private final EventRecorder events;
    private final ReconcileMetrics metrics;
    private final Clock clock;
    private final DrillExecutor executor;

    public DrillStep(EventRecorder events, ReconcileMetrics metrics, Clock clock, DrillExecutor.Timing timing) {
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = new DrillExecutor(clock, timing);
    }

    @Override
    public Next apply(Round round) {
        drill(round, notReadyBecause(round));
        return Next.CONTINUE;
    }

    /** Null when the pair is Ready and nothing changed on the nodes this round, else why not. */
    private static String notReadyBecause(Round round) {
        if (!round.nodePlan().actions().isEmpty()) {
            return "keepalived is being changed";
        }
        if (round.day2().busy()) {
            return "a VIP handover or rolling operation is under way";
        }
        return round.haReady() ? null : round.firstProblem();
    }

    private void drill(Round round, String notReadyBecause) {
        TraefikHACluster resource = round.resource();
        TraefikHAClusterSpec spec = round.spec();
        StatusAggregator status = round.status();
        ClusterConnections connections = round.connections();
        NodeGateway nodes = round.nodes();
        List<Role> holders = round.nodePlan().holders();
        String id = round.id();
        DrillStatus last = status.previous().lastDrill;
        String created = resource.getMetadata().getCreationTimestamp();
        DrillPlanner.Decision decision = DrillPlanner.plan(new DrillPlanner.Situation(spec.drill,
                resource.getMetadata().getAnnotations() == null ? null
                        : resource.getMetadata().getAnnotations().get(DrillPlanner.ANNOTATION),
                last, created == null ? Instant.now(clock) : Instant.parse(created), Instant.now(clock), notReadyBecause,
                spec.maintenance != null /* the VIP is pinned on purpose: never a drill */, holders,
                spec.traefik.serviceName, containers(round)));

        if (decision instanceof DrillPlanner.Restore restore) {
            if (spec.dryRun) {
                round.planned(restore.start().describe() + " (a drill was cut short)");
                return;
            }
            try {
                restore.start().carryOut(Actions.executor(connections));
                DrillStatus interrupted = copy(last);
                interrupted.result = DrillStatus.INTERRUPTED;
                interrupted.message = "the drill was cut short (" + last.message + "); "
                        + restore.disruption().subject() + " was started again on the " + restore.node().label();
                status.lastDrill(interrupted);
                events.warning(resource, "DrillInterrupted", interrupted.message);
                metrics.drill(resource, interrupted);
            } catch (ExternalSystemException e) {
                LOG.warnf("%s: a drill was cut short and could not %s: %s", id, restore.start().describe(), e.getMessage());
                events.warning(resource, "DrillRestoreFailed", "could not " + restore.start().describe() + " after a drill"
                        + " was cut short: " + e.getMessage());
            }
        } else if (decision instanceof DrillPlanner.Refuse refuse) {
            String message = "failover drill (" + refuse.trigger() + ") not started: " + refuse.reason()
                    + "; it starts once the cluster is Ready";
            LOG.infof("%s: %s", id, message);
            events.warning(resource, "DrillRefused", message);
        } else if (decision instanceof DrillPlanner.Run run) {
            if (spec.dryRun) {
                round.planned(run.describe());
                return;
            }
            LOG.infof("%s: %s", id, run.describe());
            events.normal(resource, "DrillStarted", run.describe());
            DrillStatus done;
            try {
                done = executor.execute(run, nodes, Actions.executor(connections), round.files(), connections.vipProber(),
                        connections.drillJournal(),
                        spec.vip.preempt, spec.vip.preemptDelay == null ? Duration.ZERO : Durations.parse(spec.vip.preemptDelay))
                        .status();
            } catch (ExternalSystemException e) {
                // Only the write-ahead can fail this way, before anything was stopped.
                events.warning(resource, "DrillRefused", "failover drill (" + run.trigger() + ") not started: " + e.getMessage());
                return;
            }
            status.lastDrill(done);
            boolean succeeded = DrillStatus.SUCCEEDED.equals(done.result);
            LOG.infof("%s: failover drill %s: %s", id, done.result, done.message);
            if (succeeded) {
                events.normal(resource, "DrillSucceeded", done.message);
            } else {
                events.warning(resource, "DrillFailed", done.message);
            }
            metrics.drill(resource, done);
        }
    }

    /** Where Proxmox showed the containers this round; none during a Proxmox outage (the last status is no proof). */
    private static Map<Role, DrillPlanner.Container> containers(Round round) {
        Map<Role, DrillPlanner.Container> containers = new TreeMap<>();
        ProxmoxObservation seen = round.proxmox();
        if (seen == null || round.proxmoxOutage()) {
            return containers;
        }
        for (Role role : round.spec().roles()) {
            ContainerObservation container = seen.container(role);
            if (container != null && container.exists()) {
                containers.put(role, new DrillPlanner.Container(container.node(), round.spec().container(role).vmid));
            }
        }
        return containers;
    }

    private static DrillStatus copy(DrillStatus from) {
        DrillStatus copy = new DrillStatus();
        copy.when = from.when;
        copy.scenario = from.scenario;
        copy.trigger = from.trigger;
        copy.annotation = from.annotation;
        copy.node = from.node;
        copy.result = from.result;
        copy.gapMillis = from.gapMillis;
        copy.failbackGapMillis = from.failbackGapMillis;
        copy.message = from.message;
        return copy;
    }
}
