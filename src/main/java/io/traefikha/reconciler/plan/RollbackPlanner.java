package io.traefikha.reconciler.plan;

import io.traefikha.api.DeletionPolicy;
import io.traefikha.api.TraefikHAClusterSpec;
import io.traefikha.keepalived.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * What deleting a TraefikHACluster does, by its deletionPolicy: Retain nothing; Rollback the runbook's rollback
 * (keepalived stopped and disabled on both nodes, which removes the VIP, and the secondary shut down); Delete the same,
 * then the secondary destroyed. Only a secondary this resource owns is ever shut down or destroyed; the primary keeps
 * running and keeps its files.
 */
public final class RollbackPlanner {

    private RollbackPlanner() {
    }

    public record Rollback(List<NodeAction> nodeActions, List<ProxmoxAction> proxmoxActions) {
    }

    public static Rollback plan(TraefikHAClusterSpec spec, String uid, ProxmoxObservation seen) {
        if (spec.deletionPolicy == DeletionPolicy.Retain) {
            return new Rollback(List.of(), List.of());
        }
        ContainerObservation secondary = seen.secondary();
        boolean ownSecondary = Ownership.ownedBy(secondary, uid);
        List<NodeAction> nodeActions = new ArrayList<>();
        // The secondary first: the primary keeps the VIP until its own keepalived stops, so service moves back to it.
        for (Role role : List.of(Role.SECONDARY, Role.PRIMARY)) {
            ContainerObservation ct = role == Role.PRIMARY ? seen.primary() : secondary;
            boolean ours = role == Role.PRIMARY || ownSecondary;
            if (ct.exists() && ct.running() && ours) {
                nodeActions.add(new NodeAction.StopService(role, NodePlanner.KEEPALIVED));
                nodeActions.add(new NodeAction.DisableService(role, NodePlanner.KEEPALIVED));
            }
        }
        List<ProxmoxAction> proxmoxActions = new ArrayList<>();
        if (ownSecondary && secondary.running()) {
            proxmoxActions.add(new ProxmoxAction.ShutdownContainer(secondary.node(), spec.secondary.vmid,
                    "deletionPolicy " + spec.deletionPolicy + ": the secondary is no longer needed"));
        }
        if (ownSecondary && spec.deletionPolicy == DeletionPolicy.Delete) {
            proxmoxActions.add(new ProxmoxAction.DestroyContainer(secondary.node(), spec.secondary.vmid));
        }
        return new Rollback(nodeActions, proxmoxActions);
    }
}
