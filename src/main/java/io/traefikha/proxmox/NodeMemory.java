package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The {@code memory} of GET /nodes/{node}/status, in bytes. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeMemory(long total, long used, long free) {
}
