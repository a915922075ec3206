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
import java.util.Collections;
import java.util.List;

/**
 * What deleting a TraefikHACluster does, by its deletionPolicy: Retain nothing; Rollback the runbook's rollback
 * (keepalived, and lsyncd on the primary, stopped and disabled on every node, which removes the VIP; every file the
 * operator wrote restored to what was there before; the temporary clone snapshot removed; every secondary shut down);
 * Delete the same, then every secondary destroyed. Only a secondary this resource owns is ever shut down or destroyed;
 * the primary keeps running, its Traefik configuration untouched. Whatever the policy, a primary the operator stopped
 * for a clone is started again: a deletion never leaves the only proxy stopped.
 */
public final class RollbackPlanner {

    public static final String LSYNCD = "lsyncd";

    private RollbackPlanner() {
    }

    /**
     * @param nodeActions    on the nodes, best effort
     * @param proxmoxActions on Proxmox, in order; they must succeed before the resource may go
     * @param waitingFor     why the Proxmox actions wait (a container locked by a clone or migration under way), or null
     */
    public record Rollback(List<NodeAction> nodeActions, List<ProxmoxAction> proxmoxActions, String waitingFor) {
    }

    /** @param durable what must survive a crash: a primary the operator stopped for a clone is owed a start */
    public static Rollback plan(TraefikHAClusterSpec spec, String uid, ProxmoxObservation seen, DurableState durable) {
        ContainerObservation primary = seen.primary();
        // Only the secondaries this resource owns are ever touched, on the nodes or on Proxmox.
        List<Role> owned = spec.secondaryRoles().stream().filter(role -> Ownership.ownedBy(seen.container(role), uid))
                .toList();
        String waitingFor = primary.locked() ? "primary CT " + spec.primary.vmid + " is locked (" + primary.lock() + ")"
                : owned.stream().filter(role -> seen.container(role).locked()).findFirst()
                        .map(role -> "CT " + spec.secondary(role).vmid + " is locked (" + seen.container(role).lock() + ")")
                        .orElse(null);
        List<ProxmoxAction> proxmoxActions = new ArrayList<>();
        if (waitingFor == null && durable.primaryStoppedForClone() && primary.exists() && !primary.running()) {
            proxmoxActions.add(new ProxmoxAction.StartContainer(primary.node(), spec.primary.vmid));
        }
        if (spec.deletionPolicy == DeletionPolicy.Retain) {
            return new Rollback(List.of(), proxmoxActions, durable.primaryStoppedForClone() ? waitingFor : null);
        }
        List<NodeAction> nodeActions = new ArrayList<>();
        // The secondaries first, the lowest priority first: the primary keeps the VIP until its own keepalived stops, so
        // service moves back to it.
        List<Role> stopOrder = new ArrayList<>(owned);
        Collections.reverse(stopOrder);
        stopOrder.add(Role.PRIMARY);
        for (Role role : stopOrder) {
            ContainerObservation ct = seen.container(role);
            if (ct.exists() && ct.running()) {
                nodeActions.addAll(stopServices(spec, role));
                nodeActions.addAll(restoreFiles(spec, role));
            }
        }
        if (waitingFor != null) {
            return new Rollback(nodeActions, List.of(), waitingFor);
        }
        // Only the operator's own snapshot, by its exact name; the user's snapshots stay.
        if (primary.snapshots().contains(Ownership.CLONE_SNAPSHOT)) {
            proxmoxActions.add(new ProxmoxAction.DeleteSnapshot(primary.node(), spec.primary.vmid,
                    Ownership.CLONE_SNAPSHOT));
        }
        for (Role role : owned) {
            ContainerObservation secondary = seen.container(role);
            int vmid = spec.secondary(role).vmid;
            if (secondary.running()) {
                proxmoxActions.add(new ProxmoxAction.ShutdownContainer(secondary.node(), vmid, "deletionPolicy "
                        + spec.deletionPolicy + ": the " + role.label() + " is no longer needed"));
            }
            if (spec.deletionPolicy == DeletionPolicy.Delete) {
                proxmoxActions.add(new ProxmoxAction.DestroyContainer(secondary.node(), vmid, uid));
            }
        }
        DurableState.Backup backup = durable.backup();
        if (!backupStays(spec) && backup != null && backup.taken() && ownArchive(backup, spec.primary.vmid)) {
            proxmoxActions.add(new ProxmoxAction.DeleteBackup(backup.node(), backup.storage(), backup.volid()));
        }
        return new Rollback(nodeActions, proxmoxActions, null);
    }

    /** Whether the operator's backup outlives the resource: always with Retain, else as spec.backup.keepOnDelete says. */
    public static boolean backupStays(TraefikHAClusterSpec spec) {
        return spec.deletionPolicy == DeletionPolicy.Retain || spec.backupOrDefault().keepOnDelete;
    }

    /**
     * Only the archive the record names, and only when it looks like what vzdump made of the primary on that storage:
     * a record edited to point elsewhere deletes nothing.
     */
    private static boolean ownArchive(DurableState.Backup backup, int primaryVmid) {
        return backup.storage() != null && backup.volid().startsWith(backup.storage() + ":")
                && backup.volid().contains("vzdump-lxc-" + primaryVmid + "-");
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
     * keys added since the operator's first change survive. The drop-in on Traefik's unit goes first, before the hook it
     * runs (the gateway has systemd reload its units after a restore that touched one).
     */
    private static List<NodeAction> restoreFiles(TraefikHAClusterSpec spec, Role role) {
        List<String> paths = new ArrayList<>(List.of(KeepalivedPaths.traefikDropIn(spec.traefik.serviceName)));
        paths.addAll(KeepalivedPaths.WRITTEN);
        paths.addAll(role == Role.PRIMARY ? LsyncdRenderer.PRIMARY_FILES : LsyncdRenderer.SECONDARY_FILES);
        List<NodeAction> actions = new ArrayList<>();
        actions.add(new NodeAction.RestoreOriginals(role, paths));
        if (role != Role.PRIMARY) {
            actions.add(new NodeAction.RemoveSyncKey(role));
        }
        return actions;
    }
}
