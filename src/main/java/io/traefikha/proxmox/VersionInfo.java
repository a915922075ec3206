package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** GET /version: pve-manager version (8.4.1), release (8.4) and git revision. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionInfo(String version, String release, String repoid) {
}
