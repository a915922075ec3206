package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One rule of a container's firewall as GET firewall/rules lists it. {@code pos} is its index (0 = evaluated first)
 * and changes when rules above it are added or removed; {@code digest} covers the whole list. {@code action} is
 * ACCEPT, DROP, REJECT or, for type "group", a security group name.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FirewallRule(int pos, String type, String action, String macro, String iface, String source, String dest,
        String proto, String dport, String sport, String log, String comment, @JsonProperty("enable") Integer enable,
        String digest) {

    public boolean enabled() {
        return enable != null && enable == 1;
    }

    public boolean inbound() {
        return "in".equals(type);
    }
}
