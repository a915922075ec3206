package io.traefikha.proxmox;

/** What a firewall rule or policy does with a packet; REJECT answers with an ICMP error, DROP stays silent. */
public enum FirewallVerdict {
    ACCEPT, REJECT, DROP
}
