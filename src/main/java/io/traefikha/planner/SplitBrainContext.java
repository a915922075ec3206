package io.traefikha.planner;

import java.time.Duration;
import java.time.Instant;

/**
 * What the split-brain judgement of {@link NodePlanner} needs besides the probes.
 *
 * @param firewallProblem why the Proxmox firewall drops VRRP between the containers (the FirewallReady message), or
 *                        null when it lets it through
 * @param heldBack        keepalived was stopped on one node by an earlier reconcile because two MASTERs did not hear
 *                        each other, or null
 * @param twoMastersBefore the last reconcile also found two live MASTERs. The two probes are seconds apart, so a
 *                        failover between them looks the same once; keepalived is only stopped when it is seen twice.
 * @param now             the reconcile's time, for when to try a held-back node again
 */
public record SplitBrainContext(String firewallProblem, HeldBack heldBack, boolean twoMastersBefore, Instant now) {

    /** How long a node stopped for adverts that do not cross, without a cause the operator can see go away, stays stopped. */
    public static final Duration RETRY_AFTER = Duration.ofMinutes(5);

    public static SplitBrainContext none() {
        return new SplitBrainContext(null, null, false, null);
    }

    /**
     * The split brain an earlier reconcile remembered ({@link ClusterMemory#splitBrain()}): keepalived stopped on one
     * node for this cause (one of {@link NodePlanner#HOLD_REASONS}), a split brain seen since this time.
     */
    public record HeldBack(String cause, Instant since) {
    }
}
