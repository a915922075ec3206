package io.traefikha.reconciler.plan;

import io.traefikha.keepalived.Role;
import java.util.List;

/**
 * What to do inside the containers now, what to report, and who holds the VIP.
 *
 * @param actions  in order, per node
 * @param findings KeepalivedConfigured, VIPHealthy, SplitBrain
 * @param holders  the roles whose interface carries the VIP (empty, one, or both in a split brain)
 */
public record NodePlan(List<NodeAction> actions, List<Finding> findings, List<Role> holders) {
}
