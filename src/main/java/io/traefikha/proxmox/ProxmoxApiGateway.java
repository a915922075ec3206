package io.traefikha.proxmox;

import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.BackupVolume;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ContainerObservation.NetworkConfig;
import io.traefikha.domain.ContainerSummary;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.FirewallAction;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.ProxmoxReadiness;
import io.traefikha.domain.Role;
import io.traefikha.domain.StorageView;
import io.traefikha.domain.TokenGrants;
import io.traefikha.gateway.ProxmoxGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@link ProxmoxGateway} over the Proxmox REST client: finds both containers wherever they are in the cluster, reads
 * their authoritative state (status/current and config, not the lagging cluster view), and carries out planned
 * actions, waiting for each task. Every reconcile reads the cluster view; the authoritative reads and the firewalls are
 * read again only when {@link ProxmoxReadPolicy} says something can have changed, and otherwise reused from
 * {@link ProxmoxMemory}: the steady state costs one call.
 */
public final class ProxmoxApiGateway implements ProxmoxGateway {

    /** traefikha.proxmox.full-read-every's default: with the 15 s period, everything is read at least every 5 min. */
    public static final int DEFAULT_FULL_READ_EVERY = 20;
    private static final Logger LOG = Logger.getLogger(ProxmoxApiGateway.class);

    private static final Pattern ARCHIVE_LINE = Pattern.compile("creating vzdump archive '([^']+)'");

    /** The current state pseudo-snapshot Proxmox lists among a CT's snapshots. */
    private static final String CURRENT = "current";

    private final ProxmoxApi api;
    private final FirewallApplier firewall;
    private final TaskWaiter tasks;
    private final TraefikHAClusterSpec spec;
    private final Duration taskTimeout;
    private final ProxmoxMemory memory;

    public ProxmoxApiGateway(ProxmoxApi api, TaskWaiter tasks, TraefikHAClusterSpec spec, Duration taskTimeout) {
        this(api, tasks, spec, taskTimeout, new ProxmoxMemory(DEFAULT_FULL_READ_EVERY));
    }

    /** @param memory what earlier reconciles of the same resource saw, updated by this gateway */
    public ProxmoxApiGateway(ProxmoxApi api, TaskWaiter tasks, TraefikHAClusterSpec spec, Duration taskTimeout,
            ProxmoxMemory memory) {
        this.memory = memory;
        this.api = api;
        this.firewall = new FirewallApplier(api);
        this.tasks = tasks;
        this.spec = spec;
        this.taskTimeout = taskTimeout;
    }

    @Override
    public ProxmoxObservation observe() {
        return call("read the containers", () -> {
            List<ClusterResource> containers = api.clusterContainers();
            List<Role> secondaryRoles = spec.secondaryRoles();
            List<ContainerSummary> view = new ArrayList<>();
            view.add(summary(containers, spec.primary.vmid));
            secondaryRoles.forEach(role -> view.add(summary(containers, spec.secondary(role).vmid)));
            ProxmoxReadPolicy.Reads reads = ProxmoxReadPolicy.plan(memory.history(), view, memory.fullReadEvery);
            if (reads.containers()) {
                LOG.debugf("CT %s: reading status and config: %s", view.stream().map(c -> String.valueOf(c.vmid()))
                        .collect(Collectors.joining("/")), reads.reason());
                Map<Role, ContainerObservation> secondaries = new TreeMap<>();
                for (int i = 0; i < secondaryRoles.size(); i++) {
                    secondaries.put(secondaryRoles.get(i), container(view.get(i + 1), false));
                }
                memory.rememberFullRead(view, container(view.get(0), reads.snapshots()), secondaries, reads.snapshots());
            } else {
                memory.reuse();
            }
            // Where a secondary's disks can go matters only while it is missing or still to be moved to its node.
            boolean placing = false;
            for (int i = 0; i < secondaryRoles.size(); i++) {
                SecondarySpec wanted = spec.secondary(secondaryRoles.get(i));
                ContainerSummary found = view.get(i + 1);
                placing |= !found.exists() || !wanted.node.equals(found.node())
                        && !memory.secondaries().get(secondaryRoles.get(i)).hasAddress(wanted.address);
            }
            return new ProxmoxObservation(memory.primary(), memory.secondaries(), placing ? storages() : StorageView.UNREAD);
        });
    }

    /** The next {@link #observe()} reads everything, whatever the cluster view shows. */
    @Override
    public void recheck(String why) {
        memory.recheck(why);
    }

    private StorageView storages() {
        Map<String, Map<String, StorageView.Storage>> byNode = new TreeMap<>();
        for (StorageResource s : api.clusterStorages()) {
            byNode.computeIfAbsent(s.node(), n -> new TreeMap<>())
                    .put(s.storage(), new StorageView.Storage(s.storage(), s.isShared(), s.holdsContainers()));
        }
        return new StorageView(byNode);
    }

    private static ContainerSummary summary(List<ClusterResource> containers, int vmid) {
        return containers.stream().filter(c -> c.vmid() != null && c.vmid() == vmid).findFirst()
                .map(c -> new ContainerSummary(vmid, true, c.node(), c.status(), c.lock(), c.tags(), c.name()))
                .orElse(ContainerSummary.missing(vmid));
    }

    private ContainerObservation container(ContainerSummary found, boolean withSnapshots) {
        if (!found.exists()) {
            return ContainerObservation.missing();
        }
        String node = found.node();
        int vmid = found.vmid();
        ContainerStatus status = api.containerStatus(node, vmid);
        ContainerConfig config = api.config(node, vmid);
        List<String> snapshots = withSnapshots
                ? api.snapshots(node, vmid).stream().map(SnapshotInfo::name).filter(n -> !CURRENT.equals(n)).toList()
                : List.of();
        NetworkConfig net0 = config.net(0).map(n -> new NetworkConfig(n.name(), n.bridge().orElse(null),
                n.ip().orElse(null), n.gateway().orElse(null), n.hwaddr().orElse(null), n.get("ip6").orElse(null))).orElse(null);
        Set<String> tags = config.string("tags").map(t -> Arrays.stream(t.split("[;,\\s]+")).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet())).orElse(Set.of());
        boolean onboot = config.string("onboot").map("1"::equals).orElse(false);
        String lock = config.lock().orElse(status.lock());
        return new ContainerObservation(true, node, status.running(), lock, config.hostname().orElse(null), net0, onboot,
                tags, config.description().orElse(null), config.digest(), snapshots, config.rootfsStorage().orElse(null));
    }

    @Override
    public void apply(ProxmoxAction action) {
        memory.changedByOperator();
        if (action instanceof ProxmoxAction.CreateSnapshot) {
            memory.cloneSnapshotTaken();
        }
        call(action.describe(), () -> {
            if (action instanceof ProxmoxAction.CreateSnapshot s) {
                await(api.createSnapshot(s.node(), s.vmid(), s.snapname(), "temporary, for cloning by traefik-ha-operator"));
            } else if (action instanceof ProxmoxAction.DeleteSnapshot s) {
                await(api.deleteSnapshot(s.node(), s.vmid(), s.snapname()));
            } else if (action instanceof ProxmoxAction.CloneContainer c) {
                await(api.cloneContainer(c.node(), c.sourceVmid(), CloneRequest.of(c.newVmid()).withHostname(c.hostname())
                        .withDescription(c.description()).withPool(c.pool()).fromSnapshot(c.snapname())
                        .withStorage(c.storage()).withFull(c.full()).withTarget(c.target())));
            } else if (action instanceof ProxmoxAction.MigrateContainer m) {
                await(api.migrate(m.node(), m.vmid(), m.target(), m.restart(), m.targetStorage()));
            } else if (action instanceof ProxmoxAction.ConfigureContainer c) {
                configure(c);
            } else if (action instanceof ProxmoxAction.StartContainer s) {
                await(api.start(s.node(), s.vmid()));
            } else if (action instanceof ProxmoxAction.StopContainer s) {
                await(api.stop(s.node(), s.vmid()));
            } else if (action instanceof ProxmoxAction.ShutdownContainer s) {
                await(api.shutdown(s.node(), s.vmid(), 120, true));
            } else if (action instanceof ProxmoxAction.DestroyContainer d) {
                destroyIfStillOwned(d);
            } else if (action instanceof ProxmoxAction.DeleteBackup b) {
                await(api.deleteVolume(b.node(), b.storage(), b.volid()));
            }
            return null;
        });
    }

    /**
     * The container read fresh, not from what this reconcile observed: someone may have taken the VMID over since (a
     * restore, a new CT after a manual destroy), and a container that is not this resource's is never destroyed.
     */
    private void destroyIfStillOwned(ProxmoxAction.DestroyContainer d) {
        String owner = Ownership.ownerUid(api.config(d.node(), d.vmid()).description().orElse(null));
        if (!d.ownerUid().equals(owner)) {
            throw new ExternalSystemException("proxmox", "CT " + d.vmid() + " on " + d.node() + " is not destroyed: its"
                    + " description " + (owner == null ? "names no owner" : "names another owner (uid " + owner + ")")
                    + " now, so it is no longer this resource's secondary; destroy it by hand if it should go");
        }
        await(api.deleteContainer(d.node(), d.vmid(), true, false));
    }

    @Override
    public FirewallObservation observeFirewall(String node, int vmid) {
        FirewallObservation known = memory.firewall(node, vmid);
        if (known != null) {
            return known;
        }
        FirewallObservation read = call("read the firewall of CT " + vmid, () -> firewall.observe(node, vmid));
        memory.rememberFirewall(read);
        return read;
    }

    @Override
    public void applyFirewall(FirewallAction action) {
        memory.changedByOperator();
        call(action.describe(), () -> {
            firewall.apply(List.of(action));
            return null;
        });
    }

    @Override
    public ProxmoxReadiness readiness() {
        return call("read what preflight checks", () -> {
            List<ClusterResource> containers = api.clusterContainers();
            ContainerSummary primary = summary(containers, spec.primary.vmid);
            ProxmoxReadiness.Primary primaryFacts = ProxmoxReadiness.Primary.NOT_FOUND;
            if (primary.exists()) {
                ContainerConfig config = api.config(primary.node(), primary.vmid());
                primaryFacts = new ProxmoxReadiness.Primary(true, primary.node(), config.memoryMib(),
                        config.diskBytesByStorage(), config.unprivileged(), config.features());
            }
            Map<Role, ProxmoxReadiness.Secondary> secondaries = new TreeMap<>();
            for (Role role : spec.secondaryRoles()) {
                SecondarySpec wanted = spec.secondary(role);
                ContainerSummary found = summary(containers, wanted.vmid);
                boolean placed = found.exists() && api.config(found.node(), found.vmid()).net(0)
                        .flatMap(NetConfig::ip).map(wanted.address::equals).orElse(false);
                // The target node matters only for a secondary still to be made.
                secondaries.put(role, new ProxmoxReadiness.Secondary(found.exists(), placed,
                        found.exists() ? null : target(wanted.node)));
            }
            return new ProxmoxReadiness(primaryFacts, secondaries);
        });
    }

    /** The node the secondary goes to: listed and online, its free memory and the storages enabled on it. */
    private ProxmoxReadiness.Target target(String node) {
        String state = api.nodes().stream().filter(n -> node.equals(n.node())).map(NodeInfo::status).findFirst()
                .orElse(null);
        if (!"online".equals(state)) {
            return new ProxmoxReadiness.Target(node, state == null ? ProxmoxReadiness.NodeState.MISSING
                    : ProxmoxReadiness.NodeState.OFFLINE, 0L, Map.of());
        }
        Map<String, ProxmoxReadiness.Storage> storages = new TreeMap<>();
        for (NodeStorage s : api.nodeStorages(node)) {
            storages.put(s.storage(), new ProxmoxReadiness.Storage(s.isActive(), s.holdsContainers(), s.avail()));
        }
        return new ProxmoxReadiness.Target(node, ProxmoxReadiness.NodeState.ONLINE, freeMemory(node), storages);
    }

    /** Null when the token may not read it (Sys.Audit on the node): the privilege check names that, this one says so. */
    private Long freeMemory(String node) {
        try {
            return api.nodeMemory(node).free();
        } catch (ProxmoxException e) {
            if (e.status() == 403) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public String startBackup(String node, int vmid, String storage, String notes) {
        memory.changedByOperator();
        return call("back up CT " + vmid + " to storage " + storage, () -> api.vzdump(node, vmid, storage, notes).value());
    }

    @Override
    public BackupTask awaitBackup(String upid, String storage, int vmid) {
        Upid task = Upid.parse(upid);
        try {
            tasks.await(task, taskTimeout);
        } catch (ProxmoxTaskException e) {
            return e.timedOut() ? BackupTask.RUNNING : new BackupTask(null, e.getMessage());
        } catch (ProxmoxException e) {
            throw new ExternalSystemException("proxmox", "Proxmox did not say how the backup task " + upid + " went: "
                    + e.getMessage(), e);
        }
        return call("find the backup of CT " + vmid + " on storage " + storage, () -> {
            String archive = archiveName(task);
            // The archive the log names; without such a line (a PBS storage), the newest made since the task began.
            return backups(task.node(), storage, vmid).stream()
                    .filter(b -> archive != null ? b.volid().endsWith("/" + archive)
                            : !b.created().isBefore(Instant.ofEpochSecond(task.startTime())))
                    .reduce((first, second) -> second)
                    .map(found -> new BackupTask(found, null))
                    .orElseGet(() -> new BackupTask(null, "the backup task " + upid + " ended OK but no backup of CT " + vmid
                            + (archive != null ? " named " + archive : "") + " is listed on storage " + storage));
        });
    }

    /** The file name in vzdump's "creating vzdump archive '/var/lib/vz/dump/vzdump-lxc-....tar.zst'" line, or null. */
    private String archiveName(Upid task) {
        TaskLog log = api.taskLog(task, 0, 500); // a vzdump log of one CT is a few dozen lines
        for (String line : log.texts()) {
            Matcher m = ARCHIVE_LINE.matcher(line);
            if (m.find()) {
                String path = m.group(1);
                return path.substring(path.lastIndexOf('/') + 1);
            }
        }
        return null;
    }

    @Override
    public List<BackupVolume> backups(String node, String storage, int vmid) {
        return call("list the backups of CT " + vmid + " on storage " + storage, () -> api.backups(node, storage, vmid).stream()
                .filter(b -> b.volid() != null && b.vmid() != null && b.vmid() == vmid)
                .map(b -> new BackupVolume(b.volid(), storage, vmid, b.size() == null ? 0 : b.size(),
                        Instant.ofEpochSecond(b.ctime() == null ? 0 : b.ctime())))
                .sorted(java.util.Comparator.comparing(BackupVolume::created))
                .toList());
    }

    @Override
    public TokenGrants tokenGrants(Set<String> paths) {
        return call("read the API token's permissions", () -> {
            Map<String, Set<String>> byPath = new LinkedHashMap<>();
            for (String path : paths) {
                byPath.put(path, Set.copyOf(api.permissions(api.authId(), path).keySet()));
            }
            return new TokenGrants(api.authId(), byPath);
        });
    }

    /** Sends the planned options and the wanted net0 parts merged into the CT's own net0, with the observed digest. */
    private void configure(ProxmoxAction.ConfigureContainer c) {
        ConfigUpdate update = ConfigUpdate.create().digest(c.digest());
        c.options().forEach(update::set);
        if (c.net0() != null) {
            NetConfig current = api.config(c.node(), c.vmid()).net(0)
                    .orElse(NetConfig.staticIpv4(c.net0().name(), c.net0().bridge(), c.net0().ip(), c.net0().gateway()));
            NetConfig wanted = current.with("name", c.net0().name()).with("bridge", c.net0().bridge())
                    .withIpv4(c.net0().ip(), c.net0().gateway());
            update.net(0, c.net0().ip6() == null ? wanted : wanted.with("ip6", c.net0().ip6()));
        }
        api.updateConfig(c.node(), c.vmid(), update);
    }

    private void await(Upid upid) {
        tasks.await(upid, taskTimeout);
    }

    /** Turns the client's failures into the reconciler's, keeping Proxmox's own words. */
    private static <T> T call(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (ProxmoxTaskException e) {
            throw new ExternalSystemException("proxmox", e.getMessage(), e);
        } catch (ProxmoxException e) {
            throw new ExternalSystemException("proxmox", "Proxmox refused to " + what + ": " + e.getMessage(), e);
        }
    }
}
