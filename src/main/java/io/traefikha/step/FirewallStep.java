package io.traefikha.step;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ContainerSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Cidr;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Finding;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.gateway.ProxmoxGateway;
import io.traefikha.planner.FirewallPlan;
import io.traefikha.planner.FirewallPlanner;
import java.util.List;

/** The Proxmox firewall of both containers must let VRRP through and, with ipfilter, the VIP ({@link FirewallPlanner}). */
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
            firewalls = both(spec, round.proxmox(), round.connections().proxmox());
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

    /** Both containers' firewalls, each with the other's addresses as the VRRP peer (IPv6 with an IPv6 VIP's unicast adverts). */
    static List<FirewallObservation> both(TraefikHAClusterSpec spec, ProxmoxObservation seen, ProxmoxGateway proxmox) {
        return List.of(
                proxmox.observeFirewall(seen.primary().node(), spec.primary.vmid, Cidr.hostOf(spec.secondary(Role.SECONDARY).address))
                        .withPeerAddress6(ipv6Peer(spec, spec.secondary(Role.SECONDARY))),
                proxmox.observeFirewall(seen.secondary().node(), spec.secondary(Role.SECONDARY).vmid, Cidr.hostOf(spec.primary.address))
                        .withPeerAddress6(ipv6Peer(spec, spec.primary)));
    }

    private static String ipv6Peer(TraefikHAClusterSpec spec, ContainerSpec peer) {
        return spec.vip.ipv6Address().isPresent() && spec.vip.unicast && peer.address6 != null ? Cidr.hostOf(peer.address6) : null;
    }
}
