package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One Traefik version to roll out, and how a node installs it. */
public class UpgradeSpec {

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("The Traefik version to roll out, as Traefik's version endpoint reports it (e.g. 3.2.1)."
            + " A node counts as upgraded when it reports this version.")
    public String version;

    @Required
    @Size(min = 1, max = 4096)
    @JsonPropertyDescription("Shell command run as root on a node to install that version and restart Traefik, e.g."
            + " 'apt-get install -y traefik=3.2.1-1 && systemctl restart traefik' or a download from a host the nodes"
            + " can reach. The operator never downloads anything itself; it runs this detached and waits for its exit.")
    public String command;
}
