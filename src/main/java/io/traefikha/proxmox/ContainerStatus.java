package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A container as GET /nodes/{node}/lxc lists it, or as status/current reports it (authoritative power state).
 * {@code vmid} arrives as a number since PVE 8.1 and as a string before; both map here.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerStatus(int vmid, String name, String status, String lock, boolean template, long uptime,
        String tags, Long pid, JsonNode ha) {

    public boolean running() {
        return "running".equals(status);
    }

    public boolean locked() {
        return lock != null && !lock.isEmpty();
    }

    /** Only status/current says this; list entries have no ha object. */
    public boolean haManaged() {
        return ha != null && ha.path("managed").asInt(0) == 1;
    }
}
