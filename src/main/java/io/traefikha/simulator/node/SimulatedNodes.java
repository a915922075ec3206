package io.traefikha.simulator.node;

import io.traefikha.api.SyncSpec;
import io.traefikha.reconciler.NodeGateway;
import io.traefikha.reconciler.plan.ManagedFile;
import io.traefikha.reconciler.plan.NodeAction;
import io.traefikha.reconciler.plan.NodeObservation;
import io.traefikha.reconciler.plan.RollbackPlanner;
import io.traefikha.keepalived.Role;
import io.traefikha.sync.LsyncdInstaller;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import io.traefikha.sync.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two containers in memory with a simulated VRRP election: among the nodes whose keepalived runs with a config and
 * whose Traefik is healthy, the primary wins (it has the higher priority); a node whose keepalived crashed keeps the
 * address it had, as a real crash does; stopping Traefik (a drill) fails the node's health check, so the VIP moves.
 * Stands in for SSH in the integration tests and the demo.
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

        void write(String path, String sha256) {
            originals.putIfAbsent(path, Optional.ofNullable(files.get(path)));
            files.put(path, sha256);
        }
    }

    private static final String TRAEFIK = "traefik";

    public final Map<Role, Node> nodes = new EnumMap<>(Map.of(Role.PRIMARY, new Node(), Role.SECONDARY, new Node()));
    public final List<NodeAction> applied = new ArrayList<>();
    public int probes;

    @Override
    public synchronized NodeObservation probe(Role role, List<ManagedFile> managedFiles) {
        probes++;
        Node node = nodes.get(role);
        if (!node.reachable) {
            return NodeObservation.unreachable(role, "ssh: connect timed out");
        }
        return new NodeObservation(role, true, null, node.installed, node.active, node.enabled, node.traefikHealthy,
                node.vip, node.state, Map.copyOf(node.files));
    }

    @Override
    public synchronized void apply(NodeAction action) {
        applied.add(action);
        Node node = nodes.get(action.role());
        if (action instanceof NodeAction.StopService stop && TRAEFIK.equals(stop.service())) {
            node.traefikHealthy = false; // the health check fails: the node goes to FAULT and gives the VIP up
        } else if (action instanceof NodeAction.StartService start && TRAEFIK.equals(start.service())) {
            node.traefikHealthy = true;
        } else if (action instanceof NodeAction.InstallPackage) {
            node.installed = true;
        } else if (action instanceof NodeAction.WriteFile write) {
            node.write(write.file().path(), write.file().sha256());
        } else if (action instanceof NodeAction.EnableService) {
            node.enabled = true;
        } else if (action instanceof NodeAction.StartService || action instanceof NodeAction.RestartService) {
            node.active = true;
            node.vip = false;
        } else if (action instanceof NodeAction.StopService stop && stop.service().equals(LSYNCD)) {
            node.lsyncdActive = false;
        } else if (action instanceof NodeAction.DisableService disable && disable.service().equals(LSYNCD)) {
            node.lsyncdEnabled = false;
        } else if (action instanceof NodeAction.StopService) {
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
        }
        elect();
    }

    public int syncRounds;

    /** In-memory nodes hold no configuration files to compare: each round finds them equal. */
    @Override
    public synchronized SyncOutcome syncConfig(SyncSpec spec, SyncMemory memory, Instant now) {
        syncRounds++;
        return new SyncOutcome(SyncState.InSync, "same", "same", List.of(), List.of(), null, List.of(), "static",
                Duration.ZERO, new SyncMemory("same", null, now, "static"));
    }

    public int lsyncdRounds;

    /** Like LsyncdInstaller: the key on the secondary, the files on the primary, lsyncd (re)started when needed. */
    @Override
    public synchronized LsyncdInstaller.Outcome ensureLsyncd(SyncSpec spec, String clusterName, SyncKeyPair key) {
        lsyncdRounds++;
        Node primary = nodes.get(Role.PRIMARY);
        Node secondary = nodes.get(Role.SECONDARY);
        List<String> changed = new ArrayList<>();
        if (!key.publicKey().equals(secondary.syncKey)) {
            secondary.syncKey = key.publicKey();
            changed.add(LsyncdInstaller.ROOT_AUTHORIZED_KEYS);
        }
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
        boolean restart = !primary.lsyncdActive || !changed.isEmpty();
        primary.lsyncdActive = true;
        return new LsyncdInstaller.Outcome(changed, restart);
    }

    @Override
    public synchronized void stopLsyncd() {
        nodes.get(Role.PRIMARY).lsyncdActive = false;
        nodes.get(Role.PRIMARY).lsyncdEnabled = false;
    }

    /** keepalived dies hard on a node: the state file and the address stay as they were. */
    public synchronized void crashKeepalived(Role role) {
        nodes.get(role).active = false;
        elect();
    }

    public synchronized void traefikDies(Role role) {
        nodes.get(role).traefikHealthy = false;
        elect();
    }

    /** What a client asking Traefik on the VIP gets: an answer while a node holds the VIP and its Traefik runs. */
    public synchronized boolean vipAnswers() {
        return nodes.values().stream().anyMatch(node -> node.reachable && node.vip && node.traefikHealthy);
    }

    public synchronized void elect() {
        Role winner = null;
        for (Role role : Role.values()) {
            Node node = nodes.get(role);
            if (node.active && !node.files.isEmpty() && node.traefikHealthy && winner == null) {
                winner = role;
            }
        }
        for (Role role : Role.values()) {
            Node node = nodes.get(role);
            if (!node.active) {
                continue;
            }
            node.vip = role == winner;
            node.state = role == winner ? "MASTER" : node.traefikHealthy ? "BACKUP" : "FAULT";
        }
    }
}
