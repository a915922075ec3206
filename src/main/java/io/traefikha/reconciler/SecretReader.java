package io.traefikha.reconciler;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ExternalSystemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the Secrets a TraefikHACluster references, and keeps the ones the operator generates. Values are returned to
 * the caller only; messages name the Secret, the key and the spec field, never a value.
 */
public final class SecretReader {

    private final KubernetesClient client;
    private final TraefikHACluster resource;

    public SecretReader(KubernetesClient client, TraefikHACluster resource) {
        this.client = client;
        this.resource = resource;
    }

    public String required(SecretRef ref, String key, String field) {
        return optional(ref, key, field).orElseThrow(() -> new ExternalSystemException("secret",
                "Secret " + namespace() + "/" + ref.name + " (" + field + ") has no key '" + key + "'"));
    }

    public Optional<String> optional(SecretRef ref, String key, String field) {
        Secret secret = get(ref.name);
        if (secret == null) {
            throw new ExternalSystemException("secret", "Secret " + namespace() + "/" + ref.name + " named by " + field
                    + " does not exist");
        }
        return value(secret, key);
    }

    /**
     * The value of {@code key} in the Secret {@code name} that this resource owns, generated with {@code generator}
     * and stored (with an owner reference, so it goes with the resource) when the Secret or the key is missing.
     */
    public String ownedValue(String name, String key, Supplier<String> generator) {
        Secret secret = get(name);
        Optional<String> existing = secret == null ? Optional.empty() : value(secret, key);
        if (existing.isPresent()) {
            return existing.get();
        }
        String generated = generator.get();
        Secret wanted = new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace())
                .addToLabels("app.kubernetes.io/managed-by", "traefik-ha-operator")
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind()).withName(resource.getMetadata().getName())
                        .withUid(resource.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withType("Opaque")
                .addToData(key, Base64.getEncoder().encodeToString(generated.getBytes(StandardCharsets.UTF_8)))
                .build();
        try {
            client.secrets().inNamespace(namespace()).resource(wanted).createOr(current -> current.patch());
        } catch (KubernetesClientException e) {
            throw new ExternalSystemException("secret", "could not store the generated Secret " + namespace() + "/" + name
                    + ": " + e.getMessage(), e);
        }
        return generated;
    }

    private Secret get(String name) {
        try {
            return client.secrets().inNamespace(namespace()).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new ExternalSystemException("secret", "could not read Secret " + namespace() + "/" + name + ": "
                    + e.getMessage(), e);
        }
    }

    /** data (base64) as the API server stores it, or stringData as written by hand and kept by test servers. */
    private static Optional<String> value(Secret secret, String key) {
        Map<String, String> data = secret.getData();
        Map<String, String> stringData = secret.getStringData();
        String value = data != null && data.get(key) != null
                ? new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8)
                : stringData == null ? null : stringData.get(key);
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    private String namespace() {
        return resource.getMetadata().getNamespace();
    }
}
