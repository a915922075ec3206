package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The Proxmox VE API endpoint and its credentials. */
public class ProxmoxSpec {

    @Required
    @Pattern(Patterns.HTTPS_URL)
    @JsonPropertyDescription("Base URL of the Proxmox VE API, for example https://proxmox.lan:8006. Any cluster node will do.")
    public String url;

    @Required
    @JsonPropertyDescription("Secret with the API token: key 'tokenId' (USER@REALM!TOKENID) and key 'tokenSecret' (the UUID"
            + " Proxmox showed once at creation).")
    public SecretRef credentialsSecretRef;

    @JsonPropertyDescription("How the Proxmox certificate is verified. Default: against the JVM's trusted CAs.")
    public ProxmoxTlsSpec tls = new ProxmoxTlsSpec();

    @JsonPropertyDescription("Whether the operator may change the containers' Proxmox firewall where it would break the VIP:"
            + " with a container's firewall on, it adds an inbound rule accepting VRRP (IP protocol 112) from the peer, and"
            + " with ipfilter on, it adds the VIP to the ipfilter-net0 IP set; its rules and entries are marked in their"
            + " comment and removed on rollback. False: nothing is changed and condition FirewallReady says what is missing."
            + " Default true.")
    @Default("true")
    public boolean manageFirewall = true;
}
