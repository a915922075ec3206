package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An address or network in an IP set; {@code nomatch} entries exclude instead of include. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IpSetEntry(String cidr, String comment, Integer nomatch, String digest) {

    public boolean excludes() {
        return nomatch != null && nomatch == 1;
    }
}
