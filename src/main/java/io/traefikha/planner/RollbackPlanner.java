package io.traefikha.planner;

import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.sync.LsyncdRenderer;
import java.util.ArrayList;
import java.util.List;

/**
 * What deleting a TraefikHACluster does, by its deletionPolicy: Retain nothing; Rollback the runbook's rollback
 * (keepalived, and lsyncd on the primary, stopped and disabled on both nodes, which removes the VIP; every file the
 * operator wrote restored to what was there before; the secondary shut down); Delete the same,
 * then the secondary destroyed. Only a secondary this resource owns is ever shut down or destroyed; the primary keeps
 * running, its Traefik configuration untouched.
 */
public final class RollbackPlanner {

    public static final String LSYNCD = "lsyncd";

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
                nodeActions.addAll(stopServices(spec, role));
                nodeActions.addAll(restoreFiles(role));
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

    /** keepalived, and lsyncd on the primary when the operator runs it, stopped and disabled before their files go. */
    private static List<NodeAction> stopServices(TraefikHAClusterSpec spec, Role role) {
        List<String> services = role == Role.PRIMARY && spec.sync.mode == SyncSpec.SyncMode.Lsyncd
                ? List.of(NodePlanner.KEEPALIVED, LSYNCD) : List.of(NodePlanner.KEEPALIVED);
        List<NodeAction> actions = new ArrayList<>();
        for (String service : services) {
            actions.add(new NodeAction.StopService(role, service));
            actions.add(new NodeAction.DisableService(role, service));
        }
        return actions;
    }

    /**
     * Every file the operator may have written on the node back as it was (the node kept the originals, see
     * {@link io.traefikha.node.Originals}; a file never written has nothing kept and stays as it is), whatever the sync
     * mode is now: it may have been Lsyncd earlier. authorized_keys is not restored but has the sync key taken out, so
     * keys added since the operator's first change survive.
     */
    private static List<NodeAction> restoreFiles(Role role) {
        List<String> paths = new ArrayList<>(KeepalivedPaths.WRITTEN);
        paths.addAll(role == Role.PRIMARY ? LsyncdRenderer.PRIMARY_FILES : LsyncdRenderer.SECONDARY_FILES);
        List<NodeAction> actions = new ArrayList<>();
        actions.add(new NodeAction.RestoreOriginals(role, paths));
        if (role == Role.SECONDARY) {
            actions.add(new NodeAction.RemoveSyncKey(role));
        }
        return actions;
    }
}
