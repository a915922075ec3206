package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The layer-2 network shared by both containers and the VIP. */
public class NetworkSpec {

    @Default("vmbr0")
    @Pattern("^[A-Za-z0-9_.-]{1,15}$")
    @JsonPropertyDescription("Proxmox bridge the containers' net0 is attached to.")
    public String bridge = "vmbr0";

    @Required
    @Size(max = 15)
    @Pattern(Patterns.IPV4)
    @ValidationRule(value = "!self.matches('" + Patterns.NOT_A_HOST + "')",
            message = "network.gateway must be a host address (not 0.x.x.x, multicast or reserved)")
    @JsonPropertyDescription("IPv4 default gateway of the containers, e.g. 192.168.1.1 (no prefix length). With the prefix"
            + " length of the node addresses it defines the subnet that primary, secondary and VIP must be host addresses in.")
    public String gateway;

    @Default("eth0")
    @Pattern("^[A-Za-z0-9_.-]{1,15}$")
    @JsonPropertyDescription("Interface inside the containers that carries the VIP.")
    @JsonProperty("interface")
    public String interfaceName = "eth0";
}
