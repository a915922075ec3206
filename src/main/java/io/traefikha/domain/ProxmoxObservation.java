package io.traefikha.domain;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Proxmox showed this reconcile about the containers.
 *
 * @param primary     the primary CT
 * @param secondaries each secondary's role to the CT with its VMID (missing when there is none), in role order
 * @param storages    the cluster's storages per node, read while a secondary is missing or not on its node (where its
 *                    disks go decides between a clone straight onto the node and a clone then a migration)
 */
public record ProxmoxObservation(ContainerObservation primary, Map<Role, ContainerObservation> secondaries,
        StorageView storages) {

    public ProxmoxObservation {
        secondaries = Collections.unmodifiableMap(new TreeMap<>(secondaries));
    }

    /** A pair's two containers. */
    public ProxmoxObservation(ContainerObservation primary, ContainerObservation secondary, StorageView storages) {
        this(primary, Map.of(Role.SECONDARY, secondary), storages);
    }

    /** A pair's two containers, storages not read. */
    public ProxmoxObservation(ContainerObservation primary, ContainerObservation secondary) {
        this(primary, secondary, StorageView.UNREAD);
    }

    /** The container of this role (missing for a role that was not looked up). */
    public ContainerObservation container(Role role) {
        return role == Role.PRIMARY ? primary : secondaries.getOrDefault(role, ContainerObservation.missing());
    }

    /** The first secondary's container. */
    public ContainerObservation secondary() {
        return container(Role.SECONDARY);
    }
}
