package io.traefikha.planner;

import io.traefikha.domain.Finding;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.Role;
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
