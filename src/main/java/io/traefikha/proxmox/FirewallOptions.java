package io.traefikha.proxmox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * GET firewall/options of a container. Proxmox returns only the options set in the container's firewall file (plus
 * {@code digest}), so the accessors apply the defaults pve-firewall uses: firewall off, inbound DROP, outbound
 * ACCEPT, ipfilter off, MAC filter on.
 */
public record FirewallOptions(Map<String, Object> values) {

    public FirewallOptions {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public boolean enabled() {
        return flag("enable", false);
    }

    /** Unset means DROP: a container firewall lets nothing in that no rule accepts. */
    public FirewallVerdict policyIn() {
        return verdict("policy_in", FirewallVerdict.DROP);
    }

    public FirewallVerdict policyOut() {
        return verdict("policy_out", FirewallVerdict.ACCEPT);
    }

    /** With ipfilter on, the container may only send from its configured addresses and the ipfilter-netN set. */
    public boolean ipfilter() {
        return flag("ipfilter", false);
    }

    public boolean macfilter() {
        return flag("macfilter", true);
    }

    public boolean dhcp() {
        return flag("dhcp", false);
    }

    public boolean ndp() {
        return flag("ndp", false);
    }

    public boolean radv() {
        return flag("radv", false);
    }

    public Optional<String> logLevelIn() {
        return string("log_level_in");
    }

    public Optional<String> logLevelOut() {
        return string("log_level_out");
    }

    public String digest() {
        return string("digest").orElseThrow(() -> new IllegalStateException("firewall options without digest"));
    }

    private Optional<String> string(String key) {
        return Optional.ofNullable(values.get(key)).map(Object::toString);
    }

    private boolean flag(String key, boolean otherwise) {
        return string(key).map("1"::equals).orElse(otherwise);
    }

    private FirewallVerdict verdict(String key, FirewallVerdict otherwise) {
        return string(key).map(FirewallVerdict::valueOf).orElse(otherwise);
    }
}
