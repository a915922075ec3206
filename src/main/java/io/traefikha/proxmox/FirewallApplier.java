package io.traefikha.proxmox;

import io.traefikha.domain.FirewallAction;
import io.traefikha.domain.FirewallObservation;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a container's firewall for the firewall planner and carries out its actions through the Proxmox API.
 * Rule positions move whenever a rule is added or removed, so a removal looks its rule up again (by its comment and
 * source) in a fresh list and deletes it with that list's digest: a concurrent edit makes Proxmox refuse rather than
 * hit someone else's rule. Stops at the first failure (the exception says which call failed).
 */
public final class FirewallApplier {

    private final ProxmoxApi api;

    public FirewallApplier(ProxmoxApi api) {
        this.api = api;
    }

    /** Three reads (options, rules, IP sets) and a fourth for the ipfilter set's entries when it exists. */
    public FirewallObservation observe(String node, int vmid) {
        FirewallOptions options = api.firewallOptions(node, vmid);
        List<FirewallObservation.Rule> rules = api.firewallRules(node, vmid).stream()
                .sorted(Comparator.comparingInt(FirewallRule::pos))
                .map(r -> new FirewallObservation.Rule(r.pos(), r.type(), r.action(), r.proto(), r.source(), r.dest(), r.macro(),
                        r.iface(), r.enabled(), r.comment()))
                .toList();
        Optional<IpSet> set = api.ipSets(node, vmid).stream().filter(s -> s.name().equals(FirewallAction.IPFILTER_SET)).findFirst();
        FirewallObservation.IpSet ipfilterSet = set.map(s -> new FirewallObservation.IpSet(s.comment(),
                api.ipSetEntries(node, vmid, s.name()).stream()
                        .map(e -> new FirewallObservation.Entry(e.cidr(), e.comment(), e.excludes())).toList()))
                .orElse(null);
        return new FirewallObservation(node, vmid, options.enabled(), options.policyIn().name(), options.ipfilter(),
                rules, ipfilterSet);
    }

    public void apply(List<FirewallAction> actions) {
        actions.forEach(this::apply);
    }

    private void apply(FirewallAction action) {
        if (action instanceof FirewallAction.AddVrrpRule add) {
            api.createFirewallRule(add.node(), add.vmid(), FirewallRuleRequest.inbound(FirewallVerdict.ACCEPT)
                    .proto(FirewallAction.VRRP_PROTOCOL).source(add.peerAddress()).comment(add.comment()));
        } else if (action instanceof FirewallAction.RemoveRule remove) {
            removeRule(remove);
        } else if (action instanceof FirewallAction.CreateIpSet create) {
            api.createIpSet(create.node(), create.vmid(), create.name(), create.comment());
        } else if (action instanceof FirewallAction.AddIpSetEntry add) {
            api.addIpSetEntry(add.node(), add.vmid(), add.set(), add.cidr(), add.comment());
        } else if (action instanceof FirewallAction.RemoveIpSetEntry remove) {
            List<IpSetEntry> entries = api.ipSetEntries(remove.node(), remove.vmid(), remove.set());
            String digest = entries.isEmpty() ? null : entries.get(0).digest();
            api.removeIpSetEntry(remove.node(), remove.vmid(), remove.set(), remove.cidr(), digest);
        } else if (action instanceof FirewallAction.DeleteIpSet delete) {
            api.deleteIpSet(delete.node(), delete.vmid(), delete.name());
        } else {
            throw new IllegalArgumentException("unknown firewall action " + action);
        }
    }

    /** The rule at the observed position if it is still the same one, else wherever it moved; gone = done. */
    private void removeRule(FirewallAction.RemoveRule remove) {
        List<FirewallRule> rules = api.firewallRules(remove.node(), remove.vmid());
        Optional<FirewallRule> target = rules.stream().filter(r -> r.pos() == remove.pos() && sameRule(r, remove)).findFirst()
                .or(() -> rules.stream().filter(r -> sameRule(r, remove)).findFirst());
        target.ifPresent(rule -> api.deleteFirewallRule(remove.node(), remove.vmid(), rule.pos(), rule.digest()));
    }

    private static boolean sameRule(FirewallRule rule, FirewallAction.RemoveRule remove) {
        return remove.comment().equals(rule.comment()) && Objects.equals(remove.source(), rule.source());
    }
}
