package io.traefikha.domain;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Proxmox shows that preflight judges, read only while preflight runs (before the first change, and after a
 * spec change it depends on).
 *
 * @param primary     the primary CT's size and kind, from its config
 * @param secondaries each secondary's role to what Proxmox shows of it, in role order
 */
public record ProxmoxReadiness(Primary primary, Map<Role, Secondary> secondaries) {

    public ProxmoxReadiness {
        secondaries = Collections.unmodifiableMap(new TreeMap<>(secondaries));
    }

    /** A pair's one secondary. */
    public ProxmoxReadiness(Primary primary, boolean secondaryExists, boolean secondaryPlaced, Target target) {
        this(primary, Map.of(Role.SECONDARY, new Secondary(secondaryExists, secondaryPlaced, target)));
    }

    /**
     * @param exists a CT with the secondary's VMID exists
     * @param placed that CT carries the secondary's own address (it has been started with it, or is about to be)
     * @param target the secondary's node, read only while the secondary does not exist (null then)
     */
    public record Secondary(boolean exists, boolean placed, Target target) {
    }

    /** What Proxmox shows of this secondary (not the primary). */
    public Secondary secondary(Role role) {
        Secondary secondary = secondaries.get(role);
        if (secondary == null) {
            throw new IllegalArgumentException("preflight did not read the " + role.label());
        }
        return secondary;
    }

    /** Whether every secondary exists: nothing is still to be cloned from the primary. */
    public boolean allSecondariesExist() {
        return secondaries.values().stream().allMatch(Secondary::exists);
    }

    /**
     * @param memoryMib    the CT's {@code memory}
     * @param diskBytes    its disks' sizes by storage id (rootfs and mount points)
     * @param unprivileged the CT runs unprivileged (user namespace)
     * @param features     its {@code features} option as set, empty when none
     */
    public record Primary(boolean found, String node, long memoryMib, Map<String, Long> diskBytes, boolean unprivileged,
            String features) {

        public static final Primary NOT_FOUND = new Primary(false, null, 0, Map.of(), false, "");

        public Primary {
            diskBytes = Map.copyOf(diskBytes);
        }
    }

    public enum NodeState { ONLINE, OFFLINE, MISSING }

    /**
     * @param freeMemoryBytes the node's free memory (GET /nodes/{node}/status); 0 unless online, null when the token
     *                        may not read it (Sys.Audit on /nodes/{node})
     * @param storages        the storages enabled on the node that the token may see, by id; empty unless online
     */
    public record Target(String node, NodeState state, Long freeMemoryBytes, Map<String, Storage> storages) {

        public Target {
            storages = Map.copyOf(storages);
        }
    }

    /** @param availBytes free space, null when Proxmox does not report it (an inactive storage) */
    public record Storage(boolean active, boolean holdsContainers, Long availBytes) {
    }
}
