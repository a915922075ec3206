package io.traefikha.proxmox;

import java.util.ArrayList;
import java.util.List;

/** PUT firewall/options: the options to set, the ones to reset to their default, and the digest they are based on. */
public final class FirewallOptionsUpdate {

    private final FormParams set = FormParams.create();
    private final List<String> delete = new ArrayList<>();
    private String digest;

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

    /** Any other option of the schema (dhcp, ndp, radv, log_level_in, log_level_out). */
    public FirewallOptionsUpdate set(String option, Object value) {
        set.put(option, value);
        return this;
    }

    /** Removes the option from the file, so its default applies again. */
    public FirewallOptionsUpdate delete(String option) {
        delete.add(option);
        return this;
    }

    public FirewallOptionsUpdate digest(String optionsDigest) {
        this.digest = optionsDigest;
        return this;
    }

    FormParams toParams() {
        FormParams params = FormParams.create().putAll(set.asMap());
        if (!delete.isEmpty()) {
            params.put("delete", String.join(",", delete));
        }
        return params.put("digest", digest);
    }
}
