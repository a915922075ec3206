package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of GET /nodes. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeInfo(String node, String status, @JsonProperty("ssl_fingerprint") String sslFingerprint) {

    public boolean online() {
        return "online".equals(status);
    }
}
