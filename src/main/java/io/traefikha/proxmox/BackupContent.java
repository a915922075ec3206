package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One backup on a storage as GET /nodes/{node}/storage/{storage}/content?content=backup lists it: its volume id
 * ({@code local:backup/vzdump-lxc-110-2026_12_05-14_03_20.tar.zst}), format ({@code tar.zst}), size in bytes, creation
 * time (seconds since the epoch), the guest it belongs to and its notes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupContent(String volid, String content, String format, Long size, Long ctime, Integer vmid, String notes) {
}
