package io.traefikha.domain;

/**
 * What Proxmox showed this reconcile about the two containers, plus the facts earlier reconciles learned.
 *
 * @param primary                the primary CT
 * @param secondary              the CT with the secondary's VMID (missing when there is none)
 * @param storageShared          the primary's volumes are on shared storage, so a clone can land on another node directly;
 *                               otherwise it is cloned on the primary's node and migrated
 * @param snapshotUnsupported    an earlier snapshot of the primary failed because its storage cannot snapshot
 * @param primaryStoppedForClone the operator shut the primary down for a clone (cloneStrategy StopPrimary) and owes it
 *                               a start
 */
public record ProxmoxObservation(ContainerObservation primary, ContainerObservation secondary, boolean storageShared,
        boolean snapshotUnsupported, boolean primaryStoppedForClone) {

    /** The container of this role. */
    public ContainerObservation container(Role role) {
        return role == Role.PRIMARY ? primary : secondary;
    }
}
