package io.traefikha.domain;

import java.util.List;

/**
 * What one container's Proxmox firewall looks like, as far as the VIP cares, with Proxmox's defaults already applied
 * (an unset inbound policy is DROP).
 *
 * @param peerAddress  the other container's address (no prefix length), whose VRRP adverts must come in
 * @param policyIn     ACCEPT, REJECT or DROP
 * @param rules        in evaluation order ({@code pos} ascending)
 * @param ipfilterSet  the {@value FirewallAction#IPFILTER_SET} IP set, null when the container has none
 * @param peerAddress6 the other container's IPv6 address, whose IPv6 VRRP adverts must come in; null without an IPv6
 *                     VIP with unicast adverts
 */
public record FirewallObservation(String node, int vmid, String peerAddress, boolean enabled, String policyIn,
        boolean ipfilter, List<Rule> rules, IpSet ipfilterSet, String peerAddress6) {

    public FirewallObservation {
        rules = List.copyOf(rules);
    }

    public FirewallObservation(String node, int vmid, String peerAddress, boolean enabled, String policyIn,
            boolean ipfilter, List<Rule> rules, IpSet ipfilterSet) {
        this(node, vmid, peerAddress, enabled, policyIn, ipfilter, rules, ipfilterSet, null);
    }

    /** The same firewall judged for an IPv6 peer as well (the firewall's reading does not depend on the peer). */
    public FirewallObservation withPeerAddress6(String address) {
        return new FirewallObservation(node, vmid, peerAddress, enabled, policyIn, ipfilter, rules, ipfilterSet, address);
    }

    /** Every address of the peer whose VRRP adverts must come in: IPv4, then IPv6 if there is one. */
    public List<String> peerAddresses() {
        return peerAddress6 == null ? List.of(peerAddress) : List.of(peerAddress, peerAddress6);
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
