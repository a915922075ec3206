package io.traefikha.step;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ContainerSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Cidr;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Finding;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.gateway.ProxmoxGateway;
import io.traefikha.planner.FirewallPlan;
import io.traefikha.planner.FirewallPlanner;
import java.util.ArrayList;
import java.util.List;

/**
 * The Proxmox firewall of every replica's container must let VRRP from every other replica through and, with ipfilter,
 * the VIP ({@link FirewallPlanner}).
 */
public final class FirewallStep implements ReconcileStep {

    private final Actions actions;

    public FirewallStep(Actions actions) {
        this.actions = actions;
    }

    @Override
    public Next apply(Round round) {
        TraefikHAClusterSpec spec = round.spec();
        if (round.proxmoxOutage()) {
            // The firewalls live on Proxmox: their last verdict stands, for the split-brain judgement too.
            Condition last = round.status().previous().condition(ConditionTypes.FIREWALL_READY);
            round.firewallFindings(last == null ? List.of()
                    : List.of(new Finding(last.type, Condition.TRUE.equals(last.status), last.reason, last.message)));
            return Next.CONTINUE;
        }
        List<FirewallObservation> firewalls;
        try {
            firewalls = all(spec, round.proxmox(), round.connections().proxmox());
        } catch (ExternalSystemException e) {
            round.unreachable(ConditionTypes.FIREWALL_READY, e);
            return Next.STOP;
        }
        List<String> vips = spec.vip.ipv6Address().map(ipv6 -> List.of(spec.vip.address, ipv6)).orElse(List.of(spec.vip.address));
        FirewallPlan plan = FirewallPlanner.plan(spec.proxmox.manageFirewall, round.resource().getMetadata().getUid(), vips,
                firewalls);
        round.report(plan.findings());
        round.firewallFindings(plan.findings());
        return actions.carryOut(round, plan.actions()).ok() ? Next.CONTINUE : Next.STOP;
    }

    /**
     * The firewall of every replica's container that exists, each judged for VRRP from every other replica (their IPv4
     * addresses, then their IPv6 ones with an IPv6 VIP's unicast adverts), as keepalived makes them all unicast peers.
     */
    static List<FirewallObservation> all(TraefikHAClusterSpec spec, ProxmoxObservation seen, ProxmoxGateway proxmox) {
        List<FirewallObservation> firewalls = new ArrayList<>();
        for (Role role : spec.roles()) {
            ContainerObservation ct = seen.container(role);
            if (ct.exists()) {
                firewalls.add(proxmox.observeFirewall(ct.node(), spec.container(role).vmid)
                        .withPeerAddresses(peerAddresses(spec, role)));
            }
        }
        return firewalls;
    }

    private static List<String> peerAddresses(TraefikHAClusterSpec spec, Role self) {
        List<ContainerSpec> peers = spec.roles().stream().filter(role -> !role.equals(self)).map(spec::container).toList();
        List<String> addresses = new ArrayList<>();
        peers.forEach(peer -> addresses.add(Cidr.hostOf(peer.address)));
        if (spec.vip.ipv6Address().isPresent() && spec.vip.unicast) {
            peers.stream().filter(peer -> peer.address6 != null).forEach(peer -> addresses.add(Cidr.hostOf(peer.address6)));
        }
        return addresses;
    }
}
