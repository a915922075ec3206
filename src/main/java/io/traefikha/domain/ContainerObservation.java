package io.traefikha.domain;

import java.util.List;
import java.util.Set;

/**
 * One LXC as Proxmox showed it this reconcile (status/current and config, not the lagging cluster view).
 *
 * @param exists      whether a CT with the VMID exists anywhere in the cluster
 * @param node        the Proxmox node whose config holds it
 * @param running     power state from status/current
 * @param lock        the config lock (create, disk, migrate, ...) or null
 * @param hostname    config hostname
 * @param net0        parsed net0, or null when the CT has none
 * @param onboot      config onboot
 * @param tags        config tags, lower-case
 * @param description config description (may carry the ownership marker)
 * @param digest      config digest, sent back with a change so a concurrent edit is refused
 * @param snapshots   snapshot names
 * @param rootfsStorage the storage id of the rootfs volume (local-lvm of local-lvm:vm-110-disk-0), null if unknown
 */
public record ContainerObservation(boolean exists, String node, boolean running, String lock, String hostname,
        NetworkConfig net0, boolean onboot, Set<String> tags, String description, String digest, List<String> snapshots,
        String rootfsStorage) {

    /** A container whose rootfs storage does not matter to the caller. */
    public ContainerObservation(boolean exists, String node, boolean running, String lock, String hostname,
            NetworkConfig net0, boolean onboot, Set<String> tags, String description, String digest, List<String> snapshots) {
        this(exists, node, running, lock, hostname, net0, onboot, tags, description, digest, snapshots, null);
    }

    public static ContainerObservation missing() {
        return new ContainerObservation(false, null, false, null, null, null, false, Set.of(), null, null, List.of());
    }

    /**
     * Whether net0 carries {@code address}. A clone carries the primary's address until the operator gives it its own,
     * so a secondary without its address is still being placed; one with it has been placed and is followed wherever
     * Proxmox moves it.
     */
    public boolean hasAddress(String address) {
        return net0 != null && address != null && address.equals(net0.ip());
    }

    public boolean locked() {
        return lock != null && !lock.isEmpty();
    }

    /**
     * The parts of a CT's net0 the operator cares about; other keys (hwaddr, firewall, tag...) are kept as they are.
     * {@code ip6} is Proxmox's ip6 value (a CIDR, auto, dhcp or manual), null when net0 has none.
     */
    public record NetworkConfig(String name, String bridge, String ip, String gateway, String hwaddr, String ip6) {

        public NetworkConfig(String name, String bridge, String ip, String gateway, String hwaddr) {
            this(name, bridge, ip, gateway, hwaddr, null);
        }
    }
}
