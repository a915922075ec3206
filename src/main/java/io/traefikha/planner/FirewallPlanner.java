package io.traefikha.planner;

import io.traefikha.domain.Cidr;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Finding;
import io.traefikha.domain.FirewallAction;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.FirewallAddress;
import io.traefikha.domain.FirewallAddress.Match;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plans the Proxmox firewall changes the VIP needs on each container (KNOWN-DEFECTS item 6), a pure function:
 * <ul>
 * <li>with the container firewall enabled, VRRP (IP protocol 112) from each peer (every other replica) must come in,
 * or more than one node becomes MASTER (split brain): unless the rules already accept it, the operator adds an inbound
 * ACCEPT rule of its own per peer, which Proxmox puts first; with an IPv6 VIP, one for each peer's IPv6 address as
 * well;</li>
 * <li>with {@code ipfilter} on as well, the container may only send from its configured addresses and the
 * {@value FirewallAction#IPFILTER_SET} set, so each VIP goes into that set (the set is created when missing).</li>
 * </ul>
 * A firewall that is off needs nothing. Rules, sets and entries the operator did not create are never changed; when
 * one of them defeats the operator's rule the finding says which. With {@code manageFirewall: false} nothing is
 * planned and the finding lists exactly what is missing. {@link #rollback} removes exactly what the operator owns.
 */
public final class FirewallPlanner {

    /** The condition this planner reports (kept here, as ConditionTypes belongs to the reconciler's core). */
    public static final String CONDITION = ConditionTypes.FIREWALL_READY;
    /** Where keepalived sends VRRP adverts; a rule restricted to another destination does not let them in. */
    static final String VRRP_GROUP = "224.0.0.18";
    static final String VRRP_GROUP6 = "ff02::12";
    private static final String MARKER_PREFIX = "traefikha:";

    private FirewallPlanner() {
    }

    /** The comment prefix that marks a rule, set or entry as owned by the resource with this UID. */
    public static String marker(String uid) {
        return MARKER_PREFIX + uid;
    }

    static boolean owned(String comment, String uid) {
        return comment != null && (comment.equals(marker(uid)) || comment.startsWith(marker(uid) + " "));
    }

    /** {@link #plan(boolean, String, List, List)} for an IPv4 VIP alone. */
    public static FirewallPlan plan(boolean manageFirewall, String uid, String vip, List<FirewallObservation> containers) {
        return plan(manageFirewall, uid, List.of(vip), containers);
    }

    /**
     * @param manageFirewall spec.proxmox.manageFirewall
     * @param vips           the VIPs (IPv4, then IPv6 if there is one), with or without prefix length
     * @param containers     every replica's container that exists, each with every peer address VRRP comes from (all
     *                       other replicas')
     */
    public static FirewallPlan plan(boolean manageFirewall, String uid, List<String> vips, List<FirewallObservation> containers) {
        List<String> vipAddresses = vips.stream().map(Cidr::hostOf).toList();
        List<FirewallAction> actions = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        for (FirewallObservation ct : containers) {
            if (!ct.enabled()) {
                fine.add("CT " + ct.vmid() + ": firewall off");
                continue;
            }
            int before = missing.size() + blocked.size();
            planVrrp(ct, uid, actions, missing, blocked);
            if (ct.ipfilter()) {
                planIpfilter(ct, uid, vipAddresses, actions, missing, blocked);
            }
            if (missing.size() + blocked.size() == before) {
                fine.add("CT " + ct.vmid() + ": VRRP from " + String.join(" and ", ct.peerAddresses()) + " accepted"
                        + (ct.ipfilter() ? ", VIP " + String.join(" and ", vipAddresses) + " in " + FirewallAction.IPFILTER_SET : ""));
            }
        }
        if (!manageFirewall) {
            if (missing.isEmpty() && blocked.isEmpty()) {
                return report(true, "Ready", String.join("; ", fine));
            }
            List<String> all = new ArrayList<>(missing);
            all.addAll(blocked);
            return report(false, "FirewallUnmanaged", "spec.proxmox.manageFirewall is false, so the operator changes nothing: "
                    + String.join("; ", all));
        }
        if (!blocked.isEmpty()) {
            return new FirewallPlan(actions, List.of(new Finding(CONDITION, false, "BlockedByForeignRule", String.join("; ", blocked))));
        }
        if (!missing.isEmpty()) {
            return new FirewallPlan(actions, List.of(new Finding(CONDITION, false, "Configuring", String.join("; ", missing))));
        }
        // owned leftovers (a stale rule or entry) may still be cleaned up while everything already works
        return new FirewallPlan(actions, List.of(new Finding(CONDITION, true, "Ready", String.join("; ", fine))));
    }

    /** Removes every rule, entry and set the operator owns on these containers, rules from the bottom up. */
    public static FirewallPlan rollback(String uid, List<FirewallObservation> containers) {
        List<FirewallAction> actions = new ArrayList<>();
        for (FirewallObservation ct : containers) {
            ct.rules().stream().filter(rule -> owned(rule.comment(), uid))
                    .sorted(Comparator.comparingInt(FirewallObservation.Rule::pos).reversed())
                    .forEach(rule -> actions.add(new FirewallAction.RemoveRule(ct.node(), ct.vmid(), rule.pos(), rule.comment(), rule.source())));
            FirewallObservation.IpSet set = ct.ipfilterSet();
            if (set == null) {
                continue;
            }
            set.entries().stream().filter(entry -> owned(entry.comment(), uid))
                    .forEach(entry -> actions.add(new FirewallAction.RemoveIpSetEntry(ct.node(), ct.vmid(), FirewallAction.IPFILTER_SET, entry.cidr())));
            boolean onlyOwnEntries = set.entries().stream().allMatch(entry -> owned(entry.comment(), uid));
            if (owned(set.comment(), uid) && onlyOwnEntries) {
                actions.add(new FirewallAction.DeleteIpSet(ct.node(), ct.vmid(), FirewallAction.IPFILTER_SET));
            }
        }
        return new FirewallPlan(actions, List.of());
    }

    private static void planVrrp(FirewallObservation ct, String uid, List<FirewallAction> actions, List<String> missing,
            List<String> blocked) {
        List<FirewallObservation.Rule> stale = ct.rules().stream().filter(rule -> owned(rule.comment(), uid)
                && ct.peerAddresses().stream().noneMatch(peer -> isOwnVrrpRule(rule, peer))).toList();
        // bottom up, so removing one does not move the others
        stale.stream().sorted(Comparator.comparingInt(FirewallObservation.Rule::pos).reversed())
                .forEach(rule -> actions.add(new FirewallAction.RemoveRule(ct.node(), ct.vmid(), rule.pos(), rule.comment(), rule.source())));
        for (String peer : ct.peerAddresses()) {
            boolean haveOwnRule = ct.rules().stream().anyMatch(rule -> owned(rule.comment(), uid) && isOwnVrrpRule(rule, peer));
            VrrpVerdict verdict = vrrpVerdict(ct, peer);
            if (verdict.accepted()) {
                continue;
            }
            if (haveOwnRule) {
                blocked.add("CT " + ct.vmid() + ": " + verdict.cause() + " comes before the operator's VRRP rule and may drop"
                        + " VRRP from " + peer + " (split brain); move that rule below it or let protocol 112 from " + peer + " pass");
                continue;
            }
            actions.add(new FirewallAction.AddVrrpRule(ct.node(), ct.vmid(), peer, marker(uid) + " keepalived VRRP from the peer"));
            missing.add("CT " + ct.vmid() + ": " + verdict.cause() + " drops VRRP (IP protocol 112) from " + peer
                    + ", so CT " + ct.vmid() + " and " + peer + " would both claim the VIP; needed: an inbound ACCEPT rule"
                    + " for protocol 112 from " + peer);
        }
    }

    private static void planIpfilter(FirewallObservation ct, String uid, List<String> vips, List<FirewallAction> actions,
            List<String> missing, List<String> blocked) {
        FirewallObservation.IpSet set = ct.ipfilterSet();
        List<FirewallObservation.Entry> entries = set == null ? List.of() : set.entries();
        entries.stream().filter(entry -> owned(entry.comment(), uid) && !vips.contains(entry.cidr()))
                .forEach(entry -> actions.add(new FirewallAction.RemoveIpSetEntry(ct.node(), ct.vmid(), FirewallAction.IPFILTER_SET, entry.cidr())));
        boolean createSet = set == null;
        for (String vip : vips) {
            boolean excluded = entries.stream().anyMatch(e -> e.nomatch() && FirewallAddress.contains(e.cidr(), vip) == Match.YES);
            if (excluded) {
                blocked.add("CT " + ct.vmid() + ": a nomatch entry of " + FirewallAction.IPFILTER_SET + " excludes the VIP " + vip
                        + ", so ipfilter drops its traffic; remove that entry");
                continue;
            }
            boolean included = entries.stream().anyMatch(e -> !e.nomatch() && FirewallAddress.contains(e.cidr(), vip) == Match.YES);
            if (included) {
                continue;
            }
            if (createSet) {
                actions.add(new FirewallAction.CreateIpSet(ct.node(), ct.vmid(), FirewallAction.IPFILTER_SET, marker(uid) + " created for the VIP"));
                createSet = false;
            }
            actions.add(new FirewallAction.AddIpSetEntry(ct.node(), ct.vmid(), FirewallAction.IPFILTER_SET, vip, marker(uid) + " keepalived VIP"));
            missing.add("CT " + ct.vmid() + ": ipfilter is on and the VIP " + vip + " is not in IP set " + FirewallAction.IPFILTER_SET
                    + (set == null ? " (there is no such set)" : "") + ", so traffic from the VIP is dropped; needed: " + vip
                    + " in " + FirewallAction.IPFILTER_SET);
        }
    }

    /** The rule the operator would write: enabled, inbound, ACCEPT, protocol 112 (or its name), from exactly the peer. */
    private static boolean isOwnVrrpRule(FirewallObservation.Rule rule, String peer) {
        return rule.enabled() && "in".equals(rule.type()) && "ACCEPT".equals(rule.action()) && isVrrp(rule.proto())
                && peer.equals(rule.source()) && rule.dest() == null && rule.macro() == null;
    }

    private static boolean isVrrp(String proto) {
        return FirewallAction.VRRP_PROTOCOL.equals(proto) || "vrrp".equalsIgnoreCase(proto);
    }

    private record VrrpVerdict(boolean accepted, String cause) {
    }

    /**
     * What the firewall does with a VRRP advert from the peer: the first enabled inbound rule that matches decides,
     * else the inbound policy. A rule that might match (an IP set or alias as source, a destination, a macro, a
     * security group) is trusted when it drops and ignored when it accepts, so the answer errs on the side of adding
     * the operator's rule.
     */
    private static VrrpVerdict vrrpVerdict(FirewallObservation ct, String peer) {
        for (FirewallObservation.Rule rule : ct.rules()) {
            if (!rule.enabled() || "out".equals(rule.type()) || "forward".equals(rule.type())) {
                continue;
            }
            Match match = matchesVrrpFromPeer(rule, peer);
            if (match == Match.NO) {
                continue;
            }
            boolean accepts = "in".equals(rule.type()) && "ACCEPT".equals(rule.action());
            if (accepts && match == Match.YES) {
                return new VrrpVerdict(true, null);
            }
            if (!accepts) {
                return new VrrpVerdict(false, "rule " + rule.pos() + " (" + rule.action() + ")");
            }
        }
        boolean policyAccepts = "ACCEPT".equals(ct.policyIn());
        return new VrrpVerdict(policyAccepts, "inbound policy " + ct.policyIn());
    }

    private static Match matchesVrrpFromPeer(FirewallObservation.Rule rule, String peer) {
        if ("group".equals(rule.type()) || rule.macro() != null) {
            return Match.UNKNOWN;
        }
        if (rule.proto() != null && !isVrrp(rule.proto())) {
            return Match.NO;
        }
        if (rule.iface() != null && !rule.iface().equals("net0")) {
            return Match.NO;
        }
        Match source = FirewallAddress.contains(rule.source(), peer);
        Match dest = FirewallAddress.contains(rule.dest(), peer.contains(":") ? VRRP_GROUP6 : VRRP_GROUP);
        if (source == Match.NO || dest == Match.NO) {
            return Match.NO;
        }
        return source == Match.YES && dest == Match.YES ? Match.YES : Match.UNKNOWN;
    }

    private static FirewallPlan report(boolean ok, String reason, String message) {
        return new FirewallPlan(List.of(), List.of(new Finding(CONDITION, ok, reason, message)));
    }
}
