package io.traefikha.step;

import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.FirewallPlan;
import io.traefikha.planner.FirewallPlanner;
import io.traefikha.planner.RollbackPlanner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * One reconcile of a valid TraefikHACluster, as a list of named steps over one {@link Round}: the secondary container,
 * the firewalls, keepalived and the VIP, lsyncd, the config sync, the nodes' status, what the VIP answers, their routes, drills, the moved names through the VIP, DNS; a step that cannot
 * establish what the later ones need ends the round early, and the status is reported either way. Under dry run every
 * step observes and plans, and the plan is reported instead of carried out.
 */
public final class ClusterReconciliation {

    private static final Logger LOG = Logger.getLogger(ClusterReconciliation.class);

    private final EventRecorder events;
    private final Clock clock;
    /** How soon to look again while something is under way (a clone, a lock, changes to confirm). */
    private final Duration busyPeriod;
    private final Actions actions;
    private final DnsStep dns;
    private final List<ReconcileStep> steps;
    private final ReconcileStep report;

    public ClusterReconciliation(EventRecorder events, ReconcileMetrics metrics, Clock clock, Duration busyPeriod) {
        this.events = events;
        this.clock = clock;
        this.busyPeriod = busyPeriod;
        this.actions = new Actions(events, metrics);
        this.dns = new DnsStep(events, metrics);
        Day2Operations day2 = new Day2Operations(events, clock);
        this.steps = List.of(
                new PreflightStep(events),
                new BackupStep(events),
                new SecondaryStep(events, actions),
                // the clone's own host keys and machine id, before any step below relies on the secondary
                new IdentityStep(events),
                new FirewallStep(actions),
                new KeepalivedStep(events, actions, day2),
                new LsyncdStep(events, metrics),
                new SyncStep(events, metrics, day2),
                new NodeStatusStep(events, metrics),
                // the VIP as clients see it, beside status.vip as the nodes' probes made it
                new VipCheckStep(events),
                new RoutesStep(events),
                new DrillStep(events, metrics, clock, DrillExecutor.Timing.DEFAULT),
                new ServedNamesStep(events, metrics),
                dns);
        this.report = new ReportStep(metrics);
    }

    /**
     * What the reconciler should do next: look again after this long, or, when a step failed unforeseen, report that
     * failure and retry with backoff.
     */
    public record Outcome(Duration requeueAfter, Optional<ReconcileFailure> failure) {
    }

    /**
     * Runs the steps in order. An exception a step did not foresee ends the round there (later steps may need what it
     * did not finish) and is kept for the reconciler; the status is reported either way, so what the earlier steps saw
     * is not lost.
     */
    public Outcome run(TraefikHACluster resource, StatusAggregator status, ClusterConnections connections,
            Duration period) {
        Round round = new Round(resource, status, connections, clock, period);
        for (ReconcileStep step : steps) {
            try {
                if (step.apply(round) == ReconcileStep.Next.STOP) {
                    break;
                }
            } catch (RuntimeException e) {
                ReconcileFailure failure = ReconcileFailure.in(step.name(), e, connections::redact);
                LOG.warnf("%s: %s", resource.id(), failure.getMessage());
                round.failed(failure);
                break;
            }
        }
        report.apply(round);
        return new Outcome(round.looksAgainSoon() ? busyPeriod : period, round.failure());
    }

    /**
     * Deletion by spec.deletionPolicy (see {@link RollbackPlanner}): DNS back first, then keepalived and lsyncd off the
     * nodes, the firewall rules and sets the operator owns on every replica, the temporary clone snapshot, each owned
     * secondary (which containers are owned read afresh, and read again right before one is destroyed), and the backup
     * the operator took unless spec.backup.keepOnDelete (the default) keeps it. Node actions
     * are best effort (a node that cannot be reached is told as an Event, not waited for forever); the rest must succeed
     * before the finalizer goes. Whatever the policy, a primary the operator stopped for a clone is started again. Last,
     * the state object is released so that it outlives the resource (its host key pins stay; with Delete the destroyed
     * secondaries' are forgotten).
     *
     * @return true when the resource may go
     */
    public boolean cleanup(TraefikHACluster resource, StatusAggregator status, ClusterConnections connections) {
        Round round = new Round(resource, status, connections, clock);
        DurableState durable;
        try {
            durable = round.durable();
        } catch (ExternalSystemException e) {
            events.warning(resource, "RollbackWaiting", "cannot roll back yet: " + e.getMessage());
            return false;
        }
        DeletionPolicy policy = resource.getSpec().deletionPolicy;
        if (policy == DeletionPolicy.Retain && !durable.primaryStoppedForClone()) {
            LOG.infof("%s: deleted with deletionPolicy Retain: the containers, keepalived and DNS stay as they are",
                    resource.id());
            return release(round, List.of());
        }
        ProxmoxObservation seen;
        try {
            // Which secondaries this resource owns decides what is shut down and destroyed: read, not remembered.
            connections.proxmox().recheck("deletion: which containers this resource owns is read again");
            seen = connections.proxmox().observe();
        } catch (ExternalSystemException e) {
            round.unreachable(ConditionTypes.PROXMOX_REACHABLE, e);
            events.warning(resource, "RollbackWaiting", "cannot roll back yet: " + e.getMessage());
            return false;
        }
        RollbackPlanner.Rollback rollback = RollbackPlanner.plan(resource.getSpec(), resource.getMetadata().getUid(), seen,
                durable);
        boolean done = (policy == DeletionPolicy.Retain || dns.rollback(resource, connections)
                && stopOnNodes(round, rollback.nodeActions())
                && rollBackFirewalls(round, seen))
                && actions.carryOut(round, rollback.proxmoxActions()).ok();
        if (rollback.waitingFor() != null) {
            events.normal(resource, "RollbackWaiting", "the rollback waits: " + rollback.waitingFor());
            return false;
        }
        return done && release(round, destroyed(round.spec(), rollback.proxmoxActions()));
    }

    /**
     * The state object let go of: what was owed the primary is settled (it runs again), the pins of the secondaries
     * destroyed forgotten, and the object released so that the other pins outlive the resource.
     */
    private boolean release(Round round, List<Role> destroyed) {
        try {
            DurableState.Backup backup = round.durable().backup();
            if (backup != null && backup.taken() && RollbackPlanner.backupStays(round.spec())) {
                events.normal(round.resource(), "BackupKept", "the backup " + backup.volid() + " of CT "
                        + round.spec().primary.vmid + " stays on storage " + backup.storage() + " (restore: pct restore <vmid> "
                        + backup.volid() + "); delete it in the Proxmox GUI when it is no longer needed");
            }
            // A re-created resource of the same name takes its own backup before its first change.
            round.persist(state -> {
                DurableState settled = state.withPrimaryStoppedForCloneSince(null).withBackup(null);
                for (Role role : destroyed) {
                    settled = settled.withHostKey(role, null);
                }
                return settled;
            });
            round.connections().durableState().release();
            return true;
        } catch (ExternalSystemException e) {
            events.warning(round.resource(), "RollbackWaiting", "cannot release the state: " + e.getMessage());
            return false;
        }
    }

    /** The secondaries these actions destroyed (they all succeeded), by VMID. */
    private static List<Role> destroyed(TraefikHAClusterSpec spec, List<ProxmoxAction> actions) {
        Set<Integer> vmids = actions.stream().filter(ProxmoxAction.DestroyContainer.class::isInstance)
                .map(action -> ((ProxmoxAction.DestroyContainer) action).vmid()).collect(Collectors.toSet());
        return spec.secondaryRoles().stream().filter(role -> vmids.contains(spec.secondary(role).vmid)).toList();
    }

    /** Best effort: each action on its own, so one node that does not answer leaves the other's done. */
    private boolean stopOnNodes(Round round, List<NodeAction> nodeActions) {
        if (nodeActions.isEmpty()) {
            return true;
        }
        try {
            round.connections().nodes();
            nodeActions.forEach(action -> actions.carryOut(round, List.of(action)));
        } catch (ExternalSystemException e) {
            events.warning(round.resource(), "RollbackIncomplete", "keepalived could not be stopped: " + e.getMessage());
        }
        return true;
    }

    private boolean rollBackFirewalls(Round round, ProxmoxObservation seen) {
        try {
            List<FirewallObservation> firewalls = FirewallStep.all(round.spec(), seen, round.connections().proxmox());
            FirewallPlan rollback = FirewallPlanner.rollback(round.resource().getMetadata().getUid(), firewalls);
            return actions.carryOut(round, rollback.actions()).ok();
        } catch (ExternalSystemException e) {
            events.warning(round.resource(), "RollbackWaiting", "cannot read the firewall: " + e.getMessage());
            return false;
        }
    }
}
