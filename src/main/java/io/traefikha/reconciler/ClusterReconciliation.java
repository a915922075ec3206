package io.traefikha.reconciler;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.FailoverStatus;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.api.v1alpha1.VipStatus;
import io.traefikha.domain.Action;
import io.traefikha.domain.Cidr;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Finding;
import io.traefikha.domain.FirewallAction;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.gateway.ProxmoxGateway;
import io.traefikha.planner.FirewallPlan;
import io.traefikha.planner.FirewallPlanner;
import io.traefikha.planner.NodePlan;
import io.traefikha.planner.NodePlanner;
import io.traefikha.planner.RollbackPlanner;
import io.traefikha.planner.SecondaryPlan;
import io.traefikha.planner.SecondaryPlanner;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * One reconcile of a valid TraefikHACluster, as a chain of named steps: observe Proxmox, plan and act on the
 * secondary container; probe both nodes, plan and act on keepalived; report status, conditions and Events.
 * Under dry run every step observes and plans, and the plan is reported instead of carried out.
 */
public final class ClusterReconciliation {

    private static final Logger LOG = Logger.getLogger(ClusterReconciliation.class);
    private final EventRecorder events;
    private final ReconcileMetrics metrics;
    private final Clock clock;
    /** How soon to look again while something is under way (a clone, a lock, changes to confirm). */
    private final Duration busyPeriod;
    private final FailoverDrill drill;
    private final Day2Operations day2;

    public ClusterReconciliation(EventRecorder events, ReconcileMetrics metrics, Clock clock, Duration busyPeriod) {
        this.events = events;
        this.day2 = new Day2Operations(events, clock);
        this.metrics = metrics;
        this.clock = clock;
        this.busyPeriod = busyPeriod;
        this.drill = new FailoverDrill(events, metrics, clock, DrillExecutor.Timing.DEFAULT);
    }

    /** What the reconciler should do next: look again after this long. */
    public record Outcome(Duration requeueAfter) {
    }

    public Outcome run(TraefikHACluster resource, StatusAggregator status, ClusterConnections connections,
            Duration period) {
        TraefikHAClusterSpec spec = resource.getSpec();
        String id = resource.id();
        String uid = resource.getMetadata().getUid();
        List<String> planned = new ArrayList<>();

        // Step 1: the secondary container on Proxmox.
        ProxmoxObservation seen;
        try {
            seen = connections.proxmox().observe();
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: cannot read Proxmox: %s", id, e.getMessage());
            status.condition(ConditionTypes.PROXMOX_REACHABLE, false, reasonFor(e), e.getMessage());
            return finish(resource, status, planned, period, wasServing(status));
        }
        status.condition(ConditionTypes.PROXMOX_REACHABLE, true, "Reachable", "the Proxmox API answered");
        SecondaryPlan secondaryPlan = SecondaryPlanner.plan(spec, uid, seen);
        report(status, secondaryPlan.findings());
        if (!apply(resource, id, status, planned, secondaryPlan.actions(), executor(connections))) {
            return finish(resource, status, planned, period, wasServing(status));
        }
        boolean provisioned = secondaryPlan.actions().isEmpty() && isTrue(secondaryPlan.findings(),
                ConditionTypes.SECONDARY_PROVISIONED);
        if (!provisioned) {
            // Provisioning continues on the next look: the nodes are configured once the secondary is in place.
            Duration next = secondaryPlan.waiting() || !secondaryPlan.actions().isEmpty() ? busyPeriod : period;
            finish(resource, status, planned, period, wasServing(status));
            return new Outcome(next);
        }

        // Step 2: the Proxmox firewall must let VRRP through and, with ipfilter, the VIP.
        List<FirewallObservation> firewalls;
        try {
            firewalls = firewalls(spec, seen, connections.proxmox());
        } catch (ExternalSystemException e) {
            status.condition(ConditionTypes.FIREWALL_READY, false, reasonFor(e), e.getMessage());
            return finish(resource, status, planned, period, wasServing(status));
        }
        FirewallPlan firewallPlan = FirewallPlanner.plan(spec.proxmox.manageFirewall, uid, Cidr.hostOf(spec.vip.address), firewalls);
        report(status, firewallPlan.findings());
        if (!apply(resource, id, status, planned, firewallPlan.actions(), executor(connections))) {
            return finish(resource, status, planned, period, wasServing(status));
        }

        // Step 3: keepalived on both nodes, and the VIP.
        Map<Role, List<ManagedFile>> files;
        NodeGateway nodes;
        try {
            files = connections.renderedFiles();
            nodes = connections.nodes();
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: cannot reach the nodes: %s", id, e.getMessage());
            status.condition(ConditionTypes.KEEPALIVED_CONFIGURED, false, reasonFor(e), e.getMessage());
            return finish(resource, status, planned, period, wasServing(status));
        }
        Map<Role, NodeObservation> probes = new EnumMap<>(Role.class);
        probes.put(Role.PRIMARY, seen.primary().running()
                ? nodes.probe(Role.PRIMARY, files.get(Role.PRIMARY))
                : NodeObservation.unreachable(Role.PRIMARY, "CT " + spec.primary.vmid + " is not running"));
        probes.put(Role.SECONDARY, nodes.probe(Role.SECONDARY, files.get(Role.SECONDARY)));
        probes.values().stream().filter(p -> !p.reachable()).findFirst().ifPresent(p -> connections.proxmox()
                .recheck("the " + p.role().label() + " did not answer its probe: " + p.problem()));
        // Where maintenance or a rolling upgrade/restart wants the VIP (keepalived files pin it), and what they run.
        Day2Operations.Round day2Round = day2.plan(resource, status, probes);
        if (spec.dryRun) {
            planned.addAll(Day2Operations.wouldDo(spec));
        }
        files = connections.renderedFiles(day2Round.pin());
        NodePlan nodePlan = NodePlanner.plan(probes, files, spec.vip.preempt,
                SplitBrainStep.context(status.previous(), firewallPlan.findings(), clock.instant()));
        report(status, nodePlan.findings());
        SplitBrainStep.announce(events, resource, status.previous(), nodePlan.findings());
        if (apply(resource, id, status, planned, nodePlan.actions(), executor(connections))) {
            apply(resource, id, status, planned, day2Round.actions(), executor(connections));
        }

        // Step 4: the primary's configuration on the secondary.
        if (probes.values().stream().allMatch(NodeObservation::reachable)) {
            new LsyncdStep(events, metrics).run(resource, id, status, planned, connections, nodes);
            syncConfig(resource, id, status, planned, nodes, day2Round);
        }

        // Step 5: what the user sees.
        reportNodes(resource, status, spec, seen, probes, nodes.learnedHostKeys());
        reportVip(resource, status, spec, nodePlan.holders());

        // Step 5b: a failover drill when one is due, only on a Ready pair that needed no change this round.
        drill.run(resource, status, planned, connections, nodes, files, nodePlan.holders(), !nodePlan.actions().isEmpty()
                ? "keepalived is being changed" : day2Round.busy() ? "a VIP handover or rolling operation is under way"
                : haReady(status) ? null : firstProblem(status));

        // Step 6: DNS names move to the VIP, group by group, only while the pair is Ready.
        new DnsStep(events, metrics).reconcile(resource, id, status, planned, connections, haReady(status), clock.instant());
        finish(resource, status, planned, period, !nodePlan.holders().isEmpty());
        // After changes on the nodes, look again soon to confirm them (each look probes each node once).
        return new Outcome(nodePlan.actions().isEmpty() && !day2Round.busy() ? period : busyPeriod);
    }

    /**
     * Deletion by spec.deletionPolicy (see {@link RollbackPlanner}). Node actions are best effort (a node that cannot
     * be reached is told as an Event, not waited for forever); Proxmox actions must succeed before the finalizer goes.
     *
     * @return true when the resource may go
     */
    public boolean cleanup(TraefikHACluster resource, StatusAggregator status, ClusterConnections connections) {
        String id = resource.id();
        if (resource.getSpec().deletionPolicy == DeletionPolicy.Retain) {
            LOG.infof("%s: deleted with deletionPolicy Retain: the containers, keepalived and DNS stay as they are", id);
            return true;
        }
        ProxmoxObservation seen;
        try {
            seen = connections.proxmox().observe();
        } catch (ExternalSystemException e) {
            status.condition(ConditionTypes.PROXMOX_REACHABLE, false, reasonFor(e), e.getMessage());
            events.warning(resource, "RollbackWaiting", "cannot roll back yet: " + e.getMessage());
            return false;
        }
        RollbackPlanner.Rollback rollback = RollbackPlanner.plan(resource.getSpec(), resource.getMetadata().getUid(), seen);
        List<String> planned = new ArrayList<>();
        if (!new DnsStep(events, metrics).rollback(resource, connections)) {
            return false;
        }
        if (!rollback.nodeActions().isEmpty()) {
            try {
                NodeGateway nodes = connections.nodes();
                for (NodeAction action : rollback.nodeActions()) {
                    apply(resource, id, status, planned, List.of(action), executor(connections));
                }
            } catch (ExternalSystemException e) {
                events.warning(resource, "RollbackIncomplete", "keepalived could not be stopped: " + e.getMessage());
            }
        }
        try {
            FirewallPlan firewallRollback = FirewallPlanner.rollback(resource.getMetadata().getUid(),
                    seen.secondary().exists() ? firewalls(resource.getSpec(), seen, connections.proxmox())
                            : List.of(connections.proxmox().observeFirewall(seen.primary().node(),
                                    resource.getSpec().primary.vmid, Cidr.hostOf(resource.getSpec().secondary.address))));
            if (!apply(resource, id, status, planned, firewallRollback.actions(), executor(connections))) {
                return false;
            }
        } catch (ExternalSystemException e) {
            events.warning(resource, "RollbackWaiting", "cannot read the firewall: " + e.getMessage());
            return false;
        }
        return apply(resource, id, status, planned, rollback.proxmoxActions(), executor(connections));
    }

    private void syncConfig(TraefikHACluster resource, String id, StatusAggregator status, List<String> planned,
            NodeGateway nodes, Day2Operations.Round day2Round) {
        TraefikHAClusterSpec spec = resource.getSpec();
        if (spec.dryRun) {
            planned.add("compare " + String.join(", ", spec.sync.paths) + " on both nodes and copy what differs to the secondary");
            return;
        }
        try {
            SyncOutcome outcome = nodes.syncConfig(spec.sync, SyncMemory.from(status.previous().sync), clock.instant());
            status.sync(outcome.toStatus());
            SyncOutcome.Condition inSync = outcome.configInSync();
            status.condition(ConditionTypes.CONFIG_IN_SYNC, inSync.status(), inSync.reason(), inSync.message());
            outcome.driftEvent().ifPresent(message -> {
                events.warning(resource, "ConfigDrift", message);
                metrics.repair(resource, "ConfigPush");
            });
            metrics.syncLag(resource, outcome.lag());
            // Traefik 3 reads its static configuration only at start: a rolling restart.
            day2.staticConfigChanged(resource, status, day2Round, outcome);
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: config sync: %s", id, e.getMessage());
            status.condition(ConditionTypes.CONFIG_IN_SYNC, false, "Unreachable", e.getMessage());
        }
    }

    /** Both containers' firewalls, each with the other's address as the VRRP peer. */
    private static List<FirewallObservation> firewalls(TraefikHAClusterSpec spec, ProxmoxObservation seen, ProxmoxGateway proxmox) {
        List<FirewallObservation> firewalls = new ArrayList<>();
        firewalls.add(proxmox.observeFirewall(seen.primary().node(), spec.primary.vmid, Cidr.hostOf(spec.secondary.address)));
        firewalls.add(proxmox.observeFirewall(seen.secondary().node(), spec.secondary.vmid, Cidr.hostOf(spec.primary.address)));
        return firewalls;
    }


    /** Carries out actions in order unless dry run; stops at the first failure. Returns false after a failure. */
    private boolean apply(TraefikHACluster resource, String id, StatusAggregator status, List<String> planned,
            List<? extends Action> actions, Action.Executor executor) {
        for (Action action : actions) {
            String description = action.describe();
            planned.add(description);
            if (resource.getSpec().dryRun) {
                continue;
            }
            try {
                LOG.infof("%s: %s", id, description);
                action.carryOut(executor);
                events.normal(resource, action.eventReason(), description);
                metrics.repair(resource, action.getClass().getSimpleName());
                rememberAfterSuccess(resource, status, action);
            } catch (ExternalSystemException e) {
                String message = "could not " + description + ": " + e.getMessage();
                LOG.warnf("%s: %s", id, message);
                events.warning(resource, "ActionFailed", message);
                status.condition(ConditionTypes.READY, false, "ActionFailed", message);
                rememberAfterFailure(status, action, e);
                return false;
            }
        }
        return true;
    }

    /** What later reconciles must know about a change made now: the primary stopped for a clone owes a start. */
    private void rememberAfterSuccess(TraefikHACluster resource, StatusAggregator status, Action action) {
        int primaryVmid = resource.getSpec().primary.vmid;
        if (action instanceof ProxmoxAction.ShutdownContainer s && s.vmid() == primaryVmid) {
            status.condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE, true, "ClonePending",
                    "the primary was shut down at " + now() + " for the clone (cloneStrategy StopPrimary); Traefik is down"
                            + " until it is started again");
            events.warning(resource, "PrimaryStopped", "CT " + primaryVmid + " shut down for the clone: downtime begins");
        } else if (action instanceof ProxmoxAction.StartContainer s && s.vmid() == primaryVmid) {
            status.condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE, false, "Started", "the primary runs again");
        }
    }

    /** A snapshot refused because the storage cannot snapshot is remembered, so the planner explains the options. */
    private static void rememberAfterFailure(StatusAggregator status, Action action, ExternalSystemException e) {
        if (action instanceof ProxmoxAction.CreateSnapshot && e.getMessage().contains("snapshot feature is not available")) {
            status.condition(ConditionTypes.SECONDARY_PROVISIONED, false, ClusterConnectionsFactory.SNAPSHOT_UNSUPPORTED,
                    e.getMessage());
        }
    }

    /** A condition reason for an external failure: a missing or unreadable Secret, or the system not answering. */
    private static String reasonFor(ExternalSystemException e) {
        return "secret".equals(e.system()) ? "SecretProblem" : "Unreachable";
    }

    /** Each kind of action to the gateway that carries it out; the node gateway is opened on first use. */
    private static Action.Executor executor(ClusterConnections connections) {
        return new Action.Executor() {
            @Override
            public void proxmox(ProxmoxAction action) {
                connections.proxmox().apply(action);
            }

            @Override
            public void firewall(FirewallAction action) {
                connections.proxmox().applyFirewall(action);
            }

            @Override
            public void node(NodeAction action) {
                connections.nodes().apply(action);
            }
        };
    }

    private void reportNodes(TraefikHACluster resource, StatusAggregator status, TraefikHAClusterSpec spec,
            ProxmoxObservation seen, Map<Role, NodeObservation> probes, Map<Role, String> hostKeys) {
        String now = now();
        List<NodeStatus> nodes = new ArrayList<>();
        for (Role role : Role.values()) {
            ContainerObservation ct = seen.container(role);
            NodeObservation probe = probes.get(role);
            NodeStatus node = previousNode(status.previous(), role.label());
            node.role = role.label();
            node.vmid = spec.container(role).vmid;
            node.node = ct.exists() ? ct.node() : spec.container(role).node;
            node.address = spec.container(role).address;
            node.containerState = !ct.exists() ? "missing" : ct.running() ? "running" : "stopped";
            if (node.hostKeyFingerprint == null && hostKeys.containsKey(role)) {
                node.hostKeyFingerprint = hostKeys.get(role); // first contact: pinned from now on
            }
            metrics.nodeHealthy(resource, role, probe.reachable() && probe.traefikHealthy());
            if (probe.reachable()) {
                node.vrrpState = probe.vrrpState() == null ? "unknown" : probe.vrrpState();
                node.healthy = probe.traefikHealthy();
                node.traefikVersion = probe.traefikVersion();
                node.routers = probe.routerCount() >= 0 ? probe.routerCount() : null;
                node.lastSeen = now;
            } else {
                node.vrrpState = "unknown";
                node.healthy = false;
            }
            nodes.add(node);
        }
        status.nodes(nodes);
    }

    private static NodeStatus previousNode(TraefikHAClusterStatus previous, String role) {
        NodeStatus copy = new NodeStatus();
        if (previous.nodes != null) {
            previous.nodes.stream().filter(n -> role.equals(n.role)).findFirst().ifPresent(old -> {
                copy.lastSeen = old.lastSeen;
                copy.configHash = old.configHash;
                copy.hostKeyFingerprint = old.hostKeyFingerprint;
            });
        }
        return copy;
    }

    /** Who holds the VIP now; a change of holder is a failover, counted and told as an Event. */
    private void reportVip(TraefikHACluster resource, StatusAggregator status, TraefikHAClusterSpec spec, List<Role> holders) {
        TraefikHAClusterStatus previous = status.previous();
        VipStatus vip = new VipStatus();
        vip.address = Cidr.hostOf(spec.vip.address);
        vip.holder = String.join(",", holders.stream().map(r -> hostname(spec, r)).toList());
        String before = previous.vip == null ? null : previous.vip.holder;
        vip.since = Objects.equals(before, vip.holder) && previous.vip.since != null ? previous.vip.since : now();
        // A move is often seen mid-way (nobody or both holding for a moment); it counts once the VIP settles elsewhere.
        String lastAlone = previous.vip == null ? null : previous.vip.lastHolder != null ? previous.vip.lastHolder
                : before != null && !before.isEmpty() && !before.contains(",") ? before : null;
        vip.lastHolder = holders.size() == 1 ? vip.holder : lastAlone;
        status.vip(vip);

        if (holders.size() == 1 && lastAlone != null && !lastAlone.equals(vip.holder)) {
            FailoverStatus failovers = new FailoverStatus();
            failovers.count = (previous.failovers == null ? 0 : previous.failovers.count) + 1;
            failovers.last = vip.since;
            failovers.lastTransition = lastAlone + " -> " + vip.holder;
            status.failovers(failovers);
            events.warning(resource, "Failover", "the VIP " + vip.address + " moved from " + lastAlone + " to " + vip.holder
                    + " at " + vip.since);
            metrics.failover(resource);
        }
        for (Role role : Role.values()) {
            metrics.vipHolder(resource, role, holders.contains(role));
        }
    }

    private static String hostname(TraefikHAClusterSpec spec, Role role) {
        return spec.container(role).hostname;
    }

    /**
     * The pair serves the VIP with redundancy. DNS is not part of it: names move in phases over days, and only while
     * this holds.
     */
    private static boolean haReady(StatusAggregator status) {
        return status.isTrue(ConditionTypes.SECONDARY_PROVISIONED) && status.isTrue(ConditionTypes.FIREWALL_READY)
                && status.isTrue(ConditionTypes.KEEPALIVED_CONFIGURED) && status.isTrue(ConditionTypes.VIP_HEALTHY)
                && !status.isTrue(ConditionTypes.SPLIT_BRAIN) && status.isTrue(ConditionTypes.PROXMOX_REACHABLE)
                && !status.isFalse(ConditionTypes.CONFIG_IN_SYNC);
    }

    /** Without a look at the nodes this round, the last phase tells whether the VIP was being served. */
    private static boolean wasServing(StatusAggregator status) {
        ClusterPhase last = status.previous().phase;
        return last == ClusterPhase.Ready || last == ClusterPhase.Degraded;
    }

    /**
     * Ready when every part is; otherwise Degraded while the VIP is served (redundancy or health impaired, being
     * repaired), Provisioning before it ever was.
     */
    private Outcome finish(TraefikHACluster resource, StatusAggregator status, List<String> planned, Duration period,
            boolean serving) {
        status.plannedActions(resource.getSpec().dryRun ? planned : List.of());
        boolean ready = haReady(status);
        metrics.ready(resource, ready);
        if (ready) {
            status.condition(ConditionTypes.READY, true, "Ready", "the VIP is served by a healthy MASTER and both nodes"
                    + " are configured");
            status.phase(ClusterPhase.Ready);
        } else {
            if (!status.reported(ConditionTypes.READY)) {
                status.condition(ConditionTypes.READY, false, firstProblemReason(status), firstProblem(status));
            }
            status.phase(serving ? ClusterPhase.Degraded : ClusterPhase.Provisioning);
        }
        metrics.conditions(resource, status.reportedConditions());
        Day2Operations.markMaintenance(resource, status, ready || serving);
        return new Outcome(period);
    }

    private static String firstProblem(StatusAggregator status) {
        Condition problem = status.firstFalse();
        return problem == null ? "not yet observed" : problem.type + ": " + problem.message;
    }

    private static String firstProblemReason(StatusAggregator status) {
        Condition problem = status.firstFalse();
        return problem == null ? "Pending" : problem.reason;
    }

    private static void report(StatusAggregator status, List<Finding> findings) {
        findings.forEach(f -> status.condition(f.type(), f.status(), f.reason(), f.message()));
    }

    private static boolean isTrue(List<Finding> findings, String type) {
        return findings.stream().anyMatch(f -> f.type().equals(type) && f.status());
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
