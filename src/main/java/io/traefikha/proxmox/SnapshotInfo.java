package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One entry of the snapshot list; the pseudo entry "current" (the live state) is filtered out by the client. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotInfo(String name, String description, String parent, Long snaptime) {
}
