package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An LXC container: where it runs on Proxmox and how it appears on the network. */
public class ContainerSpec {

    @Required
    @Pattern(Patterns.DNS_LABEL)
    @JsonPropertyDescription("Proxmox node the container runs on, as listed under Datacenter (e.g. proxmox2). A hint:"
            + " containers are found by VMID wherever they are, and one moved by Proxmox HA or a migration is followed."
            + " For the secondary, the node it is placed on when it is created.")
    public String node;

    @Required
    @Min(100)
    @Max(999999999)
    @JsonPropertyDescription("Proxmox VMID of the container (100 to 999999999).")
    public Integer vmid;

    @Required
    @Size(max = 18)
    @Pattern(Patterns.IPV4_CIDR)
    @JsonPropertyDescription("IPv4 address of the container with prefix length, e.g. 192.168.1.110/24.")
    public String address;

    @Required
    @Size(max = 253)
    @Pattern(Patterns.HOSTNAME)
    @JsonPropertyDescription("Host name of the container.")
    public String hostname;

    @Size(max = 43)
    @Pattern(Patterns.IPV6_CIDR_SHAPE)
    @JsonPropertyDescription("IPv6 address of the container with prefix length, e.g. fd00:1::110/64: the source and peer of"
            + " the IPv6 VRRP adverts. Required with an IPv6 VIP in vip.addresses and unicast adverts. A static address in"
            + " the container's net0 (ip6=; a secondary cloned with the primary's static ip6 gets this one instead) or the"
            + " SLAAC address it derives from its MAC (ip6=auto; stable, as Proxmox keeps the MAC).")
    public String address6;
}
