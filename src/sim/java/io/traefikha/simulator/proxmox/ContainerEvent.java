package io.traefikha.simulator.proxmox;

import java.util.Map;

/**
 * Something that happened to a simulated container, after the fact. {@code config} is the container's config at
 * that moment (raw option strings; empty for DESTROYED).
 */
public record ContainerEvent(Type type, int vmid, String node, Map<String, String> config) {

    public enum Type {
        CREATED, STARTED, STOPPED, RECONFIGURED, MIGRATED, DESTROYED
    }
}
