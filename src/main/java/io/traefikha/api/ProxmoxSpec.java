package io.traefikha.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
}
