package io.traefikha.proxmox;

import java.util.List;

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

    List<NodeInfo> nodes();

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

    /** Synchronous; with a digest it fails with {@link ProxmoxException#isDigestMismatch()} if the config changed. */
    void updateConfig(String node, int vmid, ConfigUpdate update);

    Upid createContainer(String node, CreateRequest request);

    /** Destroy; {@code force} stops a running container first, {@code purge} also removes it from jobs and HA. */
    Upid deleteContainer(String node, int vmid, boolean purge, boolean force);

    /** Offline migration; {@code restart} shuts a running container down, moves it and starts it on the target. */
    Upid migrate(String node, int vmid, String target, boolean restart);

    List<SnapshotInfo> snapshots(String node, int vmid);

    Upid createSnapshot(String node, int vmid, String snapname, String description);

    Upid deleteSnapshot(String node, int vmid, String snapname);

    /** Asked of the node named in the UPID, as tasks are node-local. */
    TaskStatus taskStatus(Upid upid);

    /** {@code start} is the 0-based first line, {@code limit} the number of lines (0 = all). */
    TaskLog taskLog(Upid upid, int start, int limit);
}
