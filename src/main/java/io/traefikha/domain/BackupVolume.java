package io.traefikha.domain;

import java.time.Instant;

/**
 * A backup archive on a Proxmox storage, restorable with Proxmox's own tools ({@code pct restore}, or the GUI's
 * Backups tab): its volume id ({@code local:backup/vzdump-lxc-110-2026_12_05-14_03_20.tar.zst}), the storage, the
 * guest it belongs to, its size in bytes and when it was created.
 */
public record BackupVolume(String volid, String storage, int vmid, long size, Instant created) {
}
