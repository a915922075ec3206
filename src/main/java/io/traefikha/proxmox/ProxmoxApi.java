package io.traefikha.proxmox;

import java.util.List;
import java.util.Map;

/**
 * The Proxmox VE operations the operator needs, blocking (call from worker threads, never a Vert.x event loop).
 * Every method throws {@link ProxmoxException} when Proxmox refuses or cannot be reached. Methods returning a
 * {@link Upid} only start a task: wait for it with {@link TaskWaiter}, which is where lock and most state errors
 * surface.
 */
public interface ProxmoxApi {

    VersionInfo version();

    /** The lowest free VMID cluster-wide. Nothing is reserved: a later create/clone can still find it taken. */
    int nextId();

    /** Whether {@code vmid} is free cluster-wide (GET /cluster/nextid?vmid=...). */
    boolean isVmidFree(int vmid);

    /** All containers of the cluster (qemu entries filtered out); status lags, see {@link ClusterResource}. */
    List<ClusterResource> clusterContainers();

    /**
     * Every storage on every node it is enabled on (GET /cluster/resources?type=storage), one entry per node, with
     * whether it is shared; storages the token may not audit are left out by Proxmox.
     */
    List<StorageResource> clusterStorages();

    List<NodeInfo> nodes();

    /** The node's memory as GET /nodes/{node}/status reports it (needs Sys.Audit on /nodes/{node}). */
    NodeMemory nodeMemory(String node);

    /** The storages enabled on {@code node} that the token may see, with their free space (GET /nodes/{node}/storage). */
    List<NodeStorage> nodeStorages(String node);

    /** The user or token id this client authenticates as (e.g. traefikha@pve!operator). */
    String authId();

    /**
     * What {@code authid} (a user or a full token id such as {@code traefikha@pve!operator}) may do on exactly
     * {@code path} as Proxmox computes it (ACLs propagated down the tree, a privilege-separated token's rights
     * intersected with its user's): privilege to propagate flag. GET /access/permissions?userid=&path=; a token may
     * ask about itself without any privilege.
     */
    Map<String, Boolean> permissions(String authid, String path);

    List<ContainerStatus> containers(String node);

    /** Authoritative current state of one container. */
    ContainerStatus containerStatus(String node, int vmid);

    Upid start(String node, int vmid);

    /** Hard stop. */
    Upid stop(String node, int vmid);

    /** Clean shutdown; with {@code forceStop} the container is killed after {@code timeoutSeconds}. */
    Upid shutdown(String node, int vmid, int timeoutSeconds, boolean forceStop);

    Upid reboot(String node, int vmid);

    /** The task's id is the source vmid; the clone exists (locked "create") as soon as this returns. */
    Upid cloneContainer(String node, int vmid, CloneRequest request);

    ContainerConfig config(String node, int vmid);

    /** The config as it was when {@code snapshot} was taken (null: the current config, like {@link #config(String, int)}). */
    ContainerConfig config(String node, int vmid, String snapshot);

    /** Synchronous; with a digest it fails with {@link ProxmoxException#isDigestMismatch()} if the config changed. */
    void updateConfig(String node, int vmid, ConfigUpdate update);

    Upid createContainer(String node, CreateRequest request);

    /** Destroy; {@code force} stops a running container first, {@code purge} also removes it from jobs and HA. */
    Upid deleteContainer(String node, int vmid, boolean purge, boolean force);

    /** Offline migration; {@code restart} shuts a running container down, moves it and starts it on the target. */
    default Upid migrate(String node, int vmid, String target, boolean restart) {
        return migrate(node, vmid, target, restart, null);
    }

    /**
     * As {@link #migrate(String, int, String, boolean)}, copying volumes on local storage to {@code targetStorage} on
     * the target node (null: each to the storage with the same id there). Volumes on shared storage do not move.
     */
    Upid migrate(String node, int vmid, String target, boolean restart, String targetStorage);

    List<SnapshotInfo> snapshots(String node, int vmid);

    Upid createSnapshot(String node, int vmid, String snapname, String description);

    Upid deleteSnapshot(String node, int vmid, String snapname);

    /**
     * A vzdump backup of one guest to {@code storage} (POST /nodes/{node}/vzdump): mode snapshot (no downtime where the
     * storage can snapshot; vzdump falls back to suspend otherwise), zstd, and remove=0, so the storage's retention
     * (prune-backups) is not applied and no older backup of the guest is removed by it. {@code notes} (may be null)
     * become the backup's notes.
     */
    Upid vzdump(String node, int vmid, String storage, String notes);

    /** The backups of {@code vmid} on {@code storage} as {@code node} sees it, those the token may see. */
    List<BackupContent> backups(String node, String storage, int vmid);

    /** Deletes one volume (e.g. a backup) from a storage: an "imgdel" task. */
    Upid deleteVolume(String node, String storage, String volid);

    // Firewall of one container: synchronous, no tasks. Lists carry a digest that a change can be made conditional on.

    /** Only what is set comes back; {@link FirewallOptions} applies Proxmox's defaults (inbound DROP). */
    FirewallOptions firewallOptions(String node, int vmid);

    void updateFirewallOptions(String node, int vmid, FirewallOptionsUpdate update);

    /** In evaluation order; a rule's {@code pos} is its index. */
    List<FirewallRule> firewallRules(String node, int vmid);

    /** The new rule becomes position 0, moving every other rule down by one. */
    void createFirewallRule(String node, int vmid, FirewallRuleRequest rule);

    /** {@code rulesDigest} (may be null) makes the delete fail if the list changed since it was read. */
    void deleteFirewallRule(String node, int vmid, int pos, String rulesDigest);

    List<IpSet> ipSets(String node, int vmid);

    void createIpSet(String node, int vmid, String name, String comment);

    /** Refused by Proxmox while the set still has entries. */
    void deleteIpSet(String node, int vmid, String name);

    List<IpSetEntry> ipSetEntries(String node, int vmid, String name);

    void addIpSetEntry(String node, int vmid, String name, String cidr, String comment);

    /** {@code entriesDigest} (may be null) makes the removal fail if the set changed since it was read. */
    void removeIpSetEntry(String node, int vmid, String name, String cidr, String entriesDigest);

    /** Asked of the node named in the UPID, as tasks are node-local. */
    TaskStatus taskStatus(Upid upid);

    /** {@code start} is the 0-based first line, {@code limit} the number of lines (0 = all). */
    TaskLog taskLog(Upid upid, int start, int limit);
}
