package io.traefikha.domain;

import java.util.List;

/**
 * What one container's Proxmox firewall looks like, as far as the VIP cares, with Proxmox's defaults already applied
 * (an unset inbound policy is DROP).
 *
 * @param peerAddresses every other replica's address (no prefix length) whose VRRP adverts must come in: IPv4, then
 *                      IPv6 with an IPv6 VIP's unicast adverts; empty as read, before {@link #withPeerAddresses}
 * @param policyIn      ACCEPT, REJECT or DROP
 * @param rules         in evaluation order ({@code pos} ascending)
 * @param ipfilterSet   the {@value FirewallAction#IPFILTER_SET} IP set, null when the container has none
 */
public record FirewallObservation(String node, int vmid, List<String> peerAddresses, boolean enabled, String policyIn,
        boolean ipfilter, List<Rule> rules, IpSet ipfilterSet) {

    public FirewallObservation {
        peerAddresses = List.copyOf(peerAddresses);
        rules = List.copyOf(rules);
    }

    /** The firewall as read, judged for no peer yet. */
    public FirewallObservation(String node, int vmid, boolean enabled, String policyIn, boolean ipfilter, List<Rule> rules,
            IpSet ipfilterSet) {
        this(node, vmid, List.of(), enabled, policyIn, ipfilter, rules, ipfilterSet);
    }

    /** The same firewall judged for these peers (the firewall's reading does not depend on them). */
    public FirewallObservation withPeerAddresses(List<String> addresses) {
        return new FirewallObservation(node, vmid, addresses, enabled, policyIn, ipfilter, rules, ipfilterSet);
    }

    /** A firewall rule; {@code type} in, out or group, {@code action} ACCEPT, DROP, REJECT or a security group. */
    public record Rule(int pos, String type, String action, String proto, String source, String dest, String macro,
            String iface, boolean enabled, String comment) {
    }

    public record IpSet(String comment, List<Entry> entries) {

        public IpSet {
            entries = List.copyOf(entries);
        }
    }

    /** An IP set member; {@code nomatch} entries exclude their addresses. */
    public record Entry(String cidr, String comment, boolean nomatch) {
    }
}
