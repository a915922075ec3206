package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** The standby container the operator clones from the primary and owns. */
public class SecondarySpec extends ContainerSpec {

    @Pattern(Patterns.DNS_LABEL)
    @JsonPropertyDescription("Proxmox storage for the secondary's disks; it must be enabled on secondary.node and hold"
            + " container disks (content rootdir). Shared storage (NFS, Ceph) is cloned straight onto the node; local"
            + " storage is cloned beside the primary and migrated with target-storage. Default: the storage of the"
            + " primary's rootfs (the same id on the secondary's node, e.g. local-lvm).")
    public String storage;

    @Pattern("^[A-Za-z0-9_.-]+$")
    @JsonPropertyDescription("Proxmox resource pool to put the secondary in.")
    public String pool;

    @Default("true")
    @JsonPropertyDescription("Full clone (independent disks, required to place the secondary on another node without shared"
            + " storage). A linked clone needs the primary to be a template.")
    public boolean full = true;

    @Default("Snapshot")
    @JsonPropertyDescription("How a running primary is cloned: Snapshot clones from a temporary snapshot without downtime;"
            + " StopPrimary stops the primary for the length of the clone (only for storage that cannot snapshot).")
    public CloneStrategy cloneStrategy = CloneStrategy.Snapshot;

    @Default("false")
    @JsonPropertyDescription("Adopt an existing container with this VMID that the operator did not create (for example one"
            + " made by hand following the manual runbook). Without it such a container is reported as a Conflict and"
            + " left untouched.")
    public boolean adoptExisting;

    /** How the primary may be cloned. */
    public enum CloneStrategy {
        Snapshot,
        StopPrimary
    }
}
