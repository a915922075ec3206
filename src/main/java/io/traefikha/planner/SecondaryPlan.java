package io.traefikha.planner;

import io.traefikha.domain.Finding;
import io.traefikha.domain.ProxmoxAction;
import java.util.List;

/**
 * What to do about the secondary container now, and what to report.
 *
 * @param actions    in order; the actor stops at the first failure
 * @param findings   conditions to report (SecondaryProvisioned, and Conflict when the VMID belongs to someone else)
 * @param waiting    true when the plan is to wait for something Proxmox is doing (a lock), so reconcile again soon
 */
public record SecondaryPlan(List<ProxmoxAction> actions, List<Finding> findings, boolean waiting) {
}
