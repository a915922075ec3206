package io.traefikha.step;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ContainerSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.Action;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Finding;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.domain.StorageView;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.HostSeparation;
import io.traefikha.planner.SecondaryPlan;
import io.traefikha.planner.SecondaryPlanner;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The secondary containers on Proxmox: observe every container, plan with {@link SecondaryPlanner}, store what a crash
 * must not lose, act. The rest of the round needs the secondaries in place, so the round stops here until every one is
 * provisioned.
 */
public final class SecondaryStep implements ReconcileStep {

    private static final Logger LOG = Logger.getLogger(SecondaryStep.class);
    private final EventRecorder events;
    private final Actions actions;

    public SecondaryStep(EventRecorder events, Actions actions) {
        this.events = events;
        this.actions = actions;
    }

    @Override
    public Next apply(Round round) {
        ProxmoxObservation seen;
        try {
            seen = round.connections().proxmox().observe();
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: cannot read Proxmox: %s", round.id(), e.getMessage());
            round.unreachable(ConditionTypes.PROXMOX_REACHABLE, e);
            return carryOnWithoutProxmox(round, e);
        }
        round.status().condition(ConditionTypes.PROXMOX_REACHABLE, true, "Reachable", "the Proxmox API answered");
        round.proxmox(seen);
        tellMoves(round, seen);
        warnOfSingleHost(round, seen);
        if (round.spec().secondaryRoles().stream().allMatch(role -> seen.container(role).exists())) {
            round.remember(memory -> memory.withSnapshotUnsupported(false)); // it mattered only for the clones
        }
        SecondaryPlan plan;
        try {
            plan = SecondaryPlanner.plan(round.spec(), round.resource().getMetadata().getUid(), seen, round.remembered(),
                    round.durable());
            if (!round.dryRun() && !round.proxmoxChangesBlocked()) {
                writeAhead(round, seen, plan);
            }
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: %s", round.id(), e.getMessage());
            round.unreachable(ConditionTypes.SECONDARY_PROVISIONED, e);
            return Next.STOP;
        }
        round.report(plan.findings());
        Actions.Applied applied = actions.carryOut(round, plan.actions());
        applied.done().forEach(action -> afterSuccess(round, action));
        if (!applied.ok()) {
            rememberAfterFailure(round, applied.failed(), applied.error());
            return Next.STOP;
        }
        if (round.proxmoxChangesBlocked() && runsAndIsOurs(round, seen)) {
            // preflight failed: the changes on Proxmox wait, the replicas that already run are still looked after
            return Next.CONTINUE;
        }
        boolean provisioned = plan.actions().isEmpty() && plan.findings().stream()
                .anyMatch(f -> f.type().equals(ConditionTypes.SECONDARY_PROVISIONED) && f.status());
        if (provisioned) {
            return Next.CONTINUE;
        }
        // Provisioning continues on the next look: the nodes are configured once the secondary is in place.
        if (plan.waiting() || !plan.actions().isEmpty()) {
            round.lookAgainSoon();
        }
        return Next.STOP;
    }

    private static boolean runsAndIsOurs(Round round, ProxmoxObservation seen) {
        return round.spec().secondaryRoles().stream().map(seen::container)
                .allMatch(ct -> ct.running() && Ownership.ownedBy(ct, round.resource().getMetadata().getUid()));
    }

    /**
     * Proxmox is out, but keepalived, the config sync and the split-brain checks need only SSH: when the replicas were
     * provisioned (the last status says so and names every container) the round goes on with the containers as the
     * last status showed them. Before that, nothing can be done without Proxmox and the round stops here.
     */
    private Next carryOnWithoutProxmox(Round round, ExternalSystemException e) {
        TraefikHAClusterStatus previous = round.status().previous();
        Condition provisioned = previous.condition(ConditionTypes.SECONDARY_PROVISIONED);
        ContainerObservation primary = lastKnown(previous, Role.PRIMARY);
        Map<Role, ContainerObservation> secondaries = new TreeMap<>();
        round.spec().secondaryRoles().forEach(role -> secondaries.put(role, lastKnown(previous, role)));
        if (provisioned == null || !Condition.TRUE.equals(provisioned.status) || !primary.exists()
                || !secondaries.values().stream().allMatch(ContainerObservation::exists)) {
            return Next.STOP;
        }
        round.proxmoxOutage(new ProxmoxObservation(primary, secondaries, StorageView.UNREAD));
        String reason = "secret".equals(e.system()) ? "SecretProblem" : "Unreachable";
        round.status().condition(ConditionTypes.PROXMOX_REACHABLE, false, reason, e.getMessage()
                + "; meanwhile keepalived, the config sync and the split-brain checks go on over SSH with the containers"
                + " as last seen (nothing is changed on Proxmox)");
        return Next.CONTINUE;
    }

    /** A container as the last status showed it: where it was and whether it ran; missing when not shown. */
    private static ContainerObservation lastKnown(TraefikHAClusterStatus previous, Role role) {
        return previous.nodes == null ? ContainerObservation.missing() : previous.nodes.stream()
                .filter(n -> role.label().equals(n.role) && n.node != null && !"missing".equals(n.containerState))
                .findFirst().map(n -> new ContainerObservation(true, n.node, "running".equals(n.containerState), null, null,
                        null, true, java.util.Set.of(), null, null, java.util.List.of()))
                .orElse(ContainerObservation.missing());
    }

    /**
     * A container found on another node than the last status showed (or, the first time, than the spec names) was moved
     * by Proxmox HA or a migration: told once as an Event. It is followed by its VMID; status.nodes shows where it is.
     * A secondary still being placed (a clone without its own address) is the operator's own move and not told.
     */
    private void tellMoves(Round round, ProxmoxObservation seen) {
        for (Role role : round.spec().roles()) {
            ContainerObservation ct = seen.container(role);
            ContainerSpec wanted = round.spec().container(role);
            if (!ct.exists() || role != Role.PRIMARY && !ct.hasAddress(wanted.address)) {
                continue;
            }
            String before = lastKnownNode(round.status().previous(), role);
            String from = before != null ? before : wanted.node;
            if (!from.equals(ct.node())) {
                events.normal(round.resource(), "ContainerMoved", "the " + role.label() + " CT " + wanted.vmid
                        + " is now on node " + ct.node() + " (" + (before != null ? "was on " + before : round.spec().field(role)
                        + ".node says " + wanted.node) + "): moved by Proxmox HA or a migration; followed by its VMID");
            }
        }
    }

    /** The SingleHost warning condition, and a Warning Event when it turns True. */
    private void warnOfSingleHost(Round round, ProxmoxObservation seen) {
        for (Finding finding : HostSeparation.of(round.spec(), seen)) {
            Condition before = round.status().previous().condition(ConditionTypes.SINGLE_HOST);
            boolean wasTrue = before != null && Condition.TRUE.equals(before.status);
            if (finding.status() && !wasTrue) {
                events.warning(round.resource(), "SingleHost", finding.message());
            }
            round.status().condition(finding.type(), finding.status(), finding.reason(), finding.message());
        }
    }

    private static String lastKnownNode(TraefikHAClusterStatus previous, Role role) {
        return previous.nodes == null ? null : previous.nodes.stream()
                .filter(n -> role.label().equals(n.role) && n.node != null && !"missing".equals(n.containerState))
                .map(n -> n.node).findFirst().orElse(null);
    }

    /**
     * What is stored before the plan is carried out, so that a crash anywhere in it leaves nothing undone: the primary
     * about to be shut down for the clone owes a start (recorded first, so whoever reconciles next starts it again
     * once the clones that needed it stopped are done); a secondary about to be cloned is a new container, whose host
     * key is pinned afresh. A debt the running primary has settled (started again before a crash let the record be
     * cleared) is cleared now.
     */
    private static void writeAhead(Round round, ProxmoxObservation seen, SecondaryPlan plan) {
        int primaryVmid = round.spec().primary.vmid;
        boolean stopsPrimary = plan.actions().stream()
                .anyMatch(a -> a instanceof ProxmoxAction.ShutdownContainer s && s.vmid() == primaryVmid);
        List<Role> cloned = round.spec().secondaryRoles().stream().filter(role -> plan.actions().stream()
                .anyMatch(a -> a instanceof ProxmoxAction.CloneContainer c
                        && c.newVmid() == round.spec().secondary(role).vmid)).toList();
        Instant owedSince = round.durable().primaryStoppedForCloneSince();
        round.persist(state -> {
            DurableState next = state;
            if (stopsPrimary && !state.primaryStoppedForClone()) {
                next = next.withPrimaryStoppedForCloneSince(round.clock().instant().truncatedTo(ChronoUnit.SECONDS));
            } else if (!stopsPrimary && seen.primary().running()) {
                next = next.withPrimaryStoppedForCloneSince(null);
            }
            for (Role role : cloned) {
                next = next.withHostKey(role, null);
            }
            return next;
        });
        if (owedSince != null && !round.durable().primaryStoppedForClone()) {
            primaryRunsAgain(round);
        } else if (owedSince != null && !seen.primary().running()) {
            round.status().condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE, true, "ClonePending", "the primary was"
                    + " shut down at " + owedSince + " for the clone (cloneStrategy StopPrimary); it is started again once"
                    + " the clones that need it stopped are done");
        }
    }

    /** A change made now: the primary stopped for a clone is told; its start settles what was owed. */
    private void afterSuccess(Round round, Action action) {
        int primaryVmid = round.spec().primary.vmid;
        if (action instanceof ProxmoxAction.ShutdownContainer s && s.vmid() == primaryVmid) {
            round.status().condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE, true, "ClonePending",
                    "the primary was shut down at " + round.timestamp() + " for the clone (cloneStrategy StopPrimary);"
                            + " Traefik is down until it is started again");
            events.warning(round.resource(), "PrimaryStopped", "CT " + primaryVmid + " shut down for the clone: downtime"
                    + " begins");
        } else if (action instanceof ProxmoxAction.StartContainer s && s.vmid() == primaryVmid) {
            try {
                round.persist(state -> state.withPrimaryStoppedForCloneSince(null));
            } catch (ExternalSystemException e) {
                // The next round sees the primary running and clears the record then.
                LOG.warnf("%s: the primary runs again, but %s", round.id(), e.getMessage());
            }
            primaryRunsAgain(round);
        }
    }

    private static void primaryRunsAgain(Round round) {
        round.status().condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE, false, "Started", "the primary runs again");
    }

    /** A snapshot refused because the storage cannot snapshot is remembered, so the planner explains the options. */
    private static void rememberAfterFailure(Round round, Action action, ExternalSystemException e) {
        if (action instanceof ProxmoxAction.CreateSnapshot && e.getMessage().contains("snapshot feature is not available")) {
            round.remember(memory -> memory.withSnapshotUnsupported(true));
            round.status().condition(ConditionTypes.SECONDARY_PROVISIONED, false, "SnapshotUnsupported", e.getMessage());
        }
    }
}
