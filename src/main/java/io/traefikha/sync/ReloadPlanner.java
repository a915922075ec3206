package io.traefikha.sync;

import io.traefikha.keepalived.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a configuration change needs Traefik to do, as a pure function (Traefik 3.x has no signal-driven reload, and
 * SIGHUP terminates it, so the seed's {@code systemctl reload traefik} is never used):
 * <ul>
 *   <li>dynamic files: nothing; Traefik's file provider watches them ({@link StaticConfig#fileProviderProblem} reports
 *       when it does not);</li>
 *   <li>static configuration: a restart of both Traefiks, one at a time, each verified (service active, ping, routers)
 *       before the next; the node not holding the VIP goes first, and the VIP holder is only restarted after the VIP
 *       has been handed to its freshly verified peer. A VIP holder whose peer is unhealthy is not restarted: serving
 *       the old static configuration beats serving nothing.</li>
 * </ul>
 */
public final class ReloadPlanner {

    private ReloadPlanner() {
    }

    /** One step; the reconciler executes them in order and stops at the first that fails. */
    public sealed interface Action {
        /** Run the spec's reloadCommand on the node. */
        record Restart(Role node) implements Action { }

        /** Check Traefik on the node: service active, ping answers, routers loaded. */
        record Verify(Role node) implements Action { }

        /** Move the VIP away from the node (keepalived's business: done by the reconciler), to its peer. */
        record HandOverVip(Role from, Role to) implements Action { }

        /** Nothing more can be done safely now; retried next period. */
        record Defer(Role node, String reason) implements Action { }
    }

    /** Traefik on a node as the last probe saw it. */
    public record NodeHealth(boolean active, boolean pingOk, int routerCount) {
        public boolean healthy() {
            return active && pingOk && routerCount > 0;
        }
    }

    /**
     * @param changedFiles files that changed on the nodes (both hold them: planned only when the trees are equal)
     * @param staticConfig the static configuration's paths ({@link StaticConfig#paths})
     * @param vipHolder    the node holding the VIP, or null when neither does
     */
    public static List<Action> plan(List<String> changedFiles, List<String> staticConfig, Role vipHolder,
                                    Map<Role, NodeHealth> health) {
        Set<String> staticPaths = Set.copyOf(staticConfig);
        if (changedFiles.stream().noneMatch(staticPaths::contains)) {
            return List.of();
        }
        List<Action> actions = new ArrayList<>();
        for (Role node : restartOrder(vipHolder)) {
            Role peer = node.peer();
            if (node == vipHolder) {
                // The peer was restarted and verified just before (it is first in the order), or is checked again here.
                if (!health.getOrDefault(peer, new NodeHealth(false, false, 0)).healthy()) {
                    actions.add(new Action.Defer(node, node + " holds the VIP and " + peer
                            + " is not healthy: Traefik on " + node + " keeps its old static configuration for now"));
                    break;
                }
                actions.add(new Action.HandOverVip(node, peer));
            }
            actions.add(new Action.Restart(node));
            actions.add(new Action.Verify(node));
        }
        return List.copyOf(actions);
    }

    /** The node without the VIP first; the secondary first when neither holds it (the primary is the usual MASTER). */
    private static List<Role> restartOrder(Role vipHolder) {
        return vipHolder == Role.SECONDARY ? List.of(Role.PRIMARY, Role.SECONDARY) : List.of(Role.SECONDARY, Role.PRIMARY);
    }

}
