package io.traefikha.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A stored resource that does not fit the model is read anyway, naming the field, and written back unchanged. */
class TolerantReaderTest {

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    static List<Arguments> unreadableSpecs() {
        return List.of(
                Arguments.of("unknown enum value", edit(s -> s.put("deletionPolicy", "Explode")),
                        "spec.deletionPolicy", "expected one of Retain, Rollback, Delete, found the string \"Explode\""),
                Arguments.of("string for an object", edit(s -> s.put("vip", "10.0.0.100")),
                        "spec.vip", "expected an object, found the string \"10.0.0.100\""),
                Arguments.of("string for an integer", edit(s -> s.with("primary").put("vmid", "one hundred")),
                        "spec.primary.vmid", "expected an integer, found the string \"one hundred\""),
                Arguments.of("object for a list", edit(s -> s.with("dns").putObject("records")),
                        "spec.dns.records", "expected a list, found an object"),
                Arguments.of("object in a list of strings", edit(s -> s.with("dns").putArray("records").add("a").addObject()),
                        "spec.dns.records[1]", "expected a string, found an object"),
                Arguments.of("nested enum", edit(s -> s.with("sync").put("mode", "Bidirectional")),
                        "spec.sync.mode", "found the string \"Bidirectional\""),
                Arguments.of("the whole spec a string", (Consumer<ObjectNode>) r -> r.put("spec", "oops"),
                        "spec", "expected an object, found the string \"oops\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableSpecs")
    void aSpecThatDoesNotFitIsReadAsUnreadableNamingTheField(String what, Consumer<ObjectNode> change, String field,
            String problem) {
        ObjectNode stored = example();
        change.accept(stored);

        TraefikHACluster read = serialization.convertValue(stored, TraefikHACluster.class);

        assertThat(read.getSpec()).isInstanceOf(UnreadableSpec.class);
        Unreadable unreadable = Unreadable.in(read).orElseThrow();
        assertThat(unreadable.field()).isEqualTo(field);
        assertThat(unreadable.problem()).contains(problem);
        // written back exactly as stored: JOSDK's clones and status patches never change the user's spec
        assertThat(serialization.convertValue(read, JsonNode.class)).isEqualTo(stored);
        assertThat(serialization.clone(read).getSpec()).isInstanceOf(UnreadableSpec.class);
    }

    @Test
    void aReadableResourceIsReadAsBefore() {
        ObjectNode stored = example();

        TraefikHACluster read = serialization.convertValue(stored, TraefikHACluster.class);

        assertThat(read.getSpec().getClass()).isEqualTo(TraefikHAClusterSpec.class);
        assertThat(read.getSpec().deletionPolicy).isEqualTo(DeletionPolicy.Rollback);
        assertThat(Unreadable.in(read)).isEmpty();
    }

    @Test
    void aStatusThatDoesNotFitIsKeptVerbatim() {
        ObjectNode stored = example();
        stored.putObject("status").put("phase", "Hibernating").putArray("conditions").addObject().put("type", "Ready");

        TraefikHACluster read = serialization.convertValue(stored, TraefikHACluster.class);

        assertThat(read.getSpec().getClass()).isEqualTo(TraefikHAClusterSpec.class);
        assertThat(read.getStatus()).isInstanceOf(UnreadableStatus.class);
        assertThat(Unreadable.in(read).orElseThrow().toString())
                .isEqualTo("status.phase: expected one of " + String.join(", ", names(ClusterPhase.values()))
                        + ", found the string \"Hibernating\"");
        assertThat(serialization.convertValue(read, JsonNode.class)).isEqualTo(stored);
    }

    @Test
    void oneUnreadableItemDoesNotFailTheListTheInformerStartsFrom() {
        ObjectNode bad = example();
        bad.with("metadata").put("name", "bad");
        bad.with("spec").put("deletionPolicy", "Explode");
        String list = "{\"apiVersion\":\"traefikha.io/v1alpha1\",\"kind\":\"TraefikHAClusterList\",\"items\":["
                + example() + "," + bad + "]}";

        DefaultKubernetesResourceList<TraefikHACluster> read = serialization.unmarshal(new java.io.ByteArrayInputStream(list.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new TypeReference<DefaultKubernetesResourceList<TraefikHACluster>>() { });

        assertThat(read.getItems()).extracting(r -> r.getSpec() instanceof UnreadableSpec).containsExactly(false, true);
    }

    private ObjectNode example() {
        return serialization.convertValue(ExampleSpecs.homelab(), ObjectNode.class);
    }

    private static Consumer<ObjectNode> edit(Consumer<ObjectNode> spec) {
        return resource -> spec.accept(resource.with("spec"));
    }

    private static List<String> names(Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(Enum::name).toList();
    }
}
