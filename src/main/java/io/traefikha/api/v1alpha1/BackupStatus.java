package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The backup of the primary the operator took before its first change (mirrors the state ConfigMap). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupStatus {

    @JsonPropertyDescription("Vzdump.")
    public String mode;

    @JsonPropertyDescription("The backup's volume id, e.g. local:backup/vzdump-lxc-110-2026_12_05-14_03_20.tar.zst"
            + " (restore: pct restore <vmid> <volid>).")
    public String volid;

    @JsonPropertyDescription("The storage the vzdump backup is on.")
    public String storage;

    @JsonPropertyDescription("The Proxmox node the backup was taken on.")
    public String node;

    @JsonPropertyDescription("When the backup was asked for (RFC 3339).")
    public String requestedAt;

    @JsonPropertyDescription("When the backup was found complete (RFC 3339); absent while it is being taken.")
    public String takenAt;

    @JsonPropertyDescription("The vzdump task (UPID), for its log in the Proxmox GUI.")
    public String upid;

    public BackupStatus() {
    }
}
