package io.traefikha.domain;

/**
 * What Proxmox showed this reconcile about the two containers.
 *
 * @param primary                the primary CT
 * @param secondary              the CT with the secondary's VMID (missing when there is none)
 * @param storageShared          the primary's volumes are on shared storage, so a clone can land on another node directly;
 *                               otherwise it is cloned on the primary's node and migrated
 */
public record ProxmoxObservation(ContainerObservation primary, ContainerObservation secondary, boolean storageShared) {

    /** The container of this role. */
    public ContainerObservation container(Role role) {
        return role == Role.PRIMARY ? primary : secondary;
    }
}
