package io.traefikha.reconciler;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Finding;
import io.traefikha.planner.NodePlanner;
import io.traefikha.planner.SplitBrainContext;
import java.time.Instant;
import java.util.List;

/**
 * The reconcile chain's side of the split-brain judgement ({@link NodePlanner}): what earlier reconciles and the
 * firewall step leave for it, and the Events when a split brain is found, changes cause, or is resolved.
 */
final class SplitBrainStep {

    private SplitBrainStep() {
    }

    /**
     * @param previous         the status the last reconcile wrote (a held-back node is remembered in its SplitBrain
     *                         condition, so an operator restart keeps it)
     * @param firewallFindings this reconcile's firewall findings (FirewallReady)
     */
    static SplitBrainContext context(TraefikHAClusterStatus previous, List<Finding> firewallFindings, Instant now) {
        String firewallProblem = firewallFindings.stream()
                .filter(f -> ConditionTypes.FIREWALL_READY.equals(f.type()) && !f.status()).map(Finding::message)
                .findFirst().orElse(null);
        Condition last = previous.condition(ConditionTypes.SPLIT_BRAIN);
        SplitBrainContext.HeldBack heldBack = last != null && Condition.TRUE.equals(last.status)
                && NodePlanner.HOLD_REASONS.contains(last.reason) && last.lastTransitionTime != null
                ? new SplitBrainContext.HeldBack(last.reason, Instant.parse(last.lastTransitionTime)) : null;
        boolean twoMastersBefore = last != null && Condition.TRUE.equals(last.status)
                && NodePlanner.TWO_MASTER_REASONS.contains(last.reason);
        return new SplitBrainContext(firewallProblem, heldBack, twoMastersBefore, now);
    }

    /** A Warning when a split brain appears or its cause changes, a Normal Event when it is resolved. */
    static void announce(EventRecorder events, TraefikHACluster resource, TraefikHAClusterStatus previous,
            List<Finding> findings) {
        Condition last = previous.condition(ConditionTypes.SPLIT_BRAIN);
        boolean wasSplit = last != null && Condition.TRUE.equals(last.status);
        findings.stream().filter(f -> ConditionTypes.SPLIT_BRAIN.equals(f.type())).findFirst().ifPresent(f -> {
            if (f.status() && (!wasSplit || !f.reason().equals(last.reason))) {
                events.warning(resource, "SplitBrain", f.message());
            } else if (!f.status() && wasSplit) {
                events.normal(resource, "SplitBrainResolved", f.message());
            }
        });
    }
}
