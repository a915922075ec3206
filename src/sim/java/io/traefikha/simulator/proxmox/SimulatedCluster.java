package io.traefikha.simulator.proxmox;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The state of a simulated Proxmox VE cluster and what each API call does to it, without HTTP. Error texts and
 * their placement (synchronous 500 vs. task exit status) follow PVE 8.4's pve-container; see LXC-API-NOTES.md.
 * All state is guarded by {@code this}; tasks finish on the scheduler thread, which also delivers listener events.
 */
final class SimulatedCluster {

    private static final Logger LOG = Logger.getLogger(SimulatedCluster.class);

    /**
     * A storage as far as cloning, migrating and snapshots care: one entry of storage.cfg. {@code nodes} is its
     * {@code nodes} option (empty = every node). A non-shared storage available on several nodes is a separate store
     * on each with the same id (local-lvm on every node), so its volumes are copied by a migration; a shared one (NFS,
     * Ceph) is the same store everywhere.
     */
    record Storage(String id, boolean shared, boolean snapshots, boolean rootdir, Set<String> nodes) {

        boolean availableOn(String node) {
            return nodes.isEmpty() || nodes.contains(node);
        }

        /** Its content types as storage.cfg lists them: container disks, or backups, ISO images and templates. */
        String content() {
            return rootdir ? "images,rootdir" : "backup,iso,vztmpl";
        }

        boolean holdsBackups() {
            return content().contains("backup");
        }

        /** Where vzdump writes on this storage: the dir storage "local" keeps /var/lib/vz, others are mounted by id. */
        String dumpDir() {
            return id.equals("local") ? "/var/lib/vz/dump" : "/mnt/pve/" + id + "/dump";
        }
    }

    /**
     * A vzdump archive on a storage, as GET .../storage/{storage}/content lists it. {@code node} is where it was made:
     * on a non-shared storage only that node's store has it.
     */
    record Backup(String volid, String storage, String node, int vmid, String format, long size, long ctime, String notes) {
    }

    /** Options a running container takes at once (or hot-plugs); everything else waits in [pve:pending]. */
    private static final Set<String> HOT_OPTIONS = Set.of("description", "onboot", "startup", "protection", "hostname",
            "hookscript", "cores", "tags", "memory", "swap", "cpulimit", "cpuunits", "lock");
    private static final Set<String> REQUIRED_OPTIONS = Set.of("memory", "rootfs", "ostype");
    private static final String FULL_CLONE_RUNNING = "Cannot do full clones on a running container without snapshots";

    private final Map<String, Boolean> nodes = new LinkedHashMap<>();
    /** Each node's memory as its pvestatd reports it: total and used bytes (defaults: 16 GiB, 2 GiB used). */
    private final Map<String, long[]> nodeMemory = new HashMap<>();
    /** Each storage's size and use on each node ("storage@node"): total and used bytes (defaults: 100 GiB, 10 GiB used). */
    private final Map<String, long[]> storageUsage = new HashMap<>();
    private final Map<String, Storage> storages = new LinkedHashMap<>();
    /** SDN VNets and their zones; any other bridge is a plain Linux bridge in the zone "localnetwork". */
    private final Map<String, String> vnetZones = new HashMap<>();
    private final PveAccess access;
    private final Map<Integer, SimContainer> containers = new TreeMap<>();
    private final Map<Integer, String> qemuVms = new TreeMap<>();
    private final Map<String, SimTask> tasks = new HashMap<>();
    private final List<Backup> backups = new ArrayList<>();
    private final Map<String, Deque<String>> injectedTaskFailures = new HashMap<>();
    private final Set<String> tasksToKill = new HashSet<>();
    /** Tasks held running until {@link #releaseHeldTasks()}; while holding, every task started joins them. */
    private final List<Runnable> heldTasks = new ArrayList<>();
    private boolean holding;
    private final List<ContainerListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final SecureRandom random = new SecureRandom();
    private final long pstart = random.nextInt(0x7FFFFFFF);
    private long nextPid = 0x1000 + random.nextInt(0xFFFF);
    private Duration taskDuration;

    SimulatedCluster(ScheduledExecutorService scheduler, Duration taskDuration, PveAccess access) {
        this.scheduler = scheduler;
        this.access = access;
        this.taskDuration = taskDuration;
    }

    // ---- setup and fault injection (used through ProxmoxSimulator) ----

    synchronized void addNode(String name) {
        nodes.put(name, true);
    }

    synchronized void addStorage(Storage storage) {
        storage.nodes().forEach(this::requireNode);
        storages.put(storage.id(), storage);
    }

    synchronized void addVnet(String vnet, String zone) {
        vnetZones.put(vnet, zone);
    }

    synchronized void addQemuVm(int vmid, String node) {
        requireFreeVmid(vmid);
        qemuVms.put(vmid, node);
    }

    synchronized void addContainer(int vmid, String node, boolean running, Map<String, String> config) {
        requireNode(node);
        requireFreeVmid(vmid);
        SimContainer ct = new SimContainer(vmid, node);
        ct.config.putAll(config);
        ct.running = running;
        ct.startedAt = running ? nowSeconds() : 0;
        ct.broadcastStatus = running ? "running" : "stopped";
        containers.put(vmid, ct);
    }

    synchronized void setNodeMemory(String node, long totalBytes, long usedBytes) {
        requireNode(node);
        nodeMemory.put(node, new long[] {totalBytes, usedBytes});
    }

    /** A shared storage is one store: its figures are the same on every node, so set them under any of its nodes. */
    synchronized void setStorageUsage(String storage, String node, long totalBytes, long usedBytes) {
        requireNode(node);
        if (!storages.containsKey(storage)) {
            throw new IllegalArgumentException("no storage " + storage);
        }
        storageUsage.put(usageKey(storages.get(storage), node), new long[] {totalBytes, usedBytes});
    }

    private static String usageKey(Storage storage, String node) {
        return storage.shared() ? storage.id() : storage.id() + "@" + node;
    }

    private long[] memoryOf(String node) {
        return nodeMemory.getOrDefault(node, new long[] {16L << 30, 2L << 30});
    }

    private long[] usageOf(Storage storage, String node) {
        return storageUsage.getOrDefault(usageKey(storage, node), new long[] {100L << 30, 10L << 30});
    }

    synchronized void setNodeOnline(String node, boolean online) {
        requireNode(node);
        nodes.put(node, online);
    }

    synchronized boolean nodeOnline(String node) {
        return nodes.getOrDefault(node, false);
    }

    synchronized boolean nodeExists(String node) {
        return nodes.containsKey(node);
    }

    synchronized void setTaskDuration(Duration duration) {
        this.taskDuration = duration;
    }

    /** The next task of this type (vzclone, vzstart...) fails with exactly this exit status. */
    synchronized void failNextTask(String type, String exitStatus) {
        injectedTaskFailures.computeIfAbsent(type, t -> new ArrayDeque<>()).add(exitStatus);
    }

    /** The next task of this type dies without a last log line (worker killed); its effects and locks stay as they were. */
    synchronized void killNextTask(String type) {
        tasksToKill.add(type);
    }

    /**
     * While on, every task started runs until {@link #releaseHeldTasks()} (its lock and its "running" status shown
     * meanwhile), however long that takes: a task can be made to outlive whoever started it.
     */
    synchronized void holdTasks(boolean on) {
        holding = on;
    }

    /** The held tasks end now, each after its usual duration. */
    synchronized void releaseHeldTasks() {
        holding = false;
        heldTasks.forEach(Runnable::run);
        heldTasks.clear();
    }

    /** Fault: the container ignores clean shutdowns (a hung init), as seen from a shutdown task. */
    synchronized void setIgnoresShutdown(int vmid, boolean ignores) {
        existing(vmid).ignoresShutdown = ignores;
    }

    synchronized boolean firewallAcceptsInbound(int vmid, int protocol, String protocolName, String source, String destination) {
        return existing(vmid).firewall.acceptsInbound(protocol, protocolName, source, destination);
    }

    /** Whether the container may send from {@code address} on net0 (its configured IP always passes ipfilter). */
    synchronized boolean firewallPassesIpFilter(int vmid, String address) {
        SimContainer ct = existing(vmid);
        String configured = parseProperties(ct.config.getOrDefault("net0", "")).getOrDefault("ip", "").split("/")[0];
        return ct.firewall.passesIpFilter(configured, address);
    }

    /** Sets a lock as a crashed operation would leave it (null clears it, like pct unlock). */
    synchronized void setLock(int vmid, String lock) {
        SimContainer ct = existing(vmid);
        if (lock == null) {
            ct.config.remove("lock");
        } else {
            ct.config.put("lock", lock);
        }
    }

    /** Publishes current power states to /cluster/resources, as pvestatd does every 10 s. */
    synchronized void broadcastStats() {
        containers.values().forEach(ct -> ct.broadcastStatus = nodeOnline(ct.node) ? (ct.running ? "running" : "stopped") : null);
    }

    void addListener(ContainerListener listener) {
        listeners.add(listener);
    }

    synchronized Map<String, String> configOf(int vmid) {
        return Map.copyOf(existing(vmid).config);
    }

    synchronized boolean exists(int vmid) {
        return containers.containsKey(vmid);
    }

    synchronized boolean isRunning(int vmid) {
        return existing(vmid).running;
    }

    synchronized String nodeOf(int vmid) {
        return existing(vmid).node;
    }

    synchronized boolean tasksRunning() {
        return tasks.values().stream().anyMatch(SimTask::running);
    }

    /** The volids of every backup on {@code storage}, on whichever node it was made. */
    synchronized List<String> backupVolids(String storage) {
        return backups.stream().filter(b -> b.storage().equals(storage)).map(Backup::volid).toList();
    }

    private SimContainer existing(int vmid) {
        SimContainer ct = containers.get(vmid);
        if (ct == null) {
            throw new IllegalArgumentException("no container " + vmid);
        }
        return ct;
    }

    private void requireNode(String node) {
        if (!nodes.containsKey(node)) {
            throw new IllegalArgumentException("no node " + node);
        }
    }

    private void requireFreeVmid(int vmid) {
        if (containers.containsKey(vmid) || qemuVms.containsKey(vmid)) {
            throw new IllegalArgumentException("vmid " + vmid + " in use");
        }
    }

    // ---- read-only endpoints ----

    Map<String, Object> version() {
        return Map.of("version", "8.4.1", "release", "8.4", "repoid", "2a5fa54a8503f96d");
    }

    synchronized String nextId(Map<String, String> params) {
        if (params.containsKey("vmid")) {
            int vmid = Integer.parseInt(params.get("vmid"));
            if (vmidUsed(vmid)) {
                throw PveError.parameter("vmid", "VM " + vmid + " already exists");
            }
            return Integer.toString(vmid);
        }
        for (int vmid = 100; vmid < 1_000_000; vmid++) {
            if (!vmidUsed(vmid)) {
                return Integer.toString(vmid);
            }
        }
        throw PveError.fail("unable to get any free VMID in range [100, 1000000]");
    }

    private boolean vmidUsed(int vmid) {
        return containers.containsKey(vmid) || qemuVms.containsKey(vmid);
    }

    /**
     * What pve-manager lists for this token: guests it has VM.Audit on, every node (with its figures only given
     * Sys.Audit on it), and storages it has Datastore.Audit or Datastore.AllocateSpace on, one entry per node.
     */
    synchronized List<Map<String, Object>> clusterResources(Map<String, String> params, String authid) {
        String type = params.get("type");
        List<Map<String, Object>> resources = new ArrayList<>();
        if (type == null || type.equals("vm")) {
            qemuVms.entrySet().stream().filter(vm -> access.has(authid, "/vms/" + vm.getKey(), "VM.Audit"))
                    .forEach(vm -> resources.add(orderedMap("id", "qemu/" + vm.getKey(), "type", "qemu", "vmid", vm.getKey(),
                    "node", vm.getValue(), "status", nodeOnline(vm.getValue()) ? "stopped" : "unknown", "name", "vm" + vm.getKey(),
                    "template", 0)));
            for (SimContainer ct : containers.values()) {
                if (!access.has(authid, "/vms/" + ct.vmid, "VM.Audit")) {
                    continue;
                }
                // Usage counters come with the broadcast, like the status: a guest not yet seen running shows zeros.
                boolean seenRunning = "running".equals(ct.broadcastStatus);
                Map<String, Object> entry = orderedMap("id", "lxc/" + ct.vmid, "type", "lxc", "vmid", ct.vmid, "node", ct.node,
                        "status", ct.broadcastStatus == null ? "unknown" : ct.broadcastStatus, "name", ct.hostname(),
                        "template", ct.template() ? 1 : 0, "maxdisk", ct.maxDisk(), "maxmem", memoryBytes(ct),
                        "maxcpu", Integer.parseInt(ct.config.getOrDefault("cores", "1")), "uptime", seenRunning ? uptime(ct) : 0,
                        "cpu", seenRunning ? 0.01 : 0, "mem", seenRunning ? memoryBytes(ct) / 8 : 0,
                        "disk", seenRunning ? ct.maxDisk() / 4 : 0, "netin", 0, "netout", 0, "diskread", 0, "diskwrite", 0);
                putIfSet(entry, "lock", ct.lock());
                putIfSet(entry, "tags", ct.config.get("tags"));
                resources.add(entry);
            }
        }
        if (type == null || type.equals("node")) {
            nodes.forEach((node, online) -> {
                Map<String, Object> entry = orderedMap("id", "node/" + node, "type", "node", "node", node,
                        "status", online ? "online" : "offline");
                if (online && access.has(authid, "/nodes/" + node, "Sys.Audit")) {
                    entry.putAll(nodeFigures(node));
                }
                resources.add(entry);
            });
        }
        if (type == null || type.equals("storage")) {
            // One entry per node the storage is enabled on, as pve-manager's resources call makes them, and only for a
            // token that may see the storage; usage only from an online node's broadcast.
            for (Storage storage : storages.values()) {
                if (!access.hasAny(authid, "/storage/" + storage.id(), "Datastore.Audit", "Datastore.AllocateSpace")) {
                    continue;
                }
                nodes.forEach((node, online) -> {
                    if (storage.availableOn(node)) {
                        Map<String, Object> entry = orderedMap("id", "storage/" + node + "/" + storage.id(), "storage",
                                storage.id(), "node", node, "type", "storage", "plugintype", pluginType(storage),
                                "status", online ? "available" : "unknown", "shared", storage.shared() ? 1 : 0,
                                "content", storage.content());
                        if (online) {
                            entry.put("maxdisk", usageOf(storage, node)[0]);
                            entry.put("disk", usageOf(storage, node)[1]);
                        }
                        resources.add(entry);
                    }
                });
            }
        }
        return resources;
    }

    /** A plausible storage type for what the simulator knows: shared ones as NFS, snapshot-capable as LVM-thin. */
    private static String pluginType(Storage storage) {
        return storage.shared() ? "nfs" : storage.snapshots() ? "lvmthin" : "dir";
    }

    /** Every node is listed; its figures only to a token with Sys.Audit on it (pve-manager's extract_node_stats). */
    synchronized List<Map<String, Object>> nodes(String fingerprint, String authid) {
        List<Map<String, Object>> list = new ArrayList<>();
        nodes.forEach((node, online) -> {
            Map<String, Object> entry = orderedMap("node", node, "status", online ? "online" : "offline", "id", "node/" + node,
                    "type", "node", "level", "", "ssl_fingerprint", fingerprint);
            if (online && access.has(authid, "/nodes/" + node, "Sys.Audit")) {
                entry.putAll(nodeFigures(node));
            }
            list.add(entry);
        });
        return list;
    }

    private Map<String, Object> nodeFigures(String node) {
        long[] memory = memoryOf(node);
        return orderedMap("cpu", 0.02, "maxcpu", 4, "mem", memory[1], "maxmem", memory[0], "uptime", 86400);
    }

    /**
     * GET /nodes/{node}/status (Sys.Audit on the node, checked by the schema): the figures pvestatd has, memory as
     * total, used and free bytes. Requests for an offline node never get here (595 first).
     */
    synchronized Map<String, Object> nodeStatus(String node) {
        requireNode(node);
        long[] memory = memoryOf(node);
        return orderedMap("cpu", 0.02, "wait", 0, "uptime", 86400, "loadavg", List.of("0.10", "0.08", "0.05"),
                "kversion", "Linux 6.8.12-4-pve #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4", "pveversion", "pve-manager/8.3.0/c1689ccb1065a83b",
                "cpuinfo", orderedMap("cpus", 4, "cores", 4, "sockets", 1, "model", "Simulated CPU"),
                "memory", orderedMap("total", memory[0], "used", memory[1], "free", memory[0] - memory[1]),
                "swap", orderedMap("total", 8L << 30, "used", 0L, "free", 8L << 30),
                "rootfs", orderedMap("total", 100L << 30, "used", 10L << 30, "free", 90L << 30, "avail", 85L << 30),
                "current-kernel", orderedMap("sysname", "Linux", "release", "6.8.12-4-pve", "machine", "x86_64",
                        "version", "#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4"));
    }

    /**
     * GET /nodes/{node}/storage: the storages enabled on the node that the token may see (Datastore.Audit or
     * Datastore.AllocateSpace on /storage/ID), with their use as pvestatd reports it.
     */
    synchronized List<Map<String, Object>> nodeStorages(String node, String authid) {
        requireNode(node);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Storage storage : storages.values()) {
            if (!storage.availableOn(node)
                    || !access.hasAny(authid, "/storage/" + storage.id(), "Datastore.Audit", "Datastore.AllocateSpace")) {
                continue;
            }
            long[] usage = usageOf(storage, node);
            list.add(orderedMap("storage", storage.id(), "type", pluginType(storage),
                    "content", storage.rootdir() ? "images,rootdir" : "backup,iso,vztmpl", "shared", storage.shared() ? 1 : 0,
                    "enabled", 1, "active", 1, "total", usage[0], "used", usage[1], "avail", usage[0] - usage[1],
                    "used_fraction", usage[0] == 0 ? 0.0 : (double) usage[1] / usage[0]));
        }
        return list;
    }

    /** Only the containers the token has VM.Audit on. */
    synchronized List<Map<String, Object>> listContainers(String node, String authid) {
        return containers.values().stream().filter(ct -> ct.node.equals(node))
                .filter(ct -> access.has(authid, "/vms/" + ct.vmid, "VM.Audit")).map(this::statusEntry).toList();
    }

    synchronized List<Map<String, String>> containerIndex(String node, int vmid) {
        onNode(node, vmid);
        return Arrays.asList(Map.of("subdir", "config"), Map.of("subdir", "status"), Map.of("subdir", "snapshot"),
                Map.of("subdir", "clone"), Map.of("subdir", "migrate"), Map.of("subdir", "firewall"));
    }

    synchronized Map<String, Object> currentStatus(String node, int vmid) {
        Map<String, Object> entry = statusEntry(onNode(node, vmid));
        entry.put("ha", Map.of("managed", 0));
        return entry;
    }

    private Map<String, Object> statusEntry(SimContainer ct) {
        Map<String, Object> entry = orderedMap("vmid", ct.vmid, "name", ct.hostname(), "status", ct.running ? "running" : "stopped",
                "type", "lxc", "cpus", Integer.parseInt(ct.config.getOrDefault("cores", "1")), "cpu", ct.running ? 0.01 : 0,
                "maxmem", memoryBytes(ct), "mem", ct.running ? memoryBytes(ct) / 8 : 0,
                "maxswap", Long.parseLong(ct.config.getOrDefault("swap", "512")) << 20, "swap", 0,
                "maxdisk", ct.maxDisk(), "disk", ct.running ? ct.maxDisk() / 4 : 0, "uptime", uptime(ct),
                "netin", 0, "netout", 0, "diskread", 0, "diskwrite", 0);
        if (ct.running) {
            entry.put("pid", 10_000 + ct.vmid);
        }
        putIfSet(entry, "lock", ct.lock());
        putIfSet(entry, "tags", ct.config.get("tags"));
        if (ct.template()) {
            entry.put("template", 1);
        }
        return entry;
    }

    private static long memoryBytes(SimContainer ct) {
        return Long.parseLong(ct.config.getOrDefault("memory", "512")) << 20;
    }

    private long uptime(SimContainer ct) {
        return ct.running ? Math.max(1, nowSeconds() - ct.startedAt) : 0;
    }

    /** GET config: typed values (via {@code types}), pending merged unless current=1, plus the digest. */
    synchronized Map<String, Object> config(String node, int vmid, Map<String, String> params, ApiSchema.Endpoint types) {
        SimContainer ct = onNode(node, vmid);
        Map<String, String> values = new TreeMap<>(ct.config);
        String snapname = params.get("snapshot");
        if (snapname != null) {
            SimContainer.Snapshot snapshot = ct.snapshots.get(snapname);
            if (snapshot == null) {
                throw PveError.fail("snapshot '" + snapname + "' does not exist");
            }
            values = new TreeMap<>(snapshot.config());
        } else if (!"1".equals(params.get("current"))) {
            values.putAll(ct.pending);
            ct.pendingDelete.forEach(values::remove);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        values.forEach((key, value) -> result.put(key, typed(key, value, types)));
        result.computeIfPresent("description", (k, v) -> v + "\n");
        result.put("digest", ct.digest());
        return result;
    }

    private static Object typed(String key, String value, ApiSchema.Endpoint types) {
        String type = ApiSchema.property(types.returns().path("properties"), key).map(s -> s.path("type").asText()).orElse("string");
        return switch (type) {
            case "integer", "boolean" -> Long.parseLong(value);
            case "number" -> Double.parseDouble(value);
            default -> value;
        };
    }

    synchronized List<Map<String, Object>> snapshots(String node, int vmid) {
        SimContainer ct = onNode(node, vmid);
        List<Map<String, Object>> list = new ArrayList<>();
        ct.snapshots.values().forEach(s -> {
            Map<String, Object> entry = orderedMap("name", s.name(), "description", s.description(), "snaptime", s.snaptime());
            putIfSet(entry, "parent", s.parent());
            list.add(entry);
        });
        Map<String, Object> current = orderedMap("name", "current", "description", "You are here!");
        putIfSet(current, "parent", ct.parentSnapshot());
        list.add(current);
        return list;
    }

    synchronized Map<String, Object> taskStatus(String node, String upid, String authid) {
        SimTask task = visibleTask(node, upid, authid);
        String[] user = task.user.split("!", 2);
        Map<String, Object> status = orderedMap("upid", task.upid, "node", task.node, "pid", task.pid, "pstart", task.pstart,
                "starttime", task.startTime, "type", task.type, "id", task.id, "user", user[0],
                "status", task.running() ? "running" : "stopped");
        if (user.length == 2) {
            status.put("tokenid", user[1]);
        }
        putIfSet(status, "exitstatus", task.exitStatus);
        return status;
    }

    /** The log page and the total line count. */
    synchronized Map.Entry<List<Map<String, Object>>, Integer> taskLog(String node, String upid, Map<String, String> params,
            String authid) {
        SimTask task = visibleTask(node, upid, authid);
        List<String> lines = task.log.isEmpty() ? List.of("no content") : task.log;
        int start = Integer.parseInt(params.getOrDefault("start", "0"));
        int limit = Integer.parseInt(params.getOrDefault("limit", "50"));
        int end = limit == 0 ? lines.size() : Math.min(lines.size(), start + limit);
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = start; i < end; i++) {
            page.add(orderedMap("n", i + 1, "t", lines.get(i)));
        }
        return Map.entry(page, lines.size());
    }

    /** Another's task needs Sys.Audit on the node; a token's own tasks (and its user's) do not. */
    private SimTask visibleTask(String node, String upid, String authid) {
        SimTask task = task(node, upid);
        if (!task.user.equals(authid) && !PveAccess.userOf(task.user).equals(authid)) {
            access.check(authid, "/nodes/" + node, "Sys.Audit");
        }
        return task;
    }

    private SimTask task(String node, String upid) {
        if (!upid.matches("UPID:[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:[^:\\s/]+:[^:\\s/]*:[^:\\s/]+:")) {
            throw PveError.parameter("upid", "unable to parse worker upid '" + upid + "'");
        }
        SimTask task = tasks.get(upid);
        if (task == null || !task.node.equals(node)) {
            throw PveError.parameter("upid", "no such task");
        }
        return task;
    }

    // ---- power ----

    synchronized String start(String node, int vmid, Map<String, String> params, String user) {
        SimContainer ct = onNode(node, vmid);
        checkSkiplock(params, user);
        if (ct.running) {
            throw PveError.fail("CT " + vmid + " already running");
        }
        boolean skiplock = "1".equals(params.get("skiplock"));
        return startTask(node, "vzstart", vmid, user, new Work() {
            @Override
            public List<ContainerEvent> run(SimTask task) {
                if (!skiplock) {
                    checkLock(ct);
                }
                if (ct.template()) {
                    throw PveError.fail("you can't start a CT if it's a template");
                }
                powerOn(ct);
                return List.of(event(ContainerEvent.Type.STARTED, ct));
            }
        });
    }

    synchronized String stop(String node, int vmid, Map<String, String> params, String user) {
        SimContainer ct = onNode(node, vmid);
        checkSkiplock(params, user);
        requireRunning(ct, "CT");
        boolean skiplock = "1".equals(params.get("skiplock"));
        int run = ct.boots;
        return startTask(node, "vzstop", vmid, user, new Work() {
            @Override
            public List<ContainerEvent> run(SimTask task) {
                if (!skiplock) {
                    checkLock(ct);
                }
                if (alreadyEnded(ct, run, task)) {
                    return List.of();
                }
                ct.running = false;
                return List.of(event(ContainerEvent.Type.STOPPED, ct));
            }
        });
    }

    /**
     * Clean shutdown. A container that ignores it is killed after the timeout with forceStop; without, the task fails
     * as pve-container's vm_stop reports lxc-stop giving up, and the container keeps running.
     */
    synchronized String shutdown(String node, int vmid, Map<String, String> params, String user) {
        SimContainer ct = onNode(node, vmid);
        requireRunning(ct, "CT");
        String timeout = params.getOrDefault("timeout", "60");
        boolean forceStop = "1".equals(params.get("forceStop"));
        int run = ct.boots;
        return startTask(node, "vzshutdown", vmid, user, new Work() {
            @Override
            public List<ContainerEvent> run(SimTask task) {
                checkLock(ct);
                if (alreadyEnded(ct, run, task)) {
                    return List.of();
                }
                if (ct.ignoresShutdown && !forceStop) {
                    throw PveError.fail("command 'lxc-stop -n " + vmid + " --nokill --timeout " + timeout + "' failed: exit code 1");
                }
                ct.running = false;
                return List.of(event(ContainerEvent.Type.STOPPED, ct));
            }
        });
    }

    synchronized String reboot(String node, int vmid, String user) {
        SimContainer ct = onNode(node, vmid);
        requireRunning(ct, "VM");
        return startTask(node, "vzreboot", vmid, user, new Work() {
            @Override
            public List<ContainerEvent> run(SimTask task) {
                ct.running = false;
                powerOn(ct);
                return List.of(event(ContainerEvent.Type.STOPPED, ct), event(ContainerEvent.Type.STARTED, ct));
            }
        });
    }

    private void powerOn(SimContainer ct) {
        ct.applyPending();
        ct.running = true;
        ct.startedAt = nowSeconds();
        ct.boots++;
    }

    /**
     * lxc-stop acts on the container as it runs when the task starts and returns once that run has ended, by whatever
     * means (another stop or shutdown task): a stop still in flight then has nothing left to do, and can never end a
     * later start of the container.
     */
    private static boolean alreadyEnded(SimContainer ct, int run, SimTask task) {
        if (ct.running && ct.boots == run) {
            return false;
        }
        task.log.add("CT " + ct.vmid + " already stopped");
        return true;
    }

    private static void requireRunning(SimContainer ct, String word) {
        if (!ct.running) {
            throw PveError.fail(word + " " + ct.vmid + " not running");
        }
    }

    private static void checkSkiplock(Map<String, String> params, String user) {
        if (params.containsKey("skiplock") && !user.equals("root@pam")) {
            throw PveError.parameter("skiplock", "Only root may use this option.");
        }
    }

    private static void checkLock(SimContainer ct) {
        if (ct.lock() != null) {
            throw PveError.fail("CT is locked (" + ct.lock() + ")");
        }
    }

    // ---- clone, create, destroy, migrate ----

    synchronized String cloneContainer(String node, int vmid, Map<String, String> params, String user) {
        SimContainer source = onNode(node, vmid);
        int newid = Integer.parseInt(params.get("newid"));
        SimContainer existing = containers.get(newid);
        if (existing != null || qemuVms.containsKey(newid)) {
            String where = existing != null ? existing.node : qemuVms.get(newid);
            throw PveError.fail((existing != null ? "CT " : "VM ") + newid + " already exists on node '" + where + "'");
        }
        String target = params.get("target");
        if (target != null && !nodes.containsKey(target)) {
            throw PveError.fail("no such cluster node '" + target + "'");
        }
        String storage = params.get("storage");
        if (storage != null) {
            // pve-container checks the target storage first: enabled here, and with a target there and shared.
            storageEnabled(storage, node);
            if (target != null && !target.equals(node)) {
                storageEnabled(storage, target);
                if (!storages.get(storage).shared()) {
                    throw PveError.fail("can't clone to non-shared storage '" + storage + "'");
                }
            }
        }
        checkLock(source);
        boolean full = params.containsKey("full") ? params.get("full").equals("1") : !source.template();
        if (!full && storage != null) {
            throw PveError.fail("parameter 'storage' not allowed for linked clones");
        }
        String snapname = params.get("snapname");
        if (snapname != null && !source.snapshots.containsKey(snapname)) {
            throw PveError.fail("snapshot '" + snapname + "' does not exist");
        }
        // pve-container walks the options in sorted order: a bridge (net0) is checked before the disk (rootfs)
        Map<String, String> sourceConfig = snapname == null ? source.config : source.snapshots.get(snapname).config();
        for (Map.Entry<String, String> option : new TreeMap<>(sourceConfig).entrySet()) {
            if (option.getKey().matches("net\\d+")) {
                checkBridgeAccess(user, option.getValue());
            } else if (option.getKey().equals("rootfs") || option.getKey().matches("mp\\d+")) {
                String sid = storage != null ? storage : volume(option.getValue()).split(":")[0];
                access.check(user, "/storage/" + sid, "Datastore.AllocateSpace");
                if (source.running && full && snapname == null) {
                    throw PveError.fail(FULL_CLONE_RUNNING);
                }
            }
        }
        if (!full && !source.template()) {
            throw PveError.fail("Linked clone feature for '" + volume(source.config.get("rootfs")) + "' is not available");
        }
        if (target != null && !target.equals(node)) {
            // Each volume is judged by where it goes: the storage parameter when given, else its own storage.
            String local = (storage != null ? Set.of(storage) : volumeStorages(source)).stream()
                    .filter(s -> !storages.containsKey(s) || !storages.get(s).shared()).findFirst().orElse(null);
            if (local != null) {
                throw PveError.fail("can't clone CT to node '" + target + "' (CT uses local storage)");
            }
        }
        Map<String, String> copied = new TreeMap<>(snapname == null ? source.config : source.snapshots.get(snapname).config());
        copied.keySet().removeIf(key -> key.matches("unused\\d+") || key.equals("template") || key.equals("lock")
                || key.equals("parent"));
        copied.replaceAll((key, value) -> key.matches("net\\d+") ? withFreshMac(value) : value);
        copied.replaceAll((key, value) -> key.equals("rootfs") || key.matches("mp\\d+") ? clonedVolume(value, newid, storage) : value);
        putIfSet(copied, "hostname", params.get("hostname"));
        putIfSet(copied, "description", params.get("description"));
        copied.put("lock", "create");
        SimContainer clone = new SimContainer(newid, node);
        clone.config.putAll(copied);
        clone.firewall = source.firewall.copy();
        containers.put(newid, clone);
        String pool = params.get("pool");
        if (pool != null) {
            access.poolAddVm(pool, newid);
        }
        source.config.put("lock", "disk");
        return startTask(node, "vzclone", vmid, user, new Work() {
            @Override
            public List<ContainerEvent> run(SimTask task) {
                task.log.add("create full clone of mountpoint rootfs (" + volume(source.config.get("rootfs")) + ")");
                source.config.remove("lock");
                clone.config.remove("lock");
                if (target != null) {
                    clone.node = target;
                }
                return List.of(event(ContainerEvent.Type.CREATED, clone));
            }

            @Override
            public void undo() {
                containers.remove(newid);
                source.config.remove("lock");
            }
        });
    }

    synchronized String create(String node, Map<String, String> params, String user) {
        requireNode(node);
        int vmid = Integer.parseInt(params.get("vmid"));
        SimContainer existing = containers.get(vmid);
        if (existing != null) {
            if (existing.lock() != null) {
                checkLock(existing);
            }
            throw PveError.fail("CT " + vmid + " already exists on node '" + existing.node + "'");
        }
        if (qemuVms.containsKey(vmid)) {
            throw PveError.fail("VM " + vmid + " already exists on node '" + qemuVms.get(vmid) + "'");
        }
        String keys = params.get("ssh-public-keys");
        if (keys != null && !keys.lines().filter(l -> !l.isBlank())
                .allMatch(l -> l.matches("(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\\d+|sk-\\S+) [A-Za-z0-9+/=]+( .*)?"))) {
            throw PveError.fail("SSH public key validation error");
        }
        String rootfs = params.get("rootfs");
        String storage = rootfs != null ? volume(rootfs).split(":")[0] : params.getOrDefault("storage", "local");
        Storage target = storages.get(storage);
        if (target == null) {
            throw PveError.fail("storage '" + storage + "' does not exist");
        }
        if (!target.rootdir()) {
            throw PveError.parameter("storage", "storage '" + storage + "' does not support container directories");
        }
        access.check(user, "/storage/" + storage, "Datastore.AllocateSpace");
        for (Map.Entry<String, String> option : new TreeMap<>(params).entrySet()) {
            if (option.getKey().matches("net\\d+")) {
                checkBridgeAccess(user, option.getValue());
            }
        }
        Map<String, String> config = new TreeMap<>();
        config.put("arch", params.getOrDefault("arch", "amd64"));
        config.put("ostype", params.getOrDefault("ostype", "debian"));
        config.put("hostname", params.getOrDefault("hostname", "CT" + vmid));
        config.put("memory", params.getOrDefault("memory", "512"));
        config.put("swap", params.getOrDefault("swap", "512"));
        String size = rootfs != null && volume(rootfs).matches("[^:]+:\\d+") ? volume(rootfs).split(":")[1] : "4";
        config.put("rootfs", storage + ":vm-" + vmid + "-disk-0,size=" + size + "G");
        for (String option : List.of("cores", "nameserver", "searchdomain", "features", "onboot", "tags", "description",
                "protection", "unprivileged", "timezone", "startup")) {
            putIfSet(config, option, params.get(option));
        }
        params.forEach((key, value) -> {
            if (key.matches("net\\d+")) {
                config.put(key, canonicalNet(value));
            }
        });
        config.computeIfPresent("tags", (k, v) -> canonicalTags(v));
        config.put("lock", "create");
        SimContainer ct = new SimContainer(vmid, node);
        ct.config.putAll(config);
        containers.put(vmid, ct);
        boolean startAfter = "1".equals(params.get("start"));
        return startTask(node, "vzcreate", vmid, user, new Work() {
            @Override
            public List<ContainerEvent> run(SimTask task) {
                task.log.add("extracting archive '" + params.get("ostemplate") + "'");
                ct.config.remove("lock");
                if (startAfter) {
                    powerOn(ct);
                    return List.of(event(ContainerEvent.Type.CREATED, ct), event(ContainerEvent.Type.STARTED, ct));
                }
                return List.of(event(ContainerEvent.Type.CREATED, ct));
            }

            @Override
            public void undo() {
                containers.remove(vmid);
            }
        });
    }

    synchronized String destroy(String node, int vmid, Map<String, String> params, String user) {
        SimContainer ct = onNode(node, vmid);
        checkLock(ct);
        if ("1".equals(ct.config.get("protection"))) {
            throw PveError.fail("can't remove CT " + vmid + " - protection mode enabled");
        }
        boolean force = "1".equals(params.get("force"));
        if (ct.running && !force) {
            throw PveError.fail("unable to destroy CT " + vmid + " - container is running");
        }
        ct.config.put("lock", "destroyed");
        return startTask(node, "vzdestroy", vmid, user, new Work() {
            @Override
            public List<ContainerEvent> run(SimTask task) {
                List<ContainerEvent> events = new ArrayList<>();
                if (ct.running) {
                    ct.running = false;
                    events.add(event(ContainerEvent.Type.STOPPED, ct));
                }
                containers.remove(vmid);
                access.removeVmAccess(vmid);
                events.add(new ContainerEvent(ContainerEvent.Type.DESTROYED, vmid, ct.node, Map.of()));
                return events;
            }

            @Override
            public void undo() {
                ct.config.remove("lock");
            }
        });
    }

    synchronized String migrate(String node, int vmid, Map<String, String> params, String user) {
        SimContainer ct = onNode(node, vmid);
        String target = params.get("target");
        if (target.equals(node)) {
            throw PveError.parameter("target", "target is local node.");
        }
        if (!nodes.containsKey(target)) {
            throw PveError.fail("no such cluster node '" + target + "'");
        }
        boolean online = "1".equals(params.get("online"));
        boolean restart = "1".equals(params.get("restart"));
        if (ct.running && !online && !restart) {
            throw PveError.fail("can't migrate running container without --online or --restart");
        }
        // the API's permission check comes first, then pve-container's storage checks
        checkTargetStorages(user, vmid, params.get("target-storage"));
        StorageMap storageMap = StorageMap.parse(params.get("target-storage"));
        for (String targetStorage : storageMap.targets()) {
            // pve-container's check_storage_access_migrate, before the worker is forked
            storageEnabled(targetStorage, target);
            if (!storages.get(targetStorage).rootdir()) {
                throw PveError.fail("storage '" + targetStorage + "' does not support CT rootdirs");
            }
        }
        return startTask(node, "vzmigrate", vmid, user, holdingLock(ct, "migrate", new Work() {
            @Override
            public List<ContainerEvent> run(SimTask task) {
                if (ct.running && online && !restart) {
                    throw PveError.fail("lxc live migration is currently not implemented");
                }
                if (!nodeOnline(target)) {
                    throw PveError.fail("migration aborted: ssh: connect to host " + target + " port 22: No route to host");
                }
                Map<String, String> moved;
                try {
                    moved = migratedVolumes(ct, node, target, storageMap);
                } catch (PveError e) {
                    // AbstractMigrate logs the reason and ends the task with a bare "migration aborted"
                    task.log.add("ERROR: migration aborted (duration 00:00:00): " + e.getMessage());
                    throw PveError.fail("migration aborted");
                }
                boolean wasRunning = ct.running;
                List<ContainerEvent> events = new ArrayList<>();
                if (wasRunning) {
                    ct.running = false;
                    events.add(event(ContainerEvent.Type.STOPPED, ct));
                }
                task.log.add("starting migration of CT " + vmid + " to node '" + target + "'");
                ct.config.putAll(moved);
                ct.node = target;
                events.add(event(ContainerEvent.Type.MIGRATED, ct));
                if (wasRunning) {
                    powerOn(ct);
                    events.add(event(ContainerEvent.Type.STARTED, ct));
                }
                return events;
            }
        }));
    }

    /**
     * What LXC::Migrate's prepare checks for each volume, and where it lands: a volume on shared storage stays where it
     * is (its storage must be enabled on the target); a local one is copied to the mapped storage, which must be enabled
     * on the target and hold container directories. Returns the mount points with their new volume ids.
     */
    private Map<String, String> migratedVolumes(SimContainer ct, String source, String target, StorageMap storageMap) {
        Map<String, String> moved = new TreeMap<>();
        for (Map.Entry<String, String> mp : ct.config.entrySet()) {
            if (!mp.getKey().equals("rootfs") && !mp.getKey().matches("mp\\d+")) {
                continue;
            }
            String volume = volume(mp.getValue());
            String sid = volume.split(":")[0];
            Storage storage = storageEnabled(sid, source);
            if (!storage.rootdir()) {
                throw PveError.fail("content type 'rootdir' is not available on storage '" + sid + "'");
            }
            String targetSid = storage.shared() ? sid : storageMap.map(sid);
            Storage targetStorage = storageEnabled(targetSid, target);
            if (!targetStorage.rootdir()) {
                throw PveError.fail(volume + ": content type 'rootdir' is not available on storage '" + targetSid + "'");
            }
            if (!targetSid.equals(sid)) {
                moved.put(mp.getKey(), targetSid + mp.getValue().substring(mp.getValue().indexOf(':')));
            }
        }
        return moved;
    }

    /** pve-storage's storage_check_enabled: the storage exists and is enabled on the node. */
    private Storage storageEnabled(String id, String node) {
        Storage storage = storages.get(id);
        if (storage == null) {
            throw PveError.fail("storage '" + id + "' does not exist");
        }
        if (!storage.availableOn(node)) {
            throw PveError.fail("storage '" + id + "' is not available on node '" + node + "'");
        }
        return storage;
    }

    /**
     * The {@code target-storage} parameter (pve-common's idmap): empty (no map, every storage to itself), {@code 1}
     * (identity), one id (everything to it), or {@code src:dst,...} pairs with an optional plain default.
     */
    private record StorageMap(Map<String, String> entries, String fallback) {

        static StorageMap parse(String value) {
            if (value == null || value.isEmpty() || value.equals("1")) {
                return new StorageMap(Map.of(), null);
            }
            Map<String, String> entries = new LinkedHashMap<>();
            String fallback = null;
            for (String part : value.split("[,;\\s]+")) {
                int colon = part.indexOf(':');
                if (colon < 0) {
                    fallback = part;
                } else {
                    entries.put(part.substring(0, colon), part.substring(colon + 1));
                }
            }
            return new StorageMap(entries, fallback);
        }

        String map(String source) {
            return entries.getOrDefault(source, fallback != null ? fallback : source);
        }

        Set<String> targets() {
            Set<String> targets = new TreeSet<>(entries.values());
            if (fallback != null) {
                targets.add(fallback);
            }
            return targets;
        }
    }

    // ---- config update ----

    /** PUT config, synchronous. Returns the event to deliver, if anything changed. */
    synchronized ContainerEvent updateConfig(String node, int vmid, Map<String, String> params, ApiSchema.Endpoint schema,
            String user) {
        SimContainer ct = onNode(node, vmid);
        Map<String, String> set = new TreeMap<>(params);
        set.keySet().removeAll(List.of("node", "vmid", "digest", "delete", "revert"));
        List<String> delete = params.containsKey("delete")
                ? Arrays.stream(params.get("delete").split("[,;\\s]+")).filter(s -> !s.isEmpty()).toList() : List.of();
        for (String option : delete) {
            if (schema.parameter(option).isEmpty() || List.of("node", "vmid", "digest", "delete", "revert").contains(option)) {
                throw PveError.parameter("delete", "unknown option '" + option + "'");
            }
            if (set.containsKey(option)) {
                throw PveError.parameter("delete", "you can't use '-" + option + "' and '-delete " + option + "' at the same time");
            }
        }
        checkLock(ct);
        String digest = params.get("digest");
        if (digest != null && !digest.isEmpty() && !digest.equals(ct.digest())) {
            throw PveError.fail("detected modified configuration - file changed by other user? Try again.");
        }
        for (String option : delete) {
            checkModifyPermission(user, ct, option, null);
        }
        for (Map.Entry<String, String> option : set.entrySet()) {
            checkModifyPermission(user, ct, option.getKey(), option.getValue());
        }
        if (set.isEmpty() && delete.isEmpty()) {
            throw PveError.fail("no options specified");
        }
        for (String option : delete) {
            if (REQUIRED_OPTIONS.contains(option)) {
                throw PveError.fail("unable to delete required option '" + option + "'");
            }
        }
        set.replaceAll((key, value) -> key.matches("net\\d+") ? canonicalNet(value) : key.equals("tags") ? canonicalTags(value) : value);
        for (Map.Entry<String, String> option : set.entrySet()) {
            if (!ct.running || HOT_OPTIONS.contains(option.getKey()) || option.getKey().matches("net\\d+")) {
                ct.config.put(option.getKey(), option.getValue());
                ct.pending.remove(option.getKey());
            } else {
                ct.pending.put(option.getKey(), option.getValue());
            }
        }
        for (String option : delete) {
            if (!ct.running || HOT_OPTIONS.contains(option) || option.matches("net\\d+")) {
                ct.config.remove(option);
            } else {
                ct.pendingDelete.add(option);
            }
        }
        return event(ContainerEvent.Type.RECONFIGURED, ct);
    }

    /**
     * pve-container's check_ct_modify_config_perm for one option set (value) or deleted (null): CPU, disk, memory,
     * network (and SDN.Use on the old and new bridge), hostname/DNS as network, nesting as VM.Allocate, the rest as
     * options; device passthrough, other feature flags and hookscripts are root@pam's alone.
     */
    private void checkModifyPermission(String user, SimContainer ct, String option, String value) {
        if (user.equals(PveAccess.ROOT)) {
            return;
        }
        int vmid = ct.vmid;
        if (Set.of("cores", "cpuunits", "cpulimit").contains(option)) {
            access.checkVm(user, vmid, null, "VM.Config.CPU");
        } else if (option.equals("rootfs") || option.matches("mp\\d+")) {
            access.checkVm(user, vmid, null, "VM.Config.Disk");
        } else if (option.equals("memory") || option.equals("swap")) {
            access.checkVm(user, vmid, null, "VM.Config.Memory");
        } else if (option.matches("net\\d+")) {
            access.checkVm(user, vmid, null, "VM.Config.Network");
            if (ct.config.containsKey(option)) {
                checkBridgeAccess(user, ct.config.get(option));
            }
            if (value != null) {
                checkBridgeAccess(user, value);
            }
        } else if (option.matches("dev\\d+")) {
            throw PveAccess.forbidden("configuring device passthrough is only allowed for root@pam");
        } else if (Set.of("nameserver", "searchdomain", "hostname").contains(option)) {
            access.checkVm(user, vmid, null, "VM.Config.Network");
        } else if (option.equals("features")) {
            if (!"1".equals(ct.config.get("unprivileged"))) {
                throw PveAccess.forbidden("changing feature flags for privileged container is only allowed for root@pam");
            }
            Map<String, String> before = parseProperties(ct.config.getOrDefault(option, ""));
            Map<String, String> after = value == null ? Map.of() : parseProperties(value);
            Set<String> changed = new TreeSet<>(before.keySet());
            changed.addAll(after.keySet());
            changed.removeIf(feature -> Objects.equals(before.get(feature), after.get(feature)));
            if (changed.stream().anyMatch(feature -> !feature.equals("nesting"))) {
                throw PveAccess.forbidden("changing feature flags (except nesting) is only allowed for root@pam");
            }
            if (changed.contains("nesting")) {
                access.checkVm(user, vmid, null, "VM.Allocate");
            }
        } else if (option.equals("hookscript")) {
            throw PveAccess.forbidden("changing the hookscript is only allowed for root@pam");
        } else {
            access.checkVm(user, vmid, null, "VM.Config.Options");
        }
    }

    /**
     * PVE::GuestHelpers::check_vnet_access: SDN.Use on /sdn/zones/ZONE/BRIDGE (ZONE "localnetwork" for a plain
     * Linux bridge), or on /sdn/zones/ZONE/BRIDGE/TAG for a VLAN tag and each trunk.
     */
    private void checkBridgeAccess(String user, String net) {
        if (user.equals(PveAccess.ROOT)) {
            return;
        }
        Map<String, String> properties = parseProperties(net);
        String bridge = properties.get("bridge");
        if (bridge == null) {
            return;
        }
        String path = "/sdn/zones/" + vnetZones.getOrDefault(bridge, "localnetwork") + "/" + bridge;
        String tag = properties.get("tag");
        String trunks = properties.get("trunks");
        if (tag != null) {
            access.check(user, path + "/" + tag, "SDN.Use");
        }
        if (trunks != null) {
            for (String trunk : trunks.split(";")) {
                access.check(user, path + "/" + trunk, "SDN.Use");
            }
        }
        if (tag == null && trunks == null) {
            access.check(user, path, "SDN.Use");
        }
    }

    /**
     * Migration with target-storage: a mapping other than "1" (keep the ids) changes disks (VM.Config.Disk), and each
     * target storage needs Datastore.AllocateSpace.
     */
    private void checkTargetStorages(String user, int vmid, String targetStorage) {
        if (targetStorage == null || targetStorage.isEmpty()) {
            return;
        }
        if (!targetStorage.equals("1")) {
            access.checkVm(user, vmid, null, "VM.Config.Disk");
        }
        for (String entry : targetStorage.split("[,;\\s]+")) {
            String sid = entry.contains(":") ? entry.substring(entry.indexOf(':') + 1) : entry;
            if (!sid.equals("1")) {
                access.check(user, "/storage/" + sid, "Datastore.AllocateSpace");
            }
        }
    }

    // ---- snapshots ----

    synchronized String snapshot(String node, int vmid, Map<String, String> params, String user) {
        SimContainer ct = onNode(node, vmid);
        String snapname = params.get("snapname");
        return startTask(node, "vzsnapshot", vmid, user, holdingLock(ct, "snapshot", new Work() {
            @Override
            public List<ContainerEvent> run(SimTask task) {
                if (ct.snapshots.containsKey(snapname)) {
                    throw PveError.fail("snapshot name '" + snapname + "' already used");
                }
                for (String storage : volumeStorages(ct)) {
                    Storage s = storages.get(storage);
                    if (s == null || !s.snapshots()) {
                        throw PveError.fail("snapshot feature is not available");
                    }
                }
                Map<String, String> copy = new TreeMap<>(ct.config);
                copy.remove("lock");
                ct.snapshots.put(snapname, new SimContainer.Snapshot(snapname, params.getOrDefault("description", ""),
                        nowSeconds(), ct.parentSnapshot(), copy));
                ct.config.put("parent", snapname);
                return List.of();
            }
        }));
    }

    synchronized String deleteSnapshot(String node, int vmid, String snapname, String user) {
        SimContainer ct = onNode(node, vmid);
        return startTask(node, "vzdelsnapshot", vmid, user, holdingLock(ct, "snapshot-delete", new Work() {
            @Override
            public List<ContainerEvent> run(SimTask task) {
                if (ct.snapshots.remove(snapname) == null) {
                    throw PveError.fail("snapshot '" + snapname + "' does not exist");
                }
                String parent = ct.parentSnapshot();
                if (parent == null) {
                    ct.config.remove("parent");
                } else {
                    ct.config.put("parent", parent);
                }
                return List.of();
            }
        }));
    }

    // ---- backups (vzdump) and storage content ----

    private static final java.time.format.DateTimeFormatter ARCHIVE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy_MM_dd-HH_mm_ss").withZone(java.time.ZoneOffset.UTC);
    private static final java.time.format.DateTimeFormatter LOG_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    /**
     * POST /nodes/{node}/vzdump for one container, as pve-manager's API2::VZDump and PVE::VZDump do it: VM.Backup on the
     * guest and Datastore.AllocateSpace on the storage are checked before the worker is forked (403), the CT is locked
     * "backup" while the task runs, the storage is judged inside the task (its error is the task's exit status), and the
     * archive appears on the storage's content when the task ends OK. Only the parameters the operator sends are
     * modelled: vmid (one), storage, mode, compress, remove, notes-template.
     */
    synchronized String vzdump(String node, Map<String, String> params, String user) {
        String vmidList = params.get("vmid");
        if (vmidList == null || vmidList.isBlank()) {
            throw PveError.parameter("vmid", "property is missing and it is not optional");
        }
        int vmid = Integer.parseInt(vmidList.split("[,;\\s]+")[0]);
        String storageId = params.getOrDefault("storage", "local");
        access.check(user, "/vms/" + vmid, "VM.Backup");
        access.check(user, "/storage/" + storageId, "Datastore.AllocateSpace");
        SimContainer ct = onNode(node, vmid);
        String mode = params.getOrDefault("mode", "snapshot");
        String compress = params.getOrDefault("compress", "0");
        String held = ct.lock();
        if (held == null) {
            ct.config.put("lock", "backup");
        }
        return startTask(node, "vzdump", Integer.toString(vmid), user, new Work() {
            @Override
            List<ContainerEvent> run(SimTask task) {
                task.log.add("INFO: starting new backup job: vzdump " + vmid + " --storage " + storageId + " --mode " + mode
                        + " --compress " + compress + " --remove " + params.getOrDefault("remove", "1") + " --node " + node);
                Storage storage = storages.get(storageId);
                if (storage == null) {
                    throw PveError.fail("could not get storage information for '" + storageId + "': storage '" + storageId
                            + "' does not exist");
                }
                if (!storage.holdsBackups()) {
                    throw PveError.fail("could not get storage information for '" + storageId + "': can't use storage '"
                            + storageId + "' for backups - wrong content type");
                }
                if (!storage.availableOn(node)) {
                    throw PveError.fail("could not get storage information for '" + storageId + "': storage '" + storageId
                            + "' is not available on node '" + node + "'");
                }
                long started = task.startTime;
                task.log.add("INFO: Starting Backup of VM " + vmid + " (lxc)");
                task.log.add("INFO: Backup started at " + LOG_TIME.format(java.time.Instant.ofEpochSecond(started)));
                if (held != null) {
                    task.log.add("ERROR: Backup of VM " + vmid + " failed - CT is locked (" + held + ")");
                    task.log.add("INFO: Failed at " + LOG_TIME.format(java.time.Instant.ofEpochSecond(nowSeconds())));
                    throw PveError.fail("job errors");
                }
                task.log.add("INFO: status = " + (ct.running ? "running" : "stopped"));
                task.log.add("INFO: CT Name: " + ct.hostname());
                task.log.add("INFO: including mount point rootfs ('/') in backup");
                boolean canSnapshot = volumeStorages(ct).stream().allMatch(s -> storages.containsKey(s) && storages.get(s).snapshots());
                String effectiveMode = mode;
                if (mode.equals("snapshot") && !canSnapshot && ct.running) {
                    task.log.add("INFO: mode failure - some volumes do not support snapshots");
                    task.log.add("INFO: trying 'suspend' mode instead");
                    effectiveMode = "suspend";
                }
                task.log.add("INFO: backup mode: " + effectiveMode);
                task.log.add("INFO: ionice priority: 7");
                if (effectiveMode.equals("snapshot") && ct.running) {
                    task.log.add("INFO: create storage snapshot 'vzdump'");
                }
                String extension = switch (compress) {
                    case "zstd" -> ".tar.zst";
                    case "gzip", "1" -> ".tar.gz";
                    case "lzo" -> ".tar.lzo";
                    default -> ".tar";
                };
                String file = "vzdump-lxc-" + vmid + "-" + ARCHIVE_TIME.format(java.time.Instant.ofEpochSecond(started))
                        + extension;
                task.log.add("INFO: creating vzdump archive '" + storage.dumpDir() + "/" + file + "'");
                long size = rootfsBytes(ct) / 8;
                task.log.add("INFO: Total bytes written: " + size * 3 + " (" + size * 3 / (1 << 20) + "MiB, 171MiB/s)");
                task.log.add("INFO: archive file size: " + size / (1 << 20) + "MB");
                String notes = notes(params.get("notes-template"), ct, node, vmid);
                if (notes != null) {
                    task.log.add("INFO: adding notes to backup");
                }
                if (effectiveMode.equals("snapshot") && ct.running) {
                    task.log.add("INFO: cleanup temporary 'vzdump' snapshot");
                }
                task.log.add("INFO: Finished Backup of VM " + vmid + " (00:00:0" + Math.max(1, nowSeconds() - started) % 10 + ")");
                task.log.add("INFO: Backup finished at " + LOG_TIME.format(java.time.Instant.ofEpochSecond(nowSeconds())));
                task.log.add("INFO: Backup job finished successfully");
                backups.add(new Backup(storageId + ":backup/" + file, storageId, node, vmid, extension.substring(1), size,
                        started, notes));
                if (held == null) {
                    ct.config.remove("lock");
                }
                return List.of();
            }

            @Override
            void undo() {
                if (held == null) {
                    ct.config.remove("lock");
                }
            }
        });
    }

    /** The notes-template with its variables replaced, as vzdump does ({{guestname}}, {{node}}, {{vmid}}, {{cluster}}). */
    private static String notes(String template, SimContainer ct, String node, int vmid) {
        if (template == null || template.isBlank()) {
            return null;
        }
        return template.replace("{{guestname}}", ct.hostname()).replace("{{node}}", node)
                .replace("{{vmid}}", Integer.toString(vmid)).replace("{{cluster}}", "homelab");
    }

    private static long rootfsBytes(SimContainer ct) {
        String rootfs = ct.config.getOrDefault("rootfs", "");
        java.util.regex.Matcher size = java.util.regex.Pattern.compile("size=(\\d+)G").matcher(rootfs);
        return (size.find() ? Long.parseLong(size.group(1)) : 8L) << 30;
    }

    /**
     * GET /nodes/{node}/storage/{storage}/content: what the node's store holds (a shared storage: everything on it),
     * filtered by content type and vmid, and, as pve-storage's check_volume_access does per volume, only what the token
     * may see: everything with Datastore.Allocate on the storage, a backup with VM.Backup on its guest.
     */
    synchronized List<Map<String, Object>> storageContent(String node, String storageId, Map<String, String> params,
            String user) {
        Storage storage = storageEnabled(storageId, node);
        String content = params.get("content");
        String vmid = params.get("vmid");
        List<Map<String, Object>> list = new ArrayList<>();
        if (content != null && !content.equals("backup")) {
            return list;
        }
        for (Backup backup : backups) {
            boolean here = backup.storage().equals(storageId) && (storage.shared() || backup.node().equals(node));
            boolean wanted = vmid == null || vmid.equals(Integer.toString(backup.vmid()));
            if (here && wanted && backupVisible(user, backup)) {
                Map<String, Object> entry = orderedMap("volid", backup.volid(), "content", "backup", "format",
                        backup.format(), "size", backup.size(), "ctime", backup.ctime(), "vmid", backup.vmid(), "subtype", "lxc");
                putIfSet(entry, "notes", backup.notes());
                list.add(entry);
            }
        }
        return list;
    }

    private boolean backupVisible(String user, Backup backup) {
        return access.has(user, "/storage/" + backup.storage(), "Datastore.Allocate")
                || access.has(user, "/vms/" + backup.vmid(), "VM.Backup");
    }

    /**
     * DELETE /nodes/{node}/storage/{storage}/content/{volume} for a backup: Datastore.Allocate on the storage, or
     * Datastore.AllocateSpace there with VM.Backup on its guest (pve-storage's Content.pm); an "imgdel" task removes it.
     * {@code volume} is the full volid or the name within the storage.
     */
    synchronized String deleteVolume(String node, String storageId, String volume, String user) {
        Storage storage = storageEnabled(storageId, node);
        String volid = volume.contains(":") ? volume : storageId + ":" + volume;
        if (!volid.startsWith(storageId + ":")) {
            throw PveError.fail("volume '" + volid + "' is not on storage '" + storageId + "'");
        }
        Backup backup = backups.stream().filter(b -> b.volid().equals(volid)
                && (storage.shared() || b.node().equals(node))).findFirst().orElse(null);
        if (backup != null && !access.has(user, "/storage/" + storageId, "Datastore.Allocate")) {
            access.check(user, "/storage/" + storageId, "Datastore.AllocateSpace");
            access.check(user, "/vms/" + backup.vmid(), "VM.Backup");
        } else if (backup == null) {
            access.check(user, "/storage/" + storageId, "Datastore.Allocate");
        }
        return startTask(node, "imgdel", "", user, new Work() {
            @Override
            List<ContainerEvent> run(SimTask task) {
                if (backup == null || !backups.remove(backup)) {
                    String path = storage.dumpDir() + "/" + volid.substring(volid.indexOf('/') + 1);
                    throw PveError.fail("unable to delete '" + path + "' - No such file or directory");
                }
                task.log.add("removed volume '" + volid + "'");
                return List.of();
            }
        });
    }

    // ---- firewall (synchronous, like PUT config) ----

    synchronized Map<String, Object> firewallOptions(String node, int vmid) {
        return onNode(node, vmid).firewall.getOptions();
    }

    synchronized void setFirewallOptions(String node, int vmid, Map<String, String> params) {
        onNode(node, vmid).firewall.setOptions(params);
    }

    synchronized List<Map<String, Object>> firewallRules(String node, int vmid) {
        return onNode(node, vmid).firewall.listRules();
    }

    synchronized void createFirewallRule(String node, int vmid, Map<String, String> params) {
        onNode(node, vmid).firewall.createRule(params);
    }

    synchronized void deleteFirewallRule(String node, int vmid, Map<String, String> params) {
        onNode(node, vmid).firewall.deleteRule(params);
    }

    synchronized List<Map<String, Object>> ipSets(String node, int vmid) {
        return onNode(node, vmid).firewall.listIpSets();
    }

    synchronized void createIpSet(String node, int vmid, Map<String, String> params) {
        onNode(node, vmid).firewall.createIpSet(params);
    }

    synchronized void deleteIpSet(String node, int vmid, Map<String, String> params) {
        onNode(node, vmid).firewall.deleteIpSet(params.get("name"), "1".equals(params.get("force")));
    }

    synchronized List<Map<String, Object>> ipSetEntries(String node, int vmid, String name) {
        return onNode(node, vmid).firewall.listEntries(name);
    }

    synchronized void addIpSetEntry(String node, int vmid, Map<String, String> params) {
        onNode(node, vmid).firewall.addEntry(params.get("name"), params);
    }

    synchronized void removeIpSetEntry(String node, int vmid, Map<String, String> params) {
        onNode(node, vmid).firewall.removeEntry(params.get("name"), params.get("cidr"), params.get("digest"));
    }

    // ---- tasks ----

    /**
     * Work that holds a config lock while its task runs, as pve-container's snapshot, snapshot-delete and migrate
     * workers do: taken when the task starts (so the CT shows it until the task ends), released when it ends either
     * way. A CT already locked fails the task with the lock error and keeps the other lock. A killed task leaves its
     * lock behind, as a killed worker does.
     */
    private static Work holdingLock(SimContainer ct, String lock, Work work) {
        String held = ct.lock();
        if (held == null) {
            ct.config.put("lock", lock);
        }
        return new Work() {
            @Override
            List<ContainerEvent> run(SimTask task) {
                if (held != null) {
                    throw PveError.fail("CT is locked (" + held + ")");
                }
                List<ContainerEvent> events = work.run(task);
                ct.config.remove("lock");
                return events;
            }

            @Override
            void undo() {
                work.undo();
                if (held == null) {
                    ct.config.remove("lock");
                }
            }
        };
    }

    /** The work of a task: runs under the cluster lock when the task's time is up; undo() cleans up a failure. */
    private abstract static class Work {
        abstract List<ContainerEvent> run(SimTask task);

        void undo() {
        }
    }

    private String startTask(String node, String type, int id, String user, Work work) {
        return startTask(node, type, Integer.toString(id), user, work);
    }

    private String startTask(String node, String type, String id, String user, Work work) {
        SimTask task = new SimTask(node, nextPid++, pstart, nowSeconds(), type, id, user);
        tasks.put(task.upid, task);
        Deque<String> failures = injectedTaskFailures.get(type);
        String injected = failures == null ? null : failures.poll();
        boolean kill = tasksToKill.remove(type);
        Duration duration = taskDuration;
        Runnable schedule = () -> scheduler.schedule(() -> finishTask(task, work, injected, kill), duration.toMillis(),
                TimeUnit.MILLISECONDS);
        if (holding) {
            heldTasks.add(schedule);
        } else {
            schedule.run();
        }
        return task.upid;
    }

    private void finishTask(SimTask task, Work work, String injectedFailure, boolean kill) {
        List<ContainerEvent> events;
        synchronized (this) {
            try {
                if (kill) {
                    task.killed();
                    return;
                }
                if (injectedFailure != null) {
                    throw PveError.fail(injectedFailure);
                }
                events = work.run(task);
            } catch (RuntimeException e) {
                work.undo();
                task.finish(e.getMessage(), 0);
                return;
            }
        }
        int warnings = 0;
        List<String> warningLines = new ArrayList<>();
        for (ContainerEvent event : events) {
            for (ContainerListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (Exception e) {
                    LOG.warnf(e, "listener failed on %s", event);
                    warningLines.add("WARN: " + event.type() + " hook failed: " + e.getMessage());
                    warnings++;
                }
            }
        }
        synchronized (this) {
            task.log.addAll(warningLines);
            task.finish(null, warnings);
        }
    }

    /** Delivers an event outside any task (config changes), on the scheduler thread to keep listeners off the event loop. */
    void deliver(ContainerEvent event) {
        scheduler.execute(() -> listeners.forEach(listener -> {
            try {
                listener.onEvent(event);
            } catch (Exception e) {
                LOG.warnf(e, "listener failed on %s", event);
            }
        }));
    }

    // ---- helpers ----

    private SimContainer onNode(String node, int vmid) {
        SimContainer ct = containers.get(vmid);
        if (ct == null || !ct.node.equals(node)) {
            throw PveError.fail("Configuration file 'nodes/" + node + "/lxc/" + vmid + ".conf' does not exist");
        }
        return ct;
    }

    private static ContainerEvent event(ContainerEvent.Type type, SimContainer ct) {
        return new ContainerEvent(type, ct.vmid, ct.node, Map.copyOf(ct.config));
    }

    private Set<String> volumeStorages(SimContainer ct) {
        return ct.config.entrySet().stream().filter(e -> e.getKey().equals("rootfs") || e.getKey().matches("mp\\d+"))
                .map(e -> volume(e.getValue()).split(":")[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The volume part of a rootfs/mp property string (its default key). */
    private static String volume(String mountpoint) {
        String first = mountpoint == null ? "" : mountpoint.split(",")[0];
        return first.startsWith("volume=") ? first.substring("volume=".length()) : first;
    }

    private static String clonedVolume(String mountpoint, int newid, String targetStorage) {
        String volume = volume(mountpoint);
        String storage = targetStorage != null ? targetStorage : volume.split(":")[0];
        String renamed = storage + ":" + volume.substring(volume.indexOf(':') + 1).replaceAll("(vm|base)-\\d+-", "vm-" + newid + "-");
        return renamed + mountpoint.substring(mountpoint.split(",")[0].length());
    }

    private String withFreshMac(String net) {
        Map<String, String> properties = parseProperties(net);
        properties.put("hwaddr", randomMac());
        return formatNet(properties);
    }

    /** netN as Proxmox stores it: name first, other keys sorted, type=veth last; a MAC is generated if none is given. */
    private String canonicalNet(String net) {
        Map<String, String> properties = parseProperties(net);
        properties.putIfAbsent("hwaddr", randomMac());
        properties.putIfAbsent("type", "veth");
        return formatNet(properties);
    }

    private static Map<String, String> parseProperties(String value) {
        Map<String, String> properties = new TreeMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                properties.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return properties;
    }

    private static String formatNet(Map<String, String> properties) {
        Map<String, String> rest = new TreeMap<>(properties);
        String name = rest.remove("name");
        String type = rest.remove("type");
        StringBuilder out = new StringBuilder("name=").append(name);
        rest.forEach((k, v) -> out.append(',').append(k).append('=').append(v));
        return type == null ? out.toString() : out.append(",type=").append(type).toString();
    }

    private static String canonicalTags(String tags) {
        return Arrays.stream(tags.split("[;,\\s]+")).filter(t -> !t.isEmpty()).map(String::toLowerCase)
                .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(";"));
    }

    private String randomMac() {
        return String.format("BC:24:11:%02X:%02X:%02X", random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private static void putIfSet(Map<String, ? super String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static Map<String, Object> orderedMap(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
