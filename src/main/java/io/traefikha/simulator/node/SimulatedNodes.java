package io.traefikha.simulator.node;

import io.traefikha.api.SyncSpec;
import io.traefikha.reconciler.NodeGateway;
import io.traefikha.reconciler.plan.ManagedFile;
import io.traefikha.reconciler.plan.NodeAction;
import io.traefikha.reconciler.plan.NodeObservation;
import io.traefikha.keepalived.Role;
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
 * address it had, as a real crash does. Stands in for SSH in the integration tests and the demo.
 */
public class SimulatedNodes implements NodeGateway {

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
    }

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
        if (action instanceof NodeAction.InstallPackage) {
            node.installed = true;
        } else if (action instanceof NodeAction.WriteFile write) {
            node.files.put(write.file().path(), write.file().sha256());
        } else if (action instanceof NodeAction.EnableService) {
            node.enabled = true;
        } else if (action instanceof NodeAction.StartService || action instanceof NodeAction.RestartService) {
            node.active = true;
            node.vip = false;
        } else if (action instanceof NodeAction.StopService) {
            node.active = false; // a clean stop gives the address up
            node.vip = false;
            node.state = "STOP";
        } else if (action instanceof NodeAction.DisableService) {
            node.enabled = false;
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

    /** keepalived dies hard on a node: the state file and the address stay as they were. */
    public synchronized void crashKeepalived(Role role) {
        nodes.get(role).active = false;
        elect();
    }

    public synchronized void traefikDies(Role role) {
        nodes.get(role).traefikHealthy = false;
        elect();
    }

    public synchronized void traefikRecovers(Role role) {
        nodes.get(role).traefikHealthy = true;
        elect();
    }

    /** The container stopped (or is gone): nothing on it answers, and its keepalived no longer holds the address. */
    public synchronized void powerOff(Role role) {
        Node node = nodes.get(role);
        node.reachable = false;
        node.active = false;
        node.vip = false;
        node.state = null;
        elect();
    }

    /** The container booted: Traefik runs, keepalived runs if it was installed and enabled before. */
    public synchronized void powerOn(Role role) {
        Node node = nodes.get(role);
        node.reachable = true;
        node.traefikHealthy = true;
        node.active = node.installed && node.enabled;
        node.vip = false;
        node.state = null;
        elect();
    }

    /** A freshly cloned container in place of this node: not running yet, and without keepalived. */
    public synchronized void replaceWithFreshContainer(Role role) {
        Node fresh = new Node();
        fresh.reachable = false;
        nodes.put(role, fresh);
        elect();
    }

    /** The node whose keepalived is MASTER, if any. */
    public synchronized Optional<Role> master() {
        return nodes.entrySet().stream().filter(e -> "MASTER".equals(e.getValue().state) && e.getValue().active)
                .map(Map.Entry::getKey).findFirst();
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
