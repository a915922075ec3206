package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** The backup of the primary the operator takes once, before it changes anything on it. */
public class BackupSpec {

    /** pve-storage's storage id format (pve-storage-id). */
    static final String STORAGE_ID = "^[a-zA-Z][a-zA-Z0-9_.-]*[a-zA-Z0-9]$";

    @Default("Vzdump")
    @JsonPropertyDescription("Vzdump: a vzdump backup (snapshot mode, no downtime; zstd) of the primary to backup.storage,"
            + " restorable with pct restore or the GUI's Backups tab. None: no backup (you have your own).")
    public Mode mode = Mode.Vzdump;

    @Pattern(STORAGE_ID)
    @Default("local")
    @JsonPropertyDescription("The Proxmox storage the vzdump backup is written to; it must hold backups (content backup) and"
            + " be available on the primary's node. Default: local, where vzdump writes without --storage on a fresh"
            + " Proxmox VE install. A Proxmox Backup Server or NFS storage keeps it off the host.")
    public String storage = "local";

    @Default("true")
    @JsonPropertyDescription("Whether the backup stays when this resource is deleted with deletionPolicy Rollback or Delete"
            + " (with Retain nothing is deleted anyway). false deletes it then; the operator never deletes a backup it"
            + " did not take.")
    public boolean keepOnDelete = true;

    /** How the primary is backed up before the first change. */
    public enum Mode {
        Vzdump,
        None
    }
}
