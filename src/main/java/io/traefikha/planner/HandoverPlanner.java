package io.traefikha.planner;

import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans one VIP handover, the single mechanism behind maintenance, rolling upgrades and rolling restarts: to move the
 * VIP to node Y, every other node gets a priority below Y's (the keepalived files are rendered with the VIP pinned to Y,
 * keepalived reloads), and the operation waits, across reconciles, until Y holds the VIP and its Traefik answers. A pure
 * function of what the operation asks, the previous state and this round's probes; table-tested.
 *
 * <p>Never hands the VIP to a node that could not serve it: a handover to a node that is not healthy is refused and
 * nothing is pinned. Once a node holds the VIP the pin stays (X keeps its keepalived and its health check, so a failure
 * of Y still fails over to X; Y takes the VIP back once healthy again).
 */
public final class HandoverPlanner {

    private HandoverPlanner() {
    }

    /** What an operation asks: the VIP on {@code to}, because {@code why} (e.g. "maintenance of the primary"). */
    public record Request(Role to, String why) {
    }

    public enum State {
        /** The peer's priority is lowered; waiting for the node to take the VIP. */
        Moving,
        /** The node holds the VIP and its Traefik answers. */
        Held,
        /** The node took the VIP, then failed: keepalived moved the VIP to the peer; it returns once the node is healthy. */
        Displaced,
        /** The node was not healthy: the VIP was not moved. */
        Refused
    }

    /** The state the previous reconcile left (kept in status.handover). */
    public record Memory(Role to, State state) {
    }

    /**
     * @param pin     the node the keepalived files pin the VIP to this round, or empty (the spec's own priorities)
     * @param message who holds the VIP and why, for the condition and Events
     */
    public record Handover(Role to, State state, Optional<Role> pin, String message) {
        public boolean held() {
            return state == State.Held;
        }
    }

    /**
     * @param request  where an operation wants the VIP
     * @param previous the previous round's state, or null
     */
    public static Handover plan(Request request, Memory previous, Map<Role, NodeObservation> nodes) {
        Role to = request.to();
        NodeObservation target = nodes.getOrDefault(to, NodeObservation.unreachable(to, "not probed"));
        List<NodeObservation> others = nodes.values().stream().filter(node -> !node.role().equals(to)).toList();
        Optional<NodeObservation> otherHolder = others.stream().filter(node -> node.reachable() && node.vipPresent())
                .findFirst();
        // a pair names its other node; with more, the one holding the VIP, else "the other nodes"
        String from = otherHolder.or(() -> others.size() == 1 ? Optional.of(others.get(0)) : Optional.empty())
                .map(node -> "the " + node.role().label()).orElse("the other nodes");
        String lowered = others.size() == 1 ? from + "'s priority is" : "the other nodes' priorities are";
        boolean pinnedBefore = previous != null && previous.to() == to && previous.state() != State.Refused;
        if (target.servesVip() && otherHolder.isEmpty()) {
            return new Handover(to, State.Held, Optional.of(to), "the " + to.label() + " holds the VIP and answers ("
                    + request.why() + ")");
        }
        if (target.canTakeVip()) {
            return new Handover(to, State.Moving, Optional.of(to), "moving the VIP from " + from + " to the "
                    + to.label() + " (" + request.why() + "): " + lowered + " lowered, waiting for the " + to.label()
                    + " to hold the VIP");
        }
        if (pinnedBefore && (previous.state() == State.Held || previous.state() == State.Displaced)) {
            return new Handover(to, State.Displaced, Optional.of(to), "the " + to.label() + " should hold the VIP ("
                    + request.why() + ") but " + target.whyNotReady() + ": keepalived keeps the VIP on " + from
                    + " until it recovers");
        }
        return new Handover(to, State.Refused, Optional.empty(), "refused to move the VIP to the " + to.label() + " ("
                + request.why() + "): " + target.whyNotReady() + "; the VIP stays where it is");
    }
}
