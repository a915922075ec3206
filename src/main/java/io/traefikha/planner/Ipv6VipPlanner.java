package io.traefikha.planner;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Who holds the IPv6 VIP, from the same probe as the IPv4 one (its global IPv6 addresses), and whether both families
 * sit on the same node: keepalived's sync group moves them together, so two holders mean the group is broken (or
 * someone else's address) and IPv6 clients reach another node than IPv4 clients. Pure.
 */
public final class Ipv6VipPlanner {

    public static final String WITH_IPV4_VIP = "WithIPv4VIP";
    public static final String SPLIT_FAMILIES = "SplitFamilies";
    public static final String NOT_HELD = "NotHeld";
    public static final String NO_HOLDER = "NoHolder";
    public static final String NOT_REPORTED = "NotReported";

    private Ipv6VipPlanner() {
    }

    /**
     * @param holders the nodes that hold the IPv6 VIP (reachable, the address on their interface), in role order
     * @param conditionStatus IPv6VIPHeld's status: True together, False split or missing, Unknown when it cannot tell
     */
    public record Judgement(List<Role> holders, String conditionStatus, String reason, String message) {
        public Judgement {
            holders = List.copyOf(holders);
        }
    }

    /**
     * @param vip6 the IPv6 VIP without prefix length, canonical
     * @param probes this round's probes
     * @param ipv4Holders who holds the IPv4 VIP ({@link NodePlan#holders()})
     * @param hostnames each role's host name, for the message
     */
    public static Judgement judge(String vip6, Map<Role, NodeObservation> probes, List<Role> ipv4Holders,
            Map<Role, String> hostnames) {
        List<NodeObservation> reachable = probes.values().stream().filter(NodeObservation::reachable).toList();
        List<Role> holders = reachable.stream().filter(n -> n.ipv6Addresses() != null && n.ipv6Addresses().contains(vip6))
                .map(NodeObservation::role).sorted().toList();
        List<Role> unreported = reachable.stream().filter(n -> n.ipv6Addresses() == null).map(NodeObservation::role)
                .sorted().toList();
        if (!unreported.isEmpty()) {
            return new Judgement(holders, Condition.UNKNOWN, NOT_REPORTED, "the probe of " + names(unreported, hostnames)
                    + " did not report its IPv6 addresses");
        }
        if (new HashSet<>(holders).equals(new HashSet<>(ipv4Holders))) {
            return holders.isEmpty()
                    ? new Judgement(holders, Condition.UNKNOWN, NO_HOLDER, "no node holds either VIP (see VIPHealthy)")
                    : new Judgement(holders, Condition.TRUE, WITH_IPV4_VIP, names(holders, hostnames)
                            + (holders.size() > 1 ? " hold" : " holds") + " the IPv6 VIP " + vip6 + " beside the IPv4 VIP");
        }
        if (holders.isEmpty()) {
            return new Judgement(holders, Condition.FALSE, NOT_HELD, names(ipv4Holders, hostnames)
                    + (ipv4Holders.size() > 1 ? " hold" : " holds") + " the IPv4 VIP"
                    + " but no node holds the IPv6 VIP " + vip6 + ": IPv6 clients get no answer. keepalived adds both"
                    + " together; see its log and `ip -6 addr` on the node (dadfailed: another host on the LAN has it)");
        }
        return new Judgement(holders, Condition.FALSE, SPLIT_FAMILIES, "the IPv4 VIP is held by "
                + (ipv4Holders.isEmpty() ? "no node" : names(ipv4Holders, hostnames)) + " and the IPv6 VIP " + vip6 + " by "
                + names(holders, hostnames) + ": IPv6 clients reach another node than IPv4 clients. keepalived's sync"
                + " group moves both together; an address added by hand, or a keepalived not running the configuration"
                + " written, splits them");
    }

    private static String names(List<Role> roles, Map<Role, String> hostnames) {
        return roles.stream().map(r -> "the " + r.label() + " (" + hostnames.get(r) + ")").collect(Collectors.joining(" and "));
    }
}
