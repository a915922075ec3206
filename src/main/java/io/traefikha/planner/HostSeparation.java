package io.traefikha.planner;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.Finding;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import java.util.List;

/**
 * Whether the pair survives the loss of one Proxmox host: the secondary on the primary's node is allowed (a homelab
 * may have one node, or run so during maintenance) but is a warning, {@link ConditionTypes#SINGLE_HOST}. Judged on
 * where Proxmox really has the containers; a secondary not yet placed (missing, or a fresh clone beside the primary
 * that is still to be migrated) counts where spec.secondary.node will put it.
 */
public final class HostSeparation {

    private HostSeparation() {
    }

    /** One SingleHost finding, or none while the primary is not found (nothing to compare). */
    public static List<Finding> of(TraefikHAClusterSpec spec, ProxmoxObservation seen) {
        ContainerObservation primary = seen.primary();
        if (!primary.exists()) {
            return List.of();
        }
        ContainerObservation secondary = seen.secondary();
        boolean placed = secondary.exists() && secondary.hasAddress(spec.secondary(Role.SECONDARY).address);
        String secondaryNode = placed ? secondary.node() : spec.secondary(Role.SECONDARY).node;
        if (!primary.node().equals(secondaryNode)) {
            return List.of(new Finding(ConditionTypes.SINGLE_HOST, false, "SeparateNodes", "the primary runs on Proxmox node "
                    + primary.node() + ", the secondary " + (placed ? "on " : "goes to ") + secondaryNode));
        }
        String fix = placed ? "migrate the secondary to another node (pct migrate " + spec.secondary(Role.SECONDARY).vmid + " <node> --restart)"
                : "set spec.secondary.node to another node";
        return List.of(new Finding(ConditionTypes.SINGLE_HOST, true, "SameNode", "the primary CT " + spec.primary.vmid
                + " and the secondary CT " + spec.secondary(Role.SECONDARY).vmid + (placed ? " both run" : " will both run")
                + " on Proxmox node " + primary.node() + ": a failure of that host takes both down, so the VIP has no"
                + " protection against it; " + fix + " for that"));
    }
}
