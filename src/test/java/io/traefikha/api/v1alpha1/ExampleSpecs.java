package io.traefikha.api.v1alpha1;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads deploy/examples/traefikhacluster.yaml, the resource users start from, as the baseline of tests. */
public final class ExampleSpecs {

    public static final Path EXAMPLE = Path.of("deploy/examples/traefikhacluster.yaml");

    private ExampleSpecs() {
    }

    /** A fresh copy of the example resource (tests may mutate it). */
    public static TraefikHACluster homelab() {
        try (InputStream in = Files.newInputStream(EXAMPLE)) {
            return Serialization.unmarshal(in, TraefikHACluster.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The spec with three replicas: its secondary as spec.secondaries[0] and a third on proxmox3 (CT 112, traefik-3,
     * 192.168.1.112) as spec.secondaries[1], as AcceptedSpecsTest's THREE_REPLICAS.
     */
    public static TraefikHAClusterSpec threeReplicas(TraefikHAClusterSpec spec) {
        SecondarySpec third = new SecondarySpec();
        third.node = "proxmox3";
        third.vmid = 112;
        third.hostname = "traefik-3";
        third.address = "192.168.1.112/24";
        spec.secondaries = new ArrayList<>(List.of(spec.secondary, third));
        spec.secondary = null;
        return spec;
    }

    /** The example resource named NAME in NAMESPACE, talking to the simulator (its URL, its pinned fingerprint). */
    public static TraefikHACluster against(ProxmoxSimulator proxmox, String namespace, String name) {
        TraefikHACluster resource = homelab();
        resource.getMetadata().setName(name);
        resource.getMetadata().setNamespace(namespace);
        resource.getSpec().proxmox.url = proxmox.baseUrl();
        resource.getSpec().proxmox.tls = new ProxmoxTlsSpec();
        resource.getSpec().proxmox.tls.fingerprint = proxmox.fingerprint();
        return resource;
    }
}
