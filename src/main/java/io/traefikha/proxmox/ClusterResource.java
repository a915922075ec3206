package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One guest of GET /cluster/resources?type=vm. Where a guest lives and its lock are current; {@code status} and
 * {@code name} lag (status daemon broadcast) and may be "unknown": ask status/current for the power state.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterResource(String id, String type, Integer vmid, String node, String status, String name,
        boolean template, String lock, String tags) {

    public boolean isContainer() {
        return "lxc".equals(type);
    }
}
