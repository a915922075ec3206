package io.traefikha.domain;

/**
 * One change to a container's Proxmox firewall, only ever to rules, sets and entries the operator owns (their comment
 * starts with {@code traefikha:} and the owning resource's UID). Described in words for status.plannedActions and
 * Events.
 */
public sealed interface FirewallAction extends Action {

    /** The IP set ipfilter uses for net0, the interface the VIP lives on. */
    String IPFILTER_SET = "ipfilter-net0";
    /** VRRP's IP protocol number; rules may also name it "vrrp". */
    String VRRP_PROTOCOL = "112";

    String node();

    int vmid();

    @Override
    default String eventReason() {
        return "FirewallChanged";
    }

    @Override
    default void carryOut(Executor executor) {
        executor.firewall(this);
    }

    /** An inbound ACCEPT for IP protocol 112 from the peer; Proxmox puts it first, ahead of every other rule. */
    record AddVrrpRule(String node, int vmid, String peerAddress, String comment) implements FirewallAction {
        public String describe() {
            return "allow VRRP (IP protocol 112) from " + peerAddress + " into CT " + vmid + " with a firewall rule the operator owns";
        }
    }

    /**
     * Removes an owned rule. {@code pos} is where it was observed; positions shift when rules change, so whoever
     * applies this finds the rule again by its comment and source before deleting it.
     */
    record RemoveRule(String node, int vmid, int pos, String comment, String source) implements FirewallAction {
        public String describe() {
            return "remove the operator's firewall rule at position " + pos + " of CT " + vmid
                    + (source != null ? " (source " + source + ")" : "");
        }
    }

    record CreateIpSet(String node, int vmid, String name, String comment) implements FirewallAction {
        public String describe() {
            return "create IP set " + name + " on CT " + vmid;
        }
    }

    record AddIpSetEntry(String node, int vmid, String set, String cidr, String comment) implements FirewallAction {
        public String describe() {
            return "add " + cidr + " to IP set " + set + " of CT " + vmid + " so ipfilter lets the VIP through";
        }
    }

    record RemoveIpSetEntry(String node, int vmid, String set, String cidr) implements FirewallAction {
        public String describe() {
            return "remove the operator's entry " + cidr + " from IP set " + set + " of CT " + vmid;
        }
    }

    /** Only a set the operator created, once none but its own entries were in it. */
    record DeleteIpSet(String node, int vmid, String name) implements FirewallAction {
        public String describe() {
            return "delete IP set " + name + " of CT " + vmid + ", which the operator created";
        }
    }
}
