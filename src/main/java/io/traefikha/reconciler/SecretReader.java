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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads the Secrets a TraefikHACluster references, and keeps the ones the operator generates. Values are returned to
 * the caller only; messages name the Secret, the key and the spec field, never a value.
 */
public final class SecretReader {

    /** Lines shorter than this are not redacted: they would blank ordinary words (and are no secret worth the name). */
    private static final int REDACTED_MIN_LENGTH = 4;
    static final String REDACTED = "<redacted>";

    private final KubernetesClient client;
    private final TraefikHACluster resource;
    /** Every value this reader handed out, so that messages nobody vetted can have them taken out. */
    private final Set<String> handedOut = ConcurrentHashMap.newKeySet();

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
        handedOut.add(generated);
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
    private Optional<String> value(Secret secret, String key) {
        Map<String, String> data = secret.getData();
        Map<String, String> stringData = secret.getStringData();
        String value = data != null && data.get(key) != null
                ? new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8)
                : stringData == null ? null : stringData.get(key);
        Optional<String> present = Optional.ofNullable(value).filter(v -> !v.isBlank());
        present.ifPresent(handedOut::add);
        return present;
    }

    /** The text with each line of every value handed out so far replaced by {@value #REDACTED}, longest first. */
    public String redact(String text) {
        List<String> lines = handedOut.stream().flatMap(String::lines).map(String::strip)
                .filter(line -> line.length() >= REDACTED_MIN_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        String redacted = text;
        for (String line : lines) {
            redacted = redacted.replace(line, REDACTED);
        }
        return redacted;
    }

    private String namespace() {
        return resource.getMetadata().getNamespace();
    }
}
