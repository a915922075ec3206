package io.traefikha.simulator.node;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.domain.EntryPoint;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.LoadedRouters;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.PrimaryChecks;
import io.traefikha.domain.Role;
import io.traefikha.domain.VipAnswer;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.node.LsyncdInstaller;
import io.traefikha.planner.RollbackPlanner;
import io.traefikha.simulator.proxmox.ContainerListener;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import io.traefikha.sync.SyncState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replicas' containers in memory with a simulated VRRP election: among the nodes whose keepalived runs with a config
 * and whose Traefik is healthy, the one with the highest priority in its written keepalived.conf wins (role order when
 * the files carry none), but a MASTER keeps the VIP against a higher priority whose config says nopreempt; a node whose
 * keepalived crashed keeps the address it had, as a real crash does; stopping Traefik (a drill) fails the node's
 * health check, so the VIP moves. Detached commands (upgrades, restarts) finish at once with the effect registered by
 * {@link #onCommand}. Stands in for SSH in the integration tests and the demo.
 */
public class SimulatedNodes implements NodeGateway {

    private static final String LSYNCD = RollbackPlanner.LSYNCD;

    /** One container as the probe sees it. */
    public static final class Node {
        public boolean reachable = true;
        public boolean installed;
        public boolean active;
        public boolean enabled;
        public boolean traefikHealthy = true;
        public boolean vip;
        public String state;
        public final Map<String, String> files = new HashMap<>();
        /** What a file held before the operator's first write: its hash, or empty when there was none. */
        public final Map<String, Optional<String>> originals = new HashMap<>();
        public boolean lsyncdActive;
        public boolean lsyncdEnabled;
        /** The public key the node accepts for rsync; null without one. */
        public String syncKey;
        /**
         * The node's record of what keepalived and lsyncd read when the operator last started, restarted or reloaded
         * them (hash by path); a boot starts them from the disk but leaves the record as it was.
         */
        public final Map<String, String> loaded = new HashMap<>();
        /** How many of the next keepalived reloads fail (systemctl reports an error, keepalived keeps what it runs). */
        public int failingReloads;

        /** The keepalived.conf on disk, as written last; null before. */
        String config;
        /** From the keepalived.conf keepalived loaded last; null when it names none. */
        public Integer priority;
        public boolean noPreempt;
        /** The HTTP routers its Traefik has loaded, name to status ("enabled", "warning", "disabled"). */
        public final Map<String, String> routers = new TreeMap<>(DEFAULT_ROUTERS);
        /** The synced tree's hash: the in-memory sync finds the trees the same, so both nodes report this one. */
        public String configHash = "same";
        public String traefikVersion = "3.1.0";
        /** The probe's job line: "ID running" or "ID exit=N". */
        public String job;
        /** iputils' arping is installed (preflight probes the addresses with it from the primary). */
        public boolean arping = true;
        /** CapEff of the container's init: what Proxmox leaves a container by default (lxc.cap.drop of pve's common.conf). */
        public Long capEff = DEFAULT_CAPABILITIES;
        /** Addresses this node's interface has besides its own (for preflight: the VIP put there by hand). */
        public final List<String> extraAddresses = new ArrayList<>();
        /**
         * Global IPv6 addresses the interface has besides the IPv6 VIP keepalived adds with the IPv4 one (canonical; the
         * IPv6 VIP put here by hand splits the families); reported only when {@link #dualStack} set the IPv6 VIP.
         */
        public final List<String> ipv6Addresses = new ArrayList<>();
        /**
         * The fingerprint of the host key sshd presents; null where a test does not model host keys (then the
         * operator cannot compare the nodes' keys and leaves their identity alone).
         */
        public String hostKey;
        public String machineId = "machine-id-of-ct-110";
        /** New host keys staged beside the live one (HostIdentity's staging directory), by fingerprint; null when none. */
        public String stagedKey;

        void write(String path, String sha256) {
            originals.putIfAbsent(path, Optional.ofNullable(files.get(path)));
            if (!sha256.equals(files.get(path))) {
                // a daemon's configuration replaced: its record goes, as the operator's upload removes it
                List<String> voided = path.equals(KeepalivedPaths.CONFIG) ? KeepalivedPaths.LOADED
                        : path.equals(LsyncdRenderer.CONFIG_PATH) ? LsyncdRenderer.LOADED : List.of();
                voided.forEach(loaded::remove);
            }
            files.put(path, sha256);
        }

        /** keepalived reads its configuration from the disk (a start, restart, reload or boot). */
        void loadKeepalived() {
            Matcher written = PRIORITY.matcher(config == null ? "" : config);
            priority = written.find() ? Integer.valueOf(written.group(1)) : null;
            noPreempt = config != null && NOPREEMPT.matcher(config).find();
        }

        /** What the operator's start, restart or reload records: the files SERVICE read, as they are now. */
        void record(List<String> paths) {
            paths.forEach(loaded::remove);
            paths.stream().filter(files::containsKey).forEach(path -> loaded.put(path, files.get(path)));
        }
    }

    /** What a detached command does to the node it runs on; returns its exit code. */
    @FunctionalInterface
    public interface CommandEffect {
        int run(Node node);
    }

    /** What a container's Traefik loads from its files unless a test or the demo says otherwise. */
    public static final Map<String, String> DEFAULT_ROUTERS = Map.of("api@internal", "enabled", "dashboard@internal",
            "enabled", "whoami@file", "enabled");

    /**
     * The routers the synced files define, the same on both nodes: what a Traefik loads when it starts or reloads
     * ({@link #reloadTraefik}).
     */
    public final Map<String, String> configuredRouters = new TreeMap<>(DEFAULT_ROUTERS);

    /** Every capability up to CAP_CHECKPOINT_RESTORE (40) but sys_module, sys_rawio, sys_time, mac_override, mac_admin. */
    public static final long DEFAULT_CAPABILITIES = ((1L << 41) - 1) & ~(1L << 16 | 1L << 17 | 1L << 25 | 1L << 32 | 1L << 33);

    /** Other hosts on the LAN: address to MAC, as duplicate address detection from the primary finds them. */
    public final Map<String, String> lan = new java.util.concurrent.ConcurrentHashMap<>();
    public int primaryChecks;
    /** The SSH Secret has knownHosts: the operator must leave the host keys as they are. */
    public boolean hostKeysFromSecret;
    /** Faults: the next host identity installs fail before (or, with failAfterInstall, after) they take effect. */
    public int failingInstalls;
    public boolean failAfterInstall;
    public int stagings;
    private int generatedKeys;

    private static final Pattern PRIORITY = Pattern.compile("(?m)^\\s*priority (\\d+)$");
    private static final Pattern NOPREEMPT = Pattern.compile("(?m)^\\s*nopreempt$");
    private final Map<String, CommandEffect> commands = new HashMap<>();
    /** While true, started commands stay "running". */
    public boolean holdJobs;

    /** Registers what a command does when the operator runs it on a node (unregistered commands succeed, no effect). */
    public synchronized SimulatedNodes onCommand(String command, CommandEffect effect) {
        commands.put(command, effect);
        return this;
    }

    private static final String TRAEFIK = "traefik";

    /** The pair is there from the start; a replica beyond it appears as a container not created yet ({@link #node}). */
    public final Map<Role, Node> nodes = new TreeMap<>(Map.of(Role.PRIMARY, new Node(), Role.SECONDARY, new Node()));
    public final List<NodeAction> applied = new ArrayList<>();
    /** The moved DNS names as a client of the VIP sees them. */
    public final SimulatedNames names = new SimulatedNames(this::vipAnswers, Clock.systemUTC());
    public int probes;
    /** The VRRP adverts do not reach the other node (firewall, multicast filtering): each running node is MASTER. */
    private boolean advertsBlocked;
    /** The IPv6 VIP keepalived's sync group moves with the IPv4 VIP; null: the probes report no IPv6 addresses. */
    private String vip6;
    private boolean vipHangs;

    /** A fault: while set, probes throw it, as a bug in the layers under the operator would. */
    public volatile RuntimeException probeFailure;
    /** A fault: while set, a probe waits until it is counted down, as a command that never returns (outside the lock). */
    public volatile CountDownLatch probeHang;

    @Override
    public NodeObservation probe(Role role, List<ManagedFile> managedFiles) {
        CountDownLatch hang = probeHang;
        if (hang != null) {
            try {
                hang.await(5, TimeUnit.MINUTES); // bounded, so a forgotten latch cannot outlive the test run
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RuntimeException failure = probeFailure;
        if (failure != null) {
            throw failure;
        }
        return observe(role);
    }

    private synchronized NodeObservation observe(Role role) {
        probes++;
        Node node = node(role);
        if (!node.reachable) {
            return NodeObservation.unreachable(role, "ssh: connect timed out");
        }
        List<String> ipv6 = null;
        if (vip6 != null) {
            ipv6 = new ArrayList<>(node.ipv6Addresses);
            if (node.vip && !ipv6.contains(vip6)) {
                ipv6.add(vip6);
            }
        }
        return new NodeObservation(role, true, null, node.installed, node.active, node.enabled, node.traefikHealthy,
                node.vip, node.state, Map.copyOf(node.files), node.routers.size(), node.traefikVersion,
                NodeObservation.Job.parse(node.job), Map.copyOf(node.loaded), node.configHash, LoadedRouters.of(node.routers),
                null, ipv6);
    }

    /** A dual-stack VIP: the node holding the IPv4 VIP holds VIP6 too (canonical), and probes report IPv6 addresses. */
    public synchronized void dualStack(String vip6) {
        this.vip6 = vip6;
    }

    /** As the SSH gateway: reachable primary, arping's answers from {@link #lan}, the primary's capabilities. */
    @Override
    public synchronized PrimaryChecks checkPrimary(List<String> addresses) {
        primaryChecks++;
        Node primary = node(Role.PRIMARY);
        if (!primary.reachable) {
            throw new ExternalSystemException(Role.PRIMARY.label(), "ssh: connect timed out");
        }
        List<PrimaryChecks.AddressProbe> probes = new ArrayList<>();
        if (primary.arping) {
            for (String address : addresses) {
                String mac = lan.get(address);
                probes.add(primary.extraAddresses.contains(address)
                        ? new PrimaryChecks.AddressProbe(address, PrimaryChecks.Outcome.HELD_BY_PRIMARY, null, null)
                        : mac != null ? new PrimaryChecks.AddressProbe(address, PrimaryChecks.Outcome.ANSWERED, mac, null)
                        : new PrimaryChecks.AddressProbe(address, PrimaryChecks.Outcome.FREE, null, null));
            }
        }
        return new PrimaryChecks(primary.arping, probes, primary.capEff);
    }

    @Override
    public synchronized void apply(NodeAction action) {
        applied.add(action);
        Node node = node(action.role());
        if (action instanceof NodeAction.StopService stop && TRAEFIK.equals(stop.service())) {
            node.traefikHealthy = false; // the health check fails: the node goes to FAULT and gives the VIP up
        } else if (action instanceof NodeAction.StartService start && TRAEFIK.equals(start.service())) {
            node.traefikHealthy = true;
            load(node);
        } else if (action instanceof NodeAction.InstallPackage) {
            node.installed = true;
        } else if (action instanceof NodeAction.WriteFile write) {
            node.write(write.file().path(), write.file().sha256());
            if (write.file().path().equals(KeepalivedPaths.CONFIG)) {
                node.config = new String(write.file().file().content(), StandardCharsets.UTF_8); // taken up at the next load
            }
        } else if (action instanceof NodeAction.EnableService) {
            node.enabled = true;
        } else if (action instanceof NodeAction.ReloadService) {
            if (!node.active || node.failingReloads > 0) {
                node.failingReloads = Math.max(0, node.failingReloads - 1);
                throw new ExternalSystemException(action.role().label(), "systemctl reload keepalived exited 1: "
                        + (node.active ? "Job for keepalived.service failed" : "keepalived.service is not active"));
            }
            node.loadKeepalived();
            node.record(KeepalivedPaths.LOADED);
        } else if (action instanceof NodeAction.StartService && node.active) {
            // already running: a start loads nothing
        } else if (action instanceof NodeAction.StartService || action instanceof NodeAction.RestartService) {
            node.active = true;
            node.vip = false;
            node.loadKeepalived();
            node.record(KeepalivedPaths.LOADED);
        } else if (action instanceof NodeAction.StopService stop && stop.service().equals(LSYNCD)) {
            node.lsyncdActive = false;
            LsyncdRenderer.LOADED.forEach(node.loaded::remove);
        } else if (action instanceof NodeAction.DisableService disable && disable.service().equals(LSYNCD)) {
            node.lsyncdEnabled = false;
        } else if (action instanceof NodeAction.StopService) {
            KeepalivedPaths.LOADED.forEach(node.loaded::remove);
            node.active = false; // a clean stop gives the address up
            node.vip = false;
            node.state = "STOP";
        } else if (action instanceof NodeAction.DisableService) {
            node.enabled = false;
        } else if (action instanceof NodeAction.RestoreOriginals restore) {
            for (String path : restore.paths()) {
                Optional<String> original = node.originals.remove(path);
                if (original != null) {
                    original.ifPresentOrElse(hash -> node.files.put(path, hash), () -> node.files.remove(path));
                }
            }
        } else if (action instanceof NodeAction.RemoveSyncKey) {
            node.syncKey = null;
        } else if (action instanceof NodeAction.StartJob job) {
            int exit = holdJobs ? 0 : commands.getOrDefault(job.command(), n -> 0).run(node);
            node.job = job.jobId() + (holdJobs ? " running" : " exit=" + exit);
        }
        elect();
    }

    public int syncRounds;

    /** The hash of the static configuration on the primary; change it to simulate an edit of traefik.yml. */
    public String staticConfigHash = "static";

    /**
     * In-memory nodes hold no configuration files to compare: each round finds every secondary that answered equal to
     * the primary, and reports the others unreachable. The static configuration counts as changed while its hash
     * differs from the one the memory says the Traefiks were restarted with.
     */
    @Override
    public synchronized SyncOutcome syncConfig(SyncSpec spec, SyncMemory memory, Instant now, Set<Role> answered) {
        syncRounds++;
        String applied = memory.appliedStaticHash() == null ? staticConfigHash : memory.appliedStaticHash();
        List<String> staticChanged = applied.equals(staticConfigHash) ? List.of() : List.of("/etc/traefik/traefik.yml");
        Map<Role, SyncOutcome> bySecondary = new TreeMap<>();
        nodes.keySet().stream().filter(role -> !role.equals(Role.PRIMARY)).forEach(role -> bySecondary.put(role,
                answered.contains(role) ? new SyncOutcome(SyncState.InSync, "same", "same", List.of(), List.of(), null,
                        staticChanged, staticConfigHash, Duration.ZERO, new SyncMemory("same", null, now, applied), List.of())
                        : SyncOutcome.unreachable(memory.of(role))));
        return SyncOutcome.combine(bySecondary, memory);
    }

    public int lsyncdRounds;

    /** Like LsyncdInstaller: the key on every secondary, the files on the primary, lsyncd (re)started when needed. */
    @Override
    public synchronized LsyncdOutcome ensureLsyncd(SyncSpec spec, String clusterName, SyncKeyPair key) {
        lsyncdRounds++;
        Node primary = node(Role.PRIMARY);
        List<String> changed = new ArrayList<>();
        nodes.forEach((role, secondary) -> {
            if (role != Role.PRIMARY && !key.publicKey().equals(secondary.syncKey)) {
                secondary.syncKey = key.publicKey();
                changed.add(LsyncdInstaller.ROOT_AUTHORIZED_KEYS);
            }
        });
        String config = Integer.toHexString((spec.paths + " " + spec.exclude + " " + spec.delay).hashCode());
        Map<String, String> wanted = Map.of(LsyncdRenderer.CONFIG_PATH, config,
                LsyncdRenderer.KEY_PATH, Integer.toHexString(key.hashCode()));
        wanted.forEach((path, hash) -> {
            if (!hash.equals(primary.files.get(path))) {
                primary.write(path, hash);
                changed.add(path);
            }
        });
        primary.lsyncdEnabled = true;
        boolean notApplied = primary.lsyncdActive && changed.isEmpty() && LsyncdRenderer.LOADED.stream()
                .anyMatch(path -> !Objects.equals(primary.files.get(path), primary.loaded.get(path)));
        boolean restart = !primary.lsyncdActive || !changed.isEmpty() || notApplied;
        primary.lsyncdActive = true;
        if (restart) {
            primary.record(LsyncdRenderer.LOADED);
        }
        return new LsyncdOutcome(changed, restart, notApplied);
    }

    @Override
    public synchronized void stopLsyncd() {
        node(Role.PRIMARY).lsyncdActive = false;
        node(Role.PRIMARY).lsyncdEnabled = false;
        LsyncdRenderer.LOADED.forEach(node(Role.PRIMARY).loaded::remove);
    }

    /** keepalived dies hard on a node: the state file and the address stay as they were. */
    public synchronized void crashKeepalived(Role role) {
        node(role).active = false;
        elect();
    }

    /**
     * This replica's container; one beyond those this simulation knows (a secondary-2 the spec just added) is one not
     * created yet: nothing on it answers until a clone replaces it ({@link #replaceWithFreshContainer}) and it boots.
     */
    public synchronized Node node(Role role) {
        return nodes.computeIfAbsent(role, absent -> {
            Node notCreated = new Node();
            notCreated.reachable = false;
            return notCreated;
        });
    }

    /** The written priority; without one the replicas rank in role order, as the operator's defaults do. */
    private int priority(Role role) {
        Integer written = node(role).priority;
        return written != null ? written : 2 - role.index();
    }

    public synchronized void traefikDies(Role role) {
        node(role).traefikHealthy = false;
        elect();
    }

    public synchronized void traefikRecovers(Role role) {
        node(role).traefikHealthy = true;
        load(node(role));
        elect();
    }

    /**
     * The node's Traefik leaves a router out while its files still define it, as one that missed a reload or whose
     * provider failed would.
     *
     * @return whether it had that router loaded
     */
    public synchronized boolean dropRouter(Role role, String name) {
        return node(role).routers.remove(name) != null;
    }

    /** The node's Traefik loads its files again: every router they define. */
    public synchronized void reloadTraefik(Role role) {
        load(node(role));
    }

    private void load(Node node) {
        node.routers.clear();
        node.routers.putAll(configuredRouters);
    }

    @Override
    public synchronized Optional<String> presentedHostKey(Role role) {
        Node node = node(role);
        return node.reachable ? Optional.ofNullable(node.hostKey) : Optional.empty();
    }

    /** The keys of the nodes that answered, where host keys are modelled. */
    @Override
    public synchronized Map<Role, String> learnedHostKeys() {
        Map<Role, String> seen = new TreeMap<>();
        nodes.forEach((role, node) -> {
            if (node.reachable && node.hostKey != null) {
                seen.put(role, node.hostKey);
            }
        });
        return seen;
    }

    @Override
    public boolean hostKeysFromSecret() {
        return hostKeysFromSecret;
    }

    /** As on a node: keys already staged are kept and shown again. */
    @Override
    public synchronized Set<String> stageHostKeys(Role role) {
        Node secondary = reachable(role);
        stagings++;
        if (secondary.stagedKey == null) {
            secondary.stagedKey = "SHA256:generated-" + ++generatedKeys;
        }
        return Set.of(secondary.stagedKey);
    }

    /**
     * As HostIdentity's install: unless the live key already is a staged one, a new machine id and the staged key put in
     * place; empty when the staged key is gone or not one of these.
     */
    @Override
    public synchronized Optional<String> installHostIdentity(Role role, Set<String> staged) {
        Node secondary = reachable(role);
        if (failingInstalls > 0) {
            failingInstalls--;
            throw new ExternalSystemException(role.label(), "giving the " + role.label() + " its own identity failed"
                    + " (simulated)");
        }
        if (!staged.contains(secondary.hostKey)) {
            if (secondary.stagedKey == null || !staged.contains(secondary.stagedKey)) {
                return Optional.empty();
            }
            secondary.machineId = "machine-id-" + secondary.stagedKey;
            secondary.hostKey = secondary.stagedKey;
        }
        secondary.stagedKey = null;
        if (failAfterInstall) {
            failAfterInstall = false;
            throw new ExternalSystemException(role.label(), "the connection broke after the install (simulated)");
        }
        return Optional.of(secondary.hostKey);
    }

    private Node reachable(Role role) {
        Node node = node(role);
        if (!node.reachable) {
            throw new ExternalSystemException(role.label(), "the " + role.label() + " does not answer (simulated)");
        }
        return node;
    }

    /** What a client asking Traefik on the VIP gets: an answer while a node holds the VIP and its Traefik runs. */
    public synchronized boolean vipAnswers() {
        return nodes.values().stream().anyMatch(node -> node.reachable && node.vip && node.traefikHealthy);
    }

    /**
     * What one request to an entry point on the VIP gets: Traefik's 404 for the VIP's own address (it routes names, not
     * the address) while {@link #vipAnswers()}, nothing within the operator's timeout while the VIP hangs, else a refusal.
     */
    public synchronized VipAnswer entryPointAnswer(EntryPoint entryPoint) {
        if (!vipAnswers()) {
            return VipAnswer.failed("connection refused", 1);
        }
        return vipHangs ? VipAnswer.failed("no answer within 2000 ms", 2000) : VipAnswer.answered(404, 1);
    }

    /** Traefik on the VIP takes connections and never answers them (or answers again); its ping still answers. */
    public synchronized void hangVip(boolean hangs) {
        vipHangs = hangs;
    }

    /** Adverts stop (or start again) crossing between the nodes; the election follows at once. */
    public synchronized void blockAdverts(boolean blocked) {
        advertsBlocked = blocked;
        elect();
    }

    /** The container stopped (or is gone): nothing on it answers, and its keepalived no longer holds the address. */
    public synchronized void powerOff(Role role) {
        Node node = node(role);
        node.reachable = false;
        node.active = false;
        node.vip = false;
        node.state = null;
        elect();
    }

    /** The container booted: Traefik runs, keepalived runs if it was installed and enabled before. */
    public synchronized void powerOn(Role role) {
        Node node = node(role);
        node.reachable = true;
        node.traefikHealthy = true;
        load(node);
        node.active = node.installed && node.enabled;
        node.vip = false;
        node.loadKeepalived();
        node.state = null;
        elect();
    }

    /** A freshly cloned container in place of this node: not running yet, and without keepalived. */
    public synchronized void replaceWithFreshContainer(Role role) {
        Node fresh = new Node();
        fresh.reachable = false;
        load(fresh);
        nodes.put(role, fresh);
        elect();
    }

    /**
     * These containers following the Proxmox simulator's: CT {@code primaryVmid + n} is replica n for n up to
     * {@code secondaries}; a clone starts as a fresh container without keepalived, a started one boots, a stopped or
     * destroyed one answers nothing.
     */
    public ContainerListener following(int primaryVmid, int secondaries) {
        return event -> {
            int replica = event.vmid() - primaryVmid;
            if (replica < 0 || replica > secondaries) {
                return;
            }
            Role role = Role.of(replica);
            switch (event.type()) {
                case CREATED -> replaceWithFreshContainer(role);
                case STARTED -> powerOn(role);
                case STOPPED, DESTROYED -> powerOff(role);
                case RECONFIGURED, MIGRATED -> {
                }
            }
        };
    }

    /** The one node holding the VIP, or null when none does; several holding it (a split brain) is an error here. */
    public synchronized Role vipHolder() {
        List<Role> holders = nodes.entrySet().stream().filter(e -> e.getValue().vip).map(Map.Entry::getKey).toList();
        if (holders.size() > 1) {
            throw new IllegalStateException("several nodes hold the VIP: " + holders);
        }
        return holders.isEmpty() ? null : holders.get(0);
    }

    /** The node whose keepalived is MASTER, if any. */
    public synchronized Optional<Role> master() {
        return nodes.entrySet().stream().filter(e -> "MASTER".equals(e.getValue().state) && e.getValue().active)
                .map(Map.Entry::getKey).findFirst();
    }

    /**
     * VRRP among the nodes whose keepalived runs with a config and whose Traefik is healthy: the highest priority wins
     * (the first in role order on a tie), but a MASTER keeps the VIP against every higher one whose config says
     * nopreempt; of the higher ones that may preempt, the highest takes it.
     */
    public synchronized void elect() {
        Comparator<Role> byPriority = Comparator.comparingInt(this::priority);
        List<Role> candidates = nodes.entrySet().stream()
                .filter(e -> e.getValue().active && !e.getValue().files.isEmpty() && e.getValue().traefikHealthy)
                .map(Map.Entry::getKey).toList();
        Optional<Role> master = candidates.stream().filter(r -> "MASTER".equals(node(r).state) && node(r).vip).findFirst();
        Role winner = master
                .map(holder -> candidates.stream().filter(r -> priority(r) > priority(holder) && !node(r).noPreempt)
                        .reduce(BinaryOperator.maxBy(byPriority)).orElse(holder))
                .orElseGet(() -> candidates.stream().reduce(BinaryOperator.maxBy(byPriority)).orElse(null));
        nodes.forEach((role, node) -> {
            if (!node.active) {
                return;
            }
            // Without the others' adverts, every eligible node believes it is alone and becomes MASTER.
            boolean isMaster = role.equals(winner) || advertsBlocked && !node.files.isEmpty() && node.traefikHealthy;
            node.vip = isMaster;
            node.state = isMaster ? "MASTER" : node.traefikHealthy ? "BACKUP" : "FAULT";
        });
    }
}
