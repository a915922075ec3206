package io.traefikha.proxmox;

/**
 * POST firewall/rules. Proxmox puts a new rule at the top (position 0) and stores it disabled unless {@code enable}
 * is sent, so this request enables it unless told otherwise. {@code proto} takes a name or number from
 * /etc/protocols ("vrrp" and "112" are the same).
 */
public final class FirewallRuleRequest {

    private final FormParams params = FormParams.create();
    private boolean enabled = true;

    private FirewallRuleRequest(String type, FirewallVerdict action) {
        params.put("type", type).put("action", action.name());
    }

    public static FirewallRuleRequest inbound(FirewallVerdict action) {
        return new FirewallRuleRequest("in", action);
    }

    public static FirewallRuleRequest outbound(FirewallVerdict action) {
        return new FirewallRuleRequest("out", action);
    }

    public FirewallRuleRequest proto(String protocol) {
        params.put("proto", protocol);
        return this;
    }

    /** An address, CIDR, range, list, alias or "+ipset". */
    public FirewallRuleRequest source(String addressSpec) {
        params.put("source", addressSpec);
        return this;
    }

    public FirewallRuleRequest dest(String addressSpec) {
        params.put("dest", addressSpec);
        return this;
    }

    public FirewallRuleRequest dport(String ports) {
        params.put("dport", ports);
        return this;
    }

    /** A key of the container's network config ("net0"). */
    public FirewallRuleRequest iface(String netKey) {
        params.put("iface", netKey);
        return this;
    }

    public FirewallRuleRequest comment(String text) {
        params.put("comment", text);
        return this;
    }

    public FirewallRuleRequest disabled() {
        this.enabled = false;
        return this;
    }

    /** Fails with a digest mismatch if the rule list changed since it was read. */
    public FirewallRuleRequest digest(String rulesDigest) {
        params.put("digest", rulesDigest);
        return this;
    }

    FormParams toParams() {
        // enable is an integer in the schema (0 - N), so it is sent as a number, which FormParams does for booleans too
        return FormParams.create().putAll(params.asMap()).put("enable", enabled);
    }
}
