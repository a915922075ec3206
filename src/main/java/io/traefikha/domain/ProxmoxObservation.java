package io.traefikha.domain;

/**
 * What Proxmox showed this reconcile about the two containers.
 *
 * @param primary   the primary CT
 * @param secondary the CT with the secondary's VMID (missing when there is none)
 * @param storages  the cluster's storages per node, read while the secondary is missing or not on its node (where
 *                  its disks go decides between a clone straight onto the node and a clone then a migration)
 */
public record ProxmoxObservation(ContainerObservation primary, ContainerObservation secondary, StorageView storages) {

    /** Both containers, storages not read. */
    public ProxmoxObservation(ContainerObservation primary, ContainerObservation secondary) {
        this(primary, secondary, StorageView.UNREAD);
    }

    /** The container of this role. */
    public ContainerObservation container(Role role) {
        return role == Role.PRIMARY ? primary : secondary;
    }
}
