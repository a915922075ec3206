package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The layer-2 network shared by both containers and the VIP. */
public class NetworkSpec {

    @Default("vmbr0")
    @Pattern("^[A-Za-z0-9_.-]{1,15}$")
    @JsonPropertyDescription("Proxmox bridge the containers' net0 is attached to.")
    public String bridge = "vmbr0";

    @Required
    @Pattern(Patterns.IPV4)
    @JsonPropertyDescription("IPv4 default gateway of the containers, e.g. 192.168.1.1.")
    public String gateway;

    @Default("eth0")
    @Pattern("^[A-Za-z0-9_.-]{1,15}$")
    @JsonPropertyDescription("Interface inside the containers that carries the VIP.")
    @JsonProperty("interface")
    public String interfaceName = "eth0";
}
