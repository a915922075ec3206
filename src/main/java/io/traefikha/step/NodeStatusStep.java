package io.traefikha.step;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.FailoverStatus;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.api.v1alpha1.VipStatus;
import io.traefikha.domain.Cidr;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.Ipv6Cidr;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.Ipv6VipPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the user sees of the replicas: status.nodes from the containers, the probes and the pinned host keys (mirrored from
 * the state object), status.vip and who holds it; a change of holder is a failover, counted and told as an Event.
 */
public final class NodeStatusStep implements ReconcileStep {

    private final EventRecorder events;
    private final ReconcileMetrics metrics;

    public NodeStatusStep(EventRecorder events, ReconcileMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public Next apply(Round round) {
        reportNodes(round);
        reportVip(round);
        return Next.CONTINUE;
    }

    private void reportNodes(Round round) {
        TraefikHACluster resource = round.resource();
        StatusAggregator status = round.status();
        TraefikHAClusterSpec spec = round.spec();
        ProxmoxObservation seen = round.proxmox();
        Map<Role, NodeObservation> probes = round.probes();
        DurableState pins = round.durable(); // read and written by the steps before this one
        String now = round.timestamp();
        List<NodeStatus> nodes = new ArrayList<>();
        for (Role role : spec.roles()) {
            ContainerObservation ct = seen.container(role);
            NodeObservation probe = probes.get(role);
            NodeStatus node = previousNode(status.previous(), role.label());
            node.role = role.label();
            node.vmid = spec.container(role).vmid;
            node.node = ct.exists() ? ct.node() : spec.container(role).node;
            node.address = spec.container(role).address;
            node.containerState = !ct.exists() ? "missing" : ct.running() ? "running" : "stopped";
            node.hostKeyFingerprint = pins.hostKey(role).orElse(null); // a mirror: the pin lives in the state object
            if (round.identity(role) != null) {
                node.hostIdentity = round.identity(role); // else as the last status said (the primary's is never set)
            }
            metrics.nodeHealthy(resource, role, probe.reachable() && probe.traefikHealthy());
            if (probe.reachable()) {
                node.vrrpState = probe.vrrpState() == null ? "unknown" : probe.vrrpState();
                node.healthy = probe.traefikHealthy();
                node.traefikVersion = probe.traefikVersion();
                node.routers = probe.routerCount() >= 0 ? probe.routerCount() : null;
                node.routersHash = probe.loadedRouters() == null ? null : probe.loadedRouters().sha256();
                node.configHash = probe.configHash();
                node.lastSeen = now;
            } else {
                node.vrrpState = "unknown";
                node.healthy = false;
            }
            nodes.add(node);
        }
        status.nodes(nodes);
    }

    private static NodeStatus previousNode(TraefikHAClusterStatus previous, String role) {
        NodeStatus copy = new NodeStatus();
        if (previous.nodes != null) {
            previous.nodes.stream().filter(n -> role.equals(n.role)).findFirst().ifPresent(old -> {
                copy.lastSeen = old.lastSeen;
                copy.configHash = old.configHash;
                copy.hostIdentity = old.hostIdentity;
            });
        }
        return copy;
    }

    /** Who holds the VIP now; a change of holder is a failover, counted and told as an Event. */
    private void reportVip(Round round) {
        TraefikHACluster resource = round.resource();
        StatusAggregator status = round.status();
        TraefikHAClusterSpec spec = round.spec();
        List<Role> holders = round.nodePlan().holders();
        TraefikHAClusterStatus previous = status.previous();
        VipStatus vip = new VipStatus();
        vip.address = Cidr.hostOf(spec.vip.address);
        vip.holder = String.join(",", holders.stream().map(r -> hostname(spec, r)).toList());
        String before = previous.vip == null ? null : previous.vip.holder;
        vip.since = Objects.equals(before, vip.holder) && previous.vip.since != null ? previous.vip.since : round.timestamp();
        // A move is often seen mid-way (nobody or both holding for a moment); it counts once the VIP settles elsewhere.
        String lastAlone = previous.vip == null ? null : previous.vip.lastHolder != null ? previous.vip.lastHolder
                : before != null && !before.isEmpty() && !before.contains(",") ? before : null;
        vip.lastHolder = holders.size() == 1 ? vip.holder : lastAlone;
        spec.vip.ipv6Address().ifPresent(vip6 -> reportVip6(round, vip, Ipv6Cidr.canonical(Cidr.hostOf(vip6)).orElseThrow()));
        status.vip(vip);

        if (holders.size() == 1 && lastAlone != null && !lastAlone.equals(vip.holder)) {
            FailoverStatus failovers = new FailoverStatus();
            failovers.count = (previous.failovers == null ? 0 : previous.failovers.count) + 1;
            failovers.last = vip.since;
            failovers.lastTransition = lastAlone + " -> " + vip.holder;
            status.failovers(failovers);
            events.warning(resource, "Failover", "the VIP " + vip.address + " moved from " + lastAlone + " to " + vip.holder
                    + " at " + vip.since);
            metrics.failover(resource);
        }
        for (Role role : spec.roles()) {
            metrics.vipHolder(resource, role, holders.contains(role));
        }
    }

    /**
     * Who holds the IPv6 VIP, and IPv6VIPHeld: False while the families are split, with a Warning Event when that
     * starts (or its message changes) and a Normal one when both are together again.
     */
    private void reportVip6(Round round, VipStatus vip, String vip6) {
        TraefikHAClusterSpec spec = round.spec();
        Map<Role, String> hostnames = new TreeMap<>();
        for (Role role : spec.roles()) {
            hostnames.put(role, hostname(spec, role));
        }
        Ipv6VipPlanner.Judgement judgement = Ipv6VipPlanner.judge(vip6, round.probes(), round.nodePlan().holders(), hostnames);
        vip.address6 = vip6;
        vip.holder6 = String.join(",", judgement.holders().stream().map(r -> hostname(spec, r)).toList());
        StatusAggregator status = round.status();
        Condition before = status.previous().condition(ConditionTypes.IPV6_VIP_HELD);
        boolean wasFalse = before != null && Condition.FALSE.equals(before.status);
        if (Condition.FALSE.equals(judgement.conditionStatus()) && (!wasFalse || !judgement.message().equals(before.message))) {
            events.warning(round.resource(), "IPv6VIPNotWithIPv4VIP", judgement.message());
        } else if (Condition.TRUE.equals(judgement.conditionStatus()) && wasFalse) {
            events.normal(round.resource(), "IPv6VIPWithIPv4VIP", judgement.message());
        }
        status.condition(ConditionTypes.IPV6_VIP_HELD, judgement.conditionStatus(), judgement.reason(), judgement.message());
    }

    private static String hostname(TraefikHAClusterSpec spec, Role role) {
        return spec.container(role).hostname;
    }
}
