package io.traefikha.proxmox;

/**
 * PUT firewall/options: the options to set, the ones to reset to their default, and the digest they are based on.
 * Options without a typed setter (dhcp, ndp, radv, log_level_in, log_level_out) go through {@link #set}.
 */
public final class FirewallOptionsUpdate extends OptionsUpdate<FirewallOptionsUpdate> {

    public static FirewallOptionsUpdate create() {
        return new FirewallOptionsUpdate();
    }

    public FirewallOptionsUpdate enable(boolean value) {
        return set("enable", value);
    }

    public FirewallOptionsUpdate policyIn(FirewallVerdict value) {
        return set("policy_in", value.name());
    }

    public FirewallOptionsUpdate policyOut(FirewallVerdict value) {
        return set("policy_out", value.name());
    }

    public FirewallOptionsUpdate ipfilter(boolean value) {
        return set("ipfilter", value);
    }

    public FirewallOptionsUpdate macfilter(boolean value) {
        return set("macfilter", value);
    }
}
