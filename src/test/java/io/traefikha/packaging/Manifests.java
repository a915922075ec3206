package io.traefikha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Parses rendered or hand-written manifests into fabric8 objects, and the checks deploy/ and the chart share. */
final class Manifests {

    static final Path REPO = Path.of("").toAbsolutePath();
    static final Path CRD = REPO.resolve("crds/traefikhaclusters.traefikha.io-v1.yml");
    static final Path DEPLOY = REPO.resolve("deploy/operator.yaml");
    static final Path CHART = REPO.resolve("helm/traefik-ha-operator");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    static List<HasMetadata> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every YAML document of a multi-document stream as a typed Kubernetes object. Kinds fabric8 has no model for
     * (ServiceMonitor) become {@link GenericKubernetesResource}; a document without apiVersion/kind fails.
     */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                    continue; // an empty document between two "---" (comments only)
                }
                assertThat(doc.hasNonNull("apiVersion") && doc.hasNonNull("kind"))
                        .as("document has apiVersion and kind: %s", doc).isTrue();
                Object object = SERIALIZATION.unmarshal(doc.toString());
                assertThat(object).as("document parses as a Kubernetes object: %s", doc).isInstanceOf(HasMetadata.class);
                HasMetadata resource = (HasMetadata) object;
                assertThat(resource.getMetadata().getName()).as("metadata.name of %s", doc.get("kind")).isNotBlank();
                objects.add(resource);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = all(objects, type);
        assertThat(found).as("exactly one %s", type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    static List<GenericKubernetesResource> generic(List<HasMetadata> objects, String kind) {
        return all(objects, GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    /**
     * The rules as a set of "group/resource verb" facts, so two rule lists compare equal whatever their order and
     * however they group resources and verbs.
     */
    static Set<String> facts(Collection<PolicyRule> rules) {
        Set<String> facts = new TreeSet<>();
        for (PolicyRule rule : rules) {
            assertThat(rule.getResourceNames()).as("no rule is restricted to resource names").isNullOrEmpty();
            assertThat(rule.getNonResourceURLs()).as("no non-resource URLs").isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        assertThat(List.of(group, resource, verb)).as("no wildcards").doesNotContain("*");
                        facts.add(group + "/" + resource + " " + verb);
                    }
                }
            }
        }
        return facts;
    }

    static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    static String envValue(Container container, String name) {
        EnvVar var = env(container).get(name);
        assertThat(var).as("env %s", name).isNotNull();
        return var.getValue();
    }

    /** The hardening deploy/ and the chart's defaults both promise. */
    static void assertHardened(Deployment deployment) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(185L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);

        assertThat(pod.getContainers()).hasSize(1);
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();

        // A read-only root needs somewhere to write temporary files: /tmp on an emptyDir.
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/tmp");
            assertThat(pod.getVolumes()).anySatisfy(v -> {
                assertThat(v.getName()).isEqualTo(m.getName());
                assertThat(v.getEmptyDir()).isNotNull();
            });
        });

        assertThat(c.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");

        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(envValue(c, "JAVA_OPTS_APPEND")).contains("-XX:MaxRAMPercentage=");
    }

    /**
     * Fails when a field was not recognised by the Kubernetes model (a typo such as {@code readOnlyRootFileSystem}
     * would otherwise be kept silently in "additionalProperties" and ignored by the API server).
     */
    static void assertNoUnknownFields(HasMetadata resource) {
        if (resource instanceof GenericKubernetesResource || resource instanceof CustomResourceDefinition) {
            return; // no model (ServiceMonitor), or a schema whose own "additionalProperties" is a real field
        }
        List<String> unknown = new ArrayList<>();
        walk(resource, resource.getKind(), unknown, new IdentityHashMap<>());
        assertThat(unknown).as("unknown fields in %s %s", resource.getKind(), resource.getMetadata().getName()).isEmpty();
    }

    private static void walk(Object node, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return; // strings, numbers, Quantity/IntOrString values
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                walk(value, path + "." + getter.getName().substring(3), unknown, seen);
            }
        }
    }
}
