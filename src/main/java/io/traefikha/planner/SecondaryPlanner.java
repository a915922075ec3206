package io.traefikha.planner;

import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.Finding;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.domain.StorageView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans the secondary container's life on Proxmox from the spec and what Proxmox shows: clone it without taking the
 * only proxy down, put it on its own node, give it its own identity, start it. A pure function: no I/O, table-tested.
 *
 * <p>Rules that protect the homelab: the primary is never stopped unless the spec opts in; a container this resource
 * does not own is never touched (Conflict) unless the spec says to adopt it; nothing is planned while Proxmox holds a
 * lock; a clone is never started while it still carries the primary's IP.
 *
 * <p>Both containers are found by VMID wherever they are in the cluster. {@code spec.primary.node} is a hint (where the
 * primary was when the spec was written): a primary that Proxmox HA or a maintenance migration moved is followed.
 * {@code spec.secondary.node} is where the operator places the secondary: a clone is moved there before it gets its own
 * address; a secondary that has its address and was moved afterwards (by Proxmox HA or by hand) is still this
 * resource's (the ownership marker decides) and is followed, not migrated back against HA.
 */
public final class SecondaryPlanner {

    private SecondaryPlanner() {
    }

    /**
     * @param memory  what earlier reconciles learned: storage that cannot snapshot
     * @param durable what must survive a crash: a primary the operator stopped for the clone, owed a start
     */
    public static SecondaryPlan plan(TraefikHAClusterSpec spec, String uid, ProxmoxObservation seen, ClusterMemory memory,
            DurableState durable) {
        ContainerObservation primary = seen.primary();
        ContainerObservation secondary = seen.secondary();
        int primaryVmid = spec.primary.vmid;
        if (!primary.exists()) {
            return report(false, "PrimaryNotFound", "primary CT " + primaryVmid + " not found on any node of the cluster"
                    + "; nothing is cloned until spec.primary.vmid names an existing container");
        }
        if (!secondary.exists()) {
            return planClone(spec, uid, primary, seen.storages(), memory.snapshotUnsupported());
        }
        if (!Ownership.ownedBy(secondary, uid) && !spec.secondary(Role.SECONDARY).adoptExisting) {
            String owner = Ownership.ownerUid(secondary.description());
            String whose = owner != null ? "another TraefikHACluster (uid " + owner + ")" : "nobody this operator knows";
            return new SecondaryPlan(List.of(), List.of(
                    new Finding(ConditionTypes.SECONDARY_PROVISIONED, false, "Conflict", conflictMessage(spec, whose)),
                    new Finding(ConditionTypes.CONFLICT, true, "VmidInUse", conflictMessage(spec, whose))), false);
        }
        if (secondary.locked()) {
            return waitFor("CT " + spec.secondary(Role.SECONDARY).vmid + " is locked (" + secondary.lock() + "), waiting for Proxmox to finish");
        }
        return planExisting(spec, uid, primary, secondary, seen.storages(), durable.primaryStoppedForClone());
    }

    private static SecondaryPlan planClone(TraefikHAClusterSpec spec, String uid, ContainerObservation primary,
            StorageView storages, boolean snapshotUnsupported) {
        SecondarySpec wanted = spec.secondary(Role.SECONDARY);
        if (primary.locked()) {
            return waitFor("primary CT " + spec.primary.vmid + " is locked (" + primary.lock() + "); the clone waits for it");
        }
        String storage = targetStorage(spec, primary);
        SecondaryPlan unavailable = storageUnavailable(spec, storage, storages);
        if (unavailable != null) {
            return unavailable;
        }
        List<ProxmoxAction> actions = new ArrayList<>();
        String snapname = null;
        if (primary.running()) {
            if (wanted.cloneStrategy == SecondarySpec.CloneStrategy.StopPrimary) {
                actions.add(new ProxmoxAction.ShutdownContainer(primary.node(), spec.primary.vmid,
                        "spec.secondary.cloneStrategy is StopPrimary: Traefik is down until the clone is done"));
            } else if (snapshotUnsupported) {
                return report(false, "SnapshotUnsupported", "the primary's storage cannot take snapshots, so a running CT "
                        + spec.primary.vmid + " cannot be cloned without stopping it. Options: move its rootfs to"
                        + " snapshot-capable storage (LVM-thin, ZFS, Ceph, Btrfs), or set spec.secondary.cloneStrategy:"
                        + " StopPrimary to accept downtime for the length of the clone");
            } else {
                snapname = Ownership.CLONE_SNAPSHOT;
                if (!primary.snapshots().contains(Ownership.CLONE_SNAPSHOT)) {
                    actions.add(new ProxmoxAction.CreateSnapshot(primary.node(), spec.primary.vmid, Ownership.CLONE_SNAPSHOT));
                }
            }
        }
        // Shared storage (one store both nodes see) lets the clone land on the secondary's node directly; on local
        // storage it is made beside the primary and migrated, its disks copied to the storage on the target.
        boolean otherNode = !wanted.node.equals(primary.node());
        boolean shared = storage != null && storages.on(wanted.node, storage).map(StorageView.Storage::shared).orElse(false)
                && storages.on(primary.node(), storage).isPresent();
        String target = otherNode && shared ? wanted.node : null;
        // PVE refuses a storage for a linked clone, and one not enabled on the node the clone is made on.
        boolean storageHere = storage != null && (!storages.read() || storages.on(primary.node(), storage).isPresent());
        String cloneStorage = wanted.full && storageHere ? storage : null;
        actions.add(new ProxmoxAction.CloneContainer(primary.node(), spec.primary.vmid, wanted.vmid, wanted.hostname,
                Ownership.markedDescription(null, uid), snapname, cloneStorage, wanted.pool, wanted.full, target));
        return new SecondaryPlan(actions, List.of(new Finding(ConditionTypes.SECONDARY_PROVISIONED, false, "Cloning",
                "cloning CT " + spec.primary.vmid + " to CT " + wanted.vmid
                        + (snapname != null ? " from a temporary snapshot, without stopping the primary" : "")
                        + (target != null ? " straight onto node " + target + " (shared storage " + storage + ")" : ""))),
                true);
    }

    /** Where the secondary's disks go: spec.secondary(Role.SECONDARY).storage, else the storage of the primary's rootfs. */
    static String targetStorage(TraefikHAClusterSpec spec, ContainerObservation primary) {
        return spec.secondary(Role.SECONDARY).storage != null ? spec.secondary(Role.SECONDARY).storage : primary.rootfsStorage();
    }

    /**
     * A blocking finding when the storages were read and the secondary's node lacks the storage its disks go to (or it
     * holds no container disks there), naming the storage, where it is, and what the node has instead; null when fine.
     */
    private static SecondaryPlan storageUnavailable(TraefikHAClusterSpec spec, String storage, StorageView storages) {
        if (storage == null || !storages.read()) {
            return null;
        }
        String node = spec.secondary(Role.SECONDARY).node;
        String which = spec.secondary(Role.SECONDARY).storage != null ? "spec.secondary.storage '" + storage + "'"
                : "storage '" + storage + "' (the primary's rootfs storage, the default of spec.secondary.storage)";
        String fix = "; set spec.secondary.storage to a storage on " + node + " that holds container disks"
                + (storages.containerStoragesOn(node).isEmpty() ? "" : " (" + String.join(", ", storages.containerStoragesOn(node)) + ")");
        Optional<StorageView.Storage> there = storages.on(node, storage);
        if (there.isEmpty()) {
            List<String> where = storages.nodesWith(storage);
            return report(false, "StorageUnavailable", which + " is not available on node " + node
                    + (where.isEmpty() ? " (no node has it)" : " (it is on " + String.join(", ", where) + ")") + fix);
        }
        if (!there.get().holdsContainers()) {
            return report(false, "StorageUnavailable", which + " on node " + node + " does not hold container disks"
                    + " (content rootdir)" + fix);
        }
        return null;
    }

    private static SecondaryPlan planExisting(TraefikHAClusterSpec spec, String uid, ContainerObservation primary,
            ContainerObservation secondary, StorageView storages, boolean primaryStoppedForClone) {
        SecondarySpec wanted = spec.secondary(Role.SECONDARY);
        List<ProxmoxAction> actions = new ArrayList<>();
        // The clone is done (the secondary exists and is not locked): the primary serves again before anything else.
        if (!primary.running() && primaryStoppedForClone && !primary.locked()) {
            actions.add(new ProxmoxAction.StartContainer(primary.node(), spec.primary.vmid));
        }
        if (!wanted.node.equals(secondary.node()) && !secondary.hasAddress(wanted.address)) {
            String storage = targetStorage(spec, primary);
            SecondaryPlan unavailable = storageUnavailable(spec, storage, storages);
            if (unavailable != null) {
                return new SecondaryPlan(actions, unavailable.findings(), false);
            }
            // target-storage only where the disks change storage: the same id needs no map (nor VM.Config.Disk)
            String mapTo = storage != null && !storage.equals(secondary.rootfsStorage()) ? storage : null;
            actions.add(new ProxmoxAction.MigrateContainer(secondary.node(), wanted.vmid, wanted.node, secondary.running(),
                    mapTo));
            // Everything else is planned against the CT on its new node, in the next reconcile.
            return new SecondaryPlan(actions, List.of(new Finding(ConditionTypes.SECONDARY_PROVISIONED, false, "Migrating",
                    "moving CT " + wanted.vmid + " to node " + wanted.node + " so one host failure cannot take both down")), true);
        }
        ProxmoxAction.ConfigureContainer configure = configureIfDrifted(spec, uid, secondary);
        if (configure != null) {
            actions.add(configure);
        }
        if (primary.snapshots().contains(Ownership.CLONE_SNAPSHOT) && !primary.locked()) {
            actions.add(new ProxmoxAction.DeleteSnapshot(primary.node(), spec.primary.vmid, Ownership.CLONE_SNAPSHOT));
        }
        String sharedIp6 = primaryIp6Copied(spec, primary, secondary);
        if (sharedIp6 != null) {
            // started, the clone would answer on the primary's IPv6 address: never start it so
            return new SecondaryPlan(actions, List.of(new Finding(ConditionTypes.SECONDARY_PROVISIONED, false,
                    "DuplicateAddress", "CT " + wanted.vmid + " carries the primary's static IPv6 address " + sharedIp6
                            + " (net0 ip6, copied by the clone)" + (secondary.running() ? "" : "; it is not started")
                            + ": set spec.secondary.address6 to the secondary's own IPv6 address (CIDR), or give the"
                            + " primary ip6=auto or dhcp")), false);
        }
        if (!secondary.running()) {
            actions.add(new ProxmoxAction.StartContainer(secondary.node(), wanted.vmid));
        }
        if (actions.isEmpty()) {
            String followed = wanted.node.equals(secondary.node()) ? ""
                    : " (moved there from spec.secondary.node " + wanted.node + " after it was placed; followed)";
            return report(true, "Provisioned", "CT " + wanted.vmid + " '" + wanted.hostname + "' is running on node "
                    + secondary.node() + followed + " with address " + wanted.address);
        }
        return new SecondaryPlan(actions, List.of(new Finding(ConditionTypes.SECONDARY_PROVISIONED, false, "Configuring",
                "bringing CT " + wanted.vmid + " to its wanted configuration")), false);
    }

    /** The config changes that make the CT the secondary: identity, address (same MAC), start at boot, ownership. */
    private static ProxmoxAction.ConfigureContainer configureIfDrifted(TraefikHAClusterSpec spec, String uid,
            ContainerObservation ct) {
        Map<String, String> options = new LinkedHashMap<>();
        if (!spec.secondary(Role.SECONDARY).hostname.equals(ct.hostname())) {
            options.put("hostname", spec.secondary(Role.SECONDARY).hostname);
        }
        if (!ct.onboot()) {
            options.put("onboot", "1");
        }
        if (!ct.tags().contains(Ownership.TAG)) {
            Set<String> tags = new TreeSet<>(ct.tags());
            tags.add(Ownership.TAG);
            options.put("tags", String.join(";", tags));
        }
        if (!uid.equals(Ownership.ownerUid(ct.description()))) {
            options.put("description", Ownership.markedDescription(ct.description(), uid));
        }
        ContainerObservation.NetworkConfig current = ct.net0();
        ContainerObservation.NetworkConfig wantedNet = new ContainerObservation.NetworkConfig(
                spec.network.interfaceName, spec.network.bridge, spec.secondary(Role.SECONDARY).address, spec.network.gateway,
                current == null ? null : current.hwaddr(), wantedIp6(spec, current));
        boolean netDrifted = !Objects.equals(current, wantedNet);
        if (options.isEmpty() && !netDrifted) {
            return null;
        }
        return new ProxmoxAction.ConfigureContainer(ct.node(), spec.secondary(Role.SECONDARY).vmid, options, netDrifted ? wantedNet : null,
                ct.digest());
    }

    /**
     * A clone carries the primary's net0, so a static ip6 there is the primary's IPv6 address: with secondary.address6
     * the secondary gets its own instead. Anything else (auto, dhcp, manual, none, the right address) stays as it is.
     */
    private static String wantedIp6(TraefikHAClusterSpec spec, ContainerObservation.NetworkConfig current) {
        String ip6 = current == null ? null : current.ip6();
        boolean staticAddress = ip6 != null && ip6.contains(":");
        return staticAddress && spec.secondary(Role.SECONDARY).address6 != null ? spec.secondary(Role.SECONDARY).address6 : ip6;
    }

    /**
     * The primary's static IPv6 address when the secondary still carries it and the spec names no address6 to replace
     * it with; null otherwise (no static ip6 on the primary, address6 set, or the secondary's ip6 changed by hand).
     */
    private static String primaryIp6Copied(TraefikHAClusterSpec spec, ContainerObservation primary,
            ContainerObservation secondary) {
        String primaryIp6 = primary.net0() == null ? null : primary.net0().ip6();
        String secondaryIp6 = secondary.net0() == null ? null : secondary.net0().ip6();
        boolean staticAddress = primaryIp6 != null && primaryIp6.contains(":");
        return staticAddress && spec.secondary(Role.SECONDARY).address6 == null && primaryIp6.equals(secondaryIp6) ? primaryIp6 : null;
    }

    private static String conflictMessage(TraefikHAClusterSpec spec, String whose) {
        return "CT " + spec.secondary(Role.SECONDARY).vmid + " exists but belongs to " + whose + "; it is left untouched. Choose another"
                + " spec.secondary.vmid, or set spec.secondary.adoptExisting: true to let the operator manage it";
    }

    private static SecondaryPlan report(boolean ok, String reason, String message) {
        return new SecondaryPlan(List.of(), List.of(new Finding(ConditionTypes.SECONDARY_PROVISIONED, ok, reason, message)), false);
    }

    private static SecondaryPlan waitFor(String message) {
        return new SecondaryPlan(List.of(), List.of(new Finding(ConditionTypes.SECONDARY_PROVISIONED, false, "Waiting", message)), true);
    }
}
