package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One IP set of a container's firewall (without its entries); {@code ipfilter-net0} is the one ipfilter uses for net0. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IpSet(String name, String comment, String digest) {
}
