package io.traefikha.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.dns.OwnershipRegistry;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.step.ClusterConnections;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The DNS ownership registry of one TraefikHACluster and one DNS server, in a ConfigMap it owns
 * ({@code <name>-dns-registry}, see {@link #forReplica} for further servers). It is
 * written before every DNS change (write-ahead), so what a record held before the operator touched it survives an
 * operator crash between the change and the next status write; rollback restores exactly that.
 */
public final class DnsRegistryStore implements ClusterConnections.DnsRegistry {

    private static final String KEY = "registry.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final TraefikHACluster resource;
    private final String name;

    public DnsRegistryStore(KubernetesClient client, TraefikHACluster resource) {
        this(client, resource, resource.getMetadata().getName() + "-dns-registry");
    }

    private DnsRegistryStore(KubernetesClient client, TraefikHACluster resource, String name) {
        this.client = client;
        this.resource = resource;
        this.name = name;
    }

    /**
     * The registry of a replica server ({@code <name>-dns-registry-<hash of its URL>}): every server has its own, since
     * what a record held before can differ between servers that are not kept in sync by anything else.
     */
    public static DnsRegistryStore forReplica(KubernetesClient client, TraefikHACluster resource, String replicaUrl) {
        return new DnsRegistryStore(client, resource, resource.getMetadata().getName() + "-dns-registry-"
                + shortHash(replicaUrl));
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public OwnershipRegistry load() {
        try {
            ConfigMap map = client.configMaps().inNamespace(namespace()).withName(name()).get();
            String json = map == null || map.getData() == null ? null : map.getData().get(KEY);
            return json == null ? OwnershipRegistry.empty() : JSON.readValue(json, OwnershipRegistry.class);
        } catch (KubernetesClientException | JsonProcessingException e) {
            throw new ExternalSystemException("dns", "could not read the DNS ownership registry ConfigMap " + namespace()
                    + "/" + name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(OwnershipRegistry registry) {
        try {
            ConfigMap map = new ConfigMapBuilder()
                    .withNewMetadata().withName(name()).withNamespace(namespace())
                    .addToLabels("app.kubernetes.io/managed-by", "traefik-ha-operator")
                    .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(resource.getApiVersion())
                            .withKind(resource.getKind()).withName(resource.getMetadata().getName())
                            .withUid(resource.getMetadata().getUid()).withController(true).build())
                    .endMetadata()
                    .addToData(KEY, JSON.writeValueAsString(registry))
                    .build();
            client.configMaps().inNamespace(namespace()).resource(map).createOr(existing -> existing.patch());
        } catch (KubernetesClientException | JsonProcessingException e) {
            throw new ExternalSystemException("dns", "could not save the DNS ownership registry ConfigMap " + namespace()
                    + "/" + name() + ": " + e.getMessage(), e);
        }
    }

    private String name() {
        return name;
    }

    private String namespace() {
        return resource.getMetadata().getNamespace();
    }
}
