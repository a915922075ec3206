package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** SSH access to both containers. */
public class SshSpec {

    @Required
    @JsonPropertyDescription("Secret with key 'privateKey' (OpenSSH or PEM, ed25519 or RSA), optional 'passphrase', and optional"
            + " 'knownHosts' (known_hosts lines for both containers). Without knownHosts the first host key seen is pinned in"
            + " status and any later change is refused.")
    public SecretRef secretRef;

    @Default("root")
    @Pattern("^[a-z_][a-z0-9_-]{0,31}$")
    @JsonPropertyDescription("User to log in as; it must be able to install packages and write /etc/keepalived.")
    public String user = "root";

    @Default("22")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("SSH port on both containers.")
    public int port = 22;
}
