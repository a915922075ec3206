package io.traefikha.step;

import io.traefikha.domain.Action;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.planner.SecondaryPlan;
import io.traefikha.planner.SecondaryPlanner;
import org.jboss.logging.Logger;

/**
 * The secondary container on Proxmox: observe both containers, plan with {@link SecondaryPlanner}, act. The rest of
 * the round needs the secondary in place, so the round stops here until it is provisioned.
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
            return Next.STOP;
        }
        round.status().condition(ConditionTypes.PROXMOX_REACHABLE, true, "Reachable", "the Proxmox API answered");
        round.proxmox(seen);
        if (seen.secondary().exists()) {
            round.remember(memory -> memory.withSnapshotUnsupported(false)); // it mattered only for the clone
        }
        SecondaryPlan plan = SecondaryPlanner.plan(round.spec(), round.resource().getMetadata().getUid(), seen,
                round.remembered());
        round.report(plan.findings());
        Actions.Applied applied = actions.carryOut(round, plan.actions());
        applied.done().forEach(action -> rememberAfterSuccess(round, action));
        if (!applied.ok()) {
            rememberAfterFailure(round, applied.failed(), applied.error());
            return Next.STOP;
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

    /** What later reconciles must know about a change made now: the primary stopped for a clone owes a start. */
    private void rememberAfterSuccess(Round round, Action action) {
        int primaryVmid = round.spec().primary.vmid;
        if (action instanceof ProxmoxAction.ShutdownContainer s && s.vmid() == primaryVmid) {
            round.remember(memory -> memory.withPrimaryStoppedForCloneSince(round.clock().instant()));
            round.status().condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE, true, "ClonePending",
                    "the primary was shut down at " + round.timestamp() + " for the clone (cloneStrategy StopPrimary);"
                            + " Traefik is down until it is started again");
            events.warning(round.resource(), "PrimaryStopped", "CT " + primaryVmid + " shut down for the clone: downtime"
                    + " begins");
        } else if (action instanceof ProxmoxAction.StartContainer s && s.vmid() == primaryVmid) {
            round.remember(memory -> memory.withPrimaryStoppedForCloneSince(null));
            round.status().condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE, false, "Started", "the primary runs again");
        }
    }

    /** A snapshot refused because the storage cannot snapshot is remembered, so the planner explains the options. */
    private static void rememberAfterFailure(Round round, Action action, ExternalSystemException e) {
        if (action instanceof ProxmoxAction.CreateSnapshot && e.getMessage().contains("snapshot feature is not available")) {
            round.remember(memory -> memory.withSnapshotUnsupported(true));
            round.status().condition(ConditionTypes.SECONDARY_PROVISIONED, false, "SnapshotUnsupported", e.getMessage());
        }
    }
}
