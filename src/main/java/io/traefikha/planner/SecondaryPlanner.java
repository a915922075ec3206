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
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Plans the secondary containers' life on Proxmox from the spec and what Proxmox shows: clone each without taking the
 * only proxy down, put each on its own node, give each its own identity, start it. A pure function: no I/O,
 * table-tested.
 *
 * <p>Rules that protect the homelab: the primary is never stopped unless the spec opts in, and then only as long as
 * the clones that asked for it take; a container this resource does not own is never touched (Conflict) unless the
 * spec says to adopt it; nothing is planned while Proxmox holds a lock; a clone is never started while it still
 * carries the primary's IP. Secondaries are cloned one at a time, in {@code spec.secondaryRoles()} order: Proxmox
 * locks the primary for the length of a clone, so a second clone starts only once the first exists and is unlocked.
 *
 * <p>Every container is found by VMID wherever it is in the cluster. {@code spec.primary.node} is a hint (where the
 * primary was when the spec was written): a primary that Proxmox HA or a maintenance migration moved is followed. A
 * secondary's {@code node} is where the operator places it: a clone is moved there before it gets its own address; a
 * secondary that has its address and was moved afterwards (by Proxmox HA or by hand) is still this resource's (the
 * ownership marker decides) and is followed, not migrated back against HA.
 */
public final class SecondaryPlanner {

    private SecondaryPlanner() {
    }

    /**
     * @param memory  what earlier reconciles learned: storage that cannot snapshot
     * @param durable what must survive a crash: a primary the operator stopped for a clone, owed a start
     */
    public static SecondaryPlan plan(TraefikHAClusterSpec spec, String uid, ProxmoxObservation seen, ClusterMemory memory,
            DurableState durable) {
        ContainerObservation primary = seen.primary();
        if (!primary.exists()) {
            return new SecondaryPlan(List.of(), List.of(new Finding(ConditionTypes.SECONDARY_PROVISIONED, false,
                    "PrimaryNotFound", "primary CT " + spec.primary.vmid + " not found on any node of the cluster"
                            + "; nothing is cloned until spec.primary.vmid names an existing container")), false);
        }
        Role busy = spec.secondaryRoles().stream().filter(role -> seen.container(role).locked()).findFirst().orElse(null);
        // Stopped for a clone and not running since: it stays down only for a clone that asked for it.
        boolean owed = durable.primaryStoppedForClone() && !primary.running();
        Map<Role, RolePlan> plans = new LinkedHashMap<>();
        Role cloning = null;
        for (Role role : spec.secondaryRoles()) {
            ContainerObservation ct = seen.container(role);
            RolePlan plan;
            if (!ct.exists()) {
                plan = cloneInTurn(spec, uid, role, primary, seen, memory.snapshotUnsupported(), owed, cloning, busy);
                cloning = plan.clones() ? role : cloning;
            } else if (!Ownership.ownedBy(ct, uid) && !spec.secondary(role).adoptExisting) {
                plan = conflict(spec, role, ct);
            } else if (ct.locked()) {
                plan = RolePlan.waiting("CT " + spec.secondary(role).vmid + " is locked (" + ct.lock()
                        + "), waiting for Proxmox to finish");
            } else {
                plan = planExisting(spec, uid, role, primary, ct, seen.storages());
            }
            plans.put(role, plan);
        }
        List<ProxmoxAction> actions = new ArrayList<>();
        boolean keptDown = cloning != null && spec.secondary(cloning).cloneStrategy == SecondarySpec.CloneStrategy.StopPrimary;
        if (owed && !primary.locked() && busy == null && !keptDown) {
            // The clones that needed it stopped are done: the primary serves again before anything else.
            actions.add(new ProxmoxAction.StartContainer(primary.node(), spec.primary.vmid));
        }
        plans.values().forEach(plan -> actions.addAll(plan.changes()));
        boolean snapshotNeeded = plans.values().stream().anyMatch(RolePlan::inClone);
        if (primary.snapshots().contains(Ownership.CLONE_SNAPSHOT) && !primary.locked() && !snapshotNeeded) {
            // before the starts: the actor stops at the first failure, and a failed start must not leave it behind
            actions.add(new ProxmoxAction.DeleteSnapshot(primary.node(), spec.primary.vmid, Ownership.CLONE_SNAPSHOT));
        }
        plans.values().stream().map(RolePlan::start).filter(Objects::nonNull).forEach(actions::add);
        return new SecondaryPlan(actions, sumUp(plans), plans.values().stream().anyMatch(RolePlan::waiting));
    }

    /**
     * A missing secondary: cloned now when the clone is its turn (no other clone planned or under way, the primary
     * not held down for a clone that wanted a snapshot), else waiting for it.
     */
    private static RolePlan cloneInTurn(TraefikHAClusterSpec spec, String uid, Role role, ContainerObservation primary,
            ProxmoxObservation seen, boolean snapshotUnsupported, boolean owed, Role cloning, Role busy) {
        int vmid = spec.secondary(role).vmid;
        if (cloning != null) {
            return RolePlan.waiting("CT " + vmid + " is cloned once the clone of CT " + spec.secondary(cloning).vmid
                    + " is done (one clone at a time)");
        }
        if (busy != null) {
            return RolePlan.waiting("CT " + vmid + " is cloned once CT " + spec.secondary(busy).vmid + " is unlocked ("
                    + seen.container(busy).lock() + "; one clone at a time)");
        }
        if (owed && spec.secondary(role).cloneStrategy != SecondarySpec.CloneStrategy.StopPrimary) {
            return RolePlan.waiting("CT " + vmid + " is cloned once the primary CT " + spec.primary.vmid + " runs again"
                    + " (it was shut down for another clone; " + spec.field(role) + ".cloneStrategy does not stop it)");
        }
        return planClone(spec, uid, role, primary, seen.storages(), snapshotUnsupported);
    }

    private static RolePlan planClone(TraefikHAClusterSpec spec, String uid, Role role, ContainerObservation primary,
            StorageView storages, boolean snapshotUnsupported) {
        SecondarySpec wanted = spec.secondary(role);
        String field = spec.field(role);
        if (primary.locked()) {
            return RolePlan.waiting("primary CT " + spec.primary.vmid + " is locked (" + primary.lock()
                    + "); the clone waits for it");
        }
        String storage = targetStorage(spec, role, primary);
        Finding unavailable = storageUnavailable(spec, role, storage, storages);
        if (unavailable != null) {
            return RolePlan.idle(unavailable, true);
        }
        List<ProxmoxAction> actions = new ArrayList<>();
        String snapname = null;
        if (primary.running()) {
            if (wanted.cloneStrategy == SecondarySpec.CloneStrategy.StopPrimary) {
                actions.add(new ProxmoxAction.ShutdownContainer(primary.node(), spec.primary.vmid,
                        field + ".cloneStrategy is StopPrimary: Traefik is down until the clone is done"));
            } else if (snapshotUnsupported) {
                return RolePlan.idle(notProvisioned("SnapshotUnsupported", "the primary's storage cannot take"
                        + " snapshots, so a running CT " + spec.primary.vmid + " cannot be cloned without stopping it."
                        + " Options: move its rootfs to snapshot-capable storage (LVM-thin, ZFS, Ceph, Btrfs), or set "
                        + field + ".cloneStrategy: StopPrimary to accept downtime for the length of the clone"), true);
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
        return new RolePlan(actions, null, notProvisioned("Cloning", "cloning CT " + spec.primary.vmid + " to CT "
                + wanted.vmid + (snapname != null ? " from a temporary snapshot, without stopping the primary" : "")
                + (target != null ? " straight onto node " + target + " (shared storage " + storage + ")" : "")),
                null, true, true);
    }

    /** Where a secondary's disks go: its storage, else the storage of the primary's rootfs. */
    static String targetStorage(TraefikHAClusterSpec spec, Role role, ContainerObservation primary) {
        return spec.secondary(role).storage != null ? spec.secondary(role).storage : primary.rootfsStorage();
    }

    /**
     * A blocking finding when the storages were read and the secondary's node lacks the storage its disks go to (or it
     * holds no container disks there), naming the storage, where it is, and what the node has instead; null when fine.
     */
    private static Finding storageUnavailable(TraefikHAClusterSpec spec, Role role, String storage, StorageView storages) {
        if (storage == null || !storages.read()) {
            return null;
        }
        String node = spec.secondary(role).node;
        String field = spec.field(role) + ".storage";
        String which = spec.secondary(role).storage != null ? field + " '" + storage + "'"
                : "storage '" + storage + "' (the primary's rootfs storage, the default of " + field + ")";
        String fix = "; set " + field + " to a storage on " + node + " that holds container disks"
                + (storages.containerStoragesOn(node).isEmpty() ? "" : " (" + String.join(", ", storages.containerStoragesOn(node)) + ")");
        Optional<StorageView.Storage> there = storages.on(node, storage);
        if (there.isEmpty()) {
            List<String> where = storages.nodesWith(storage);
            return notProvisioned("StorageUnavailable", which + " is not available on node " + node
                    + (where.isEmpty() ? " (no node has it)" : " (it is on " + String.join(", ", where) + ")") + fix);
        }
        if (!there.get().holdsContainers()) {
            return notProvisioned("StorageUnavailable", which + " on node " + node + " does not hold container disks"
                    + " (content rootdir)" + fix);
        }
        return null;
    }

    private static RolePlan planExisting(TraefikHAClusterSpec spec, String uid, Role role, ContainerObservation primary,
            ContainerObservation secondary, StorageView storages) {
        SecondarySpec wanted = spec.secondary(role);
        if (!wanted.node.equals(secondary.node()) && !secondary.hasAddress(wanted.address)) {
            String storage = targetStorage(spec, role, primary);
            Finding unavailable = storageUnavailable(spec, role, storage, storages);
            if (unavailable != null) {
                return RolePlan.idle(unavailable, true);
            }
            // target-storage only where the disks change storage: the same id needs no map (nor VM.Config.Disk)
            String mapTo = storage != null && !storage.equals(secondary.rootfsStorage()) ? storage : null;
            // Everything else is planned against the CT on its new node, in the next reconcile.
            return new RolePlan(List.of(new ProxmoxAction.MigrateContainer(secondary.node(), wanted.vmid, wanted.node,
                    secondary.running(), mapTo)), null, notProvisioned("Migrating", "moving CT " + wanted.vmid
                    + " to node " + wanted.node + " so one host failure cannot take both down"), null, true, true);
        }
        List<ProxmoxAction> changes = new ArrayList<>();
        ProxmoxAction.ConfigureContainer configure = configureIfDrifted(spec, uid, role, secondary);
        if (configure != null) {
            changes.add(configure);
        }
        String sharedIp6 = primaryIp6Copied(spec, role, primary, secondary);
        if (sharedIp6 != null) {
            // started, the clone would answer on the primary's IPv6 address: never start it so
            return new RolePlan(changes, null, notProvisioned("DuplicateAddress", "CT " + wanted.vmid
                    + " carries the primary's static IPv6 address " + sharedIp6 + " (net0 ip6, copied by the clone)"
                    + (secondary.running() ? "" : "; it is not started") + ": set " + spec.field(role)
                    + ".address6 to the secondary's own IPv6 address (CIDR), or give the primary ip6=auto or dhcp"),
                    null, false, false);
        }
        ProxmoxAction start = secondary.running() ? null : new ProxmoxAction.StartContainer(secondary.node(), wanted.vmid);
        if (changes.isEmpty() && start == null) {
            String followed = wanted.node.equals(secondary.node()) ? "" : " (moved there from " + spec.field(role)
                    + ".node " + wanted.node + " after it was placed; followed)";
            return RolePlan.idle(new Finding(ConditionTypes.SECONDARY_PROVISIONED, true, "Provisioned", "CT "
                    + wanted.vmid + " '" + wanted.hostname + "' is running on node " + secondary.node() + followed
                    + " with address " + wanted.address), false);
        }
        return new RolePlan(changes, start, notProvisioned("Configuring", "bringing CT " + wanted.vmid
                + " to its wanted configuration"), null, false, false);
    }

    /** The config changes that make the CT this secondary: identity, address (same MAC), start at boot, ownership. */
    private static ProxmoxAction.ConfigureContainer configureIfDrifted(TraefikHAClusterSpec spec, String uid, Role role,
            ContainerObservation ct) {
        SecondarySpec wanted = spec.secondary(role);
        Map<String, String> options = new LinkedHashMap<>();
        if (!wanted.hostname.equals(ct.hostname())) {
            options.put("hostname", wanted.hostname);
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
                spec.network.interfaceName, spec.network.bridge, wanted.address, spec.network.gateway,
                current == null ? null : current.hwaddr(), wantedIp6(wanted, current));
        boolean netDrifted = !Objects.equals(current, wantedNet);
        if (options.isEmpty() && !netDrifted) {
            return null;
        }
        return new ProxmoxAction.ConfigureContainer(ct.node(), wanted.vmid, options, netDrifted ? wantedNet : null,
                ct.digest());
    }

    /**
     * A clone carries the primary's net0, so a static ip6 there is the primary's IPv6 address: with address6 the
     * secondary gets its own instead. Anything else (auto, dhcp, manual, none, the right address) stays as it is.
     */
    private static String wantedIp6(SecondarySpec wanted, ContainerObservation.NetworkConfig current) {
        String ip6 = current == null ? null : current.ip6();
        boolean staticAddress = ip6 != null && ip6.contains(":");
        return staticAddress && wanted.address6 != null ? wanted.address6 : ip6;
    }

    /**
     * The primary's static IPv6 address when this secondary still carries it and its spec names no address6 to
     * replace it with; null otherwise (no static ip6 on the primary, address6 set, or the secondary's ip6 changed by
     * hand).
     */
    private static String primaryIp6Copied(TraefikHAClusterSpec spec, Role role, ContainerObservation primary,
            ContainerObservation secondary) {
        String primaryIp6 = primary.net0() == null ? null : primary.net0().ip6();
        String secondaryIp6 = secondary.net0() == null ? null : secondary.net0().ip6();
        boolean staticAddress = primaryIp6 != null && primaryIp6.contains(":");
        return staticAddress && spec.secondary(role).address6 == null && primaryIp6.equals(secondaryIp6) ? primaryIp6 : null;
    }

    private static RolePlan conflict(TraefikHAClusterSpec spec, Role role, ContainerObservation ct) {
        String owner = Ownership.ownerUid(ct.description());
        String whose = owner != null ? "another TraefikHACluster (uid " + owner + ")" : "nobody this operator knows";
        String message = "CT " + spec.secondary(role).vmid + " exists but belongs to " + whose + "; it is left untouched."
                + " Choose another " + spec.field(role) + ".vmid, or set " + spec.field(role) + ".adoptExisting: true"
                + " to let the operator manage it";
        return new RolePlan(List.of(), null, notProvisioned("Conflict", message),
                new Finding(ConditionTypes.CONFLICT, true, "VmidInUse", message), false, false);
    }

    /**
     * One SecondaryProvisioned finding for all secondaries (True only when every one is provisioned, its reason the
     * first one's that is not) and one Conflict finding when any VMID belongs to someone else. With more than one
     * secondary each message part names its replica.
     */
    private static List<Finding> sumUp(Map<Role, RolePlan> plans) {
        boolean several = plans.size() > 1;
        List<Finding> findings = new ArrayList<>();
        findings.add(combine(plans, RolePlan::finding, several));
        Finding conflict = combine(plans, RolePlan::conflict, several);
        if (conflict != null) {
            findings.add(conflict);
        }
        return findings;
    }

    /** The findings one part of the plans has, as one: status all of theirs, reason the first false one's. */
    private static Finding combine(Map<Role, RolePlan> plans, Function<RolePlan, Finding> part,
            boolean several) {
        Map<Role, Finding> found = new LinkedHashMap<>();
        plans.forEach((role, plan) -> {
            if (part.apply(plan) != null) {
                found.put(role, part.apply(plan));
            }
        });
        if (found.isEmpty()) {
            return null;
        }
        Finding first = found.values().stream().filter(f -> !f.status()).findFirst()
                .orElse(found.values().iterator().next());
        String message = found.entrySet().stream()
                .map(e -> (several ? e.getKey().label() + ": " : "") + e.getValue().message())
                .collect(Collectors.joining("; "));
        return new Finding(first.type(), found.values().stream().allMatch(Finding::status), first.reason(), message);
    }

    private static Finding notProvisioned(String reason, String message) {
        return new Finding(ConditionTypes.SECONDARY_PROVISIONED, false, reason, message);
    }

    /**
     * What to do about one secondary.
     *
     * @param changes  its changes before any start (clone, migration, configuration)
     * @param start    its start, or null: all starts come after the changes of every secondary
     * @param finding  its SecondaryProvisioned state
     * @param conflict a Conflict finding when its VMID belongs to someone else, else null
     * @param waiting  look again soon: Proxmox is busy with it, or it waits its turn
     * @param inClone  it still needs the clone snapshot: missing, being cloned, or not yet on its node
     */
    private record RolePlan(List<ProxmoxAction> changes, ProxmoxAction start, Finding finding, Finding conflict,
            boolean waiting, boolean inClone) {

        static RolePlan waiting(String message) {
            return new RolePlan(List.of(), null, notProvisioned("Waiting", message), null, true, true);
        }

        /** Nothing to do now: provisioned, or stopped by something the user must fix. */
        static RolePlan idle(Finding finding, boolean inClone) {
            return new RolePlan(List.of(), null, finding, null, false, inClone);
        }

        boolean clones() {
            return changes.stream().anyMatch(ProxmoxAction.CloneContainer.class::isInstance);
        }
    }
}
