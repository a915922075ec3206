package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Traefik itself on both nodes: its version, and rolling upgrades of it. */
public class TraefikSpec {

    @JsonPropertyDescription("A rolling upgrade: the command runs on one node at a time, the node without the VIP first;"
            + " each node is verified (service active, ping answers, no fewer routers than before, the new version)"
            + " before the VIP is handed over to it. A failed verification stops the rollout with the VIP on the healthy"
            + " node.")
    public UpgradeSpec upgrade;

    @Default("http://127.0.0.1:8080/api/version")
    @Pattern(Patterns.HTTP_URL)
    @JsonPropertyDescription("Traefik's version endpoint as seen inside the container; the probe reads the running"
            + " version from it (status.nodes[].traefikVersion).")
    public String versionUrl = "http://127.0.0.1:8080/api/version";

    @Default("traefik")
    @Size(max = 100)
    @Pattern(Patterns.SYSTEMD_UNIT)
    @JsonPropertyDescription("Traefik's systemd unit on every node (e.g. traefik or traefik-proxy.service): the health check"
            + " and the probe ask systemd whether it is active, and the StopTraefik drill stops and starts it.")
    public String serviceName = "traefik";

    @Default("5m")
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("How long one step of a rolling upgrade or restart (the command, the node becoming healthy,"
            + " the VIP moving) may take before the rollout stops as failed.")
    public String stepTimeout = "5m";
}
