package io.traefikha.planner;

import io.traefikha.domain.Finding;
import io.traefikha.domain.FirewallAction;
import java.util.List;

/**
 * What to change on the containers' firewalls, in order, and the {@value FirewallPlanner#CONDITION} finding.
 */
public record FirewallPlan(List<FirewallAction> actions, List<Finding> findings) {

    public FirewallPlan {
        actions = List.copyOf(actions);
        findings = List.copyOf(findings);
    }
}
