package io.traefikha.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/**
 * helm/traefik-ha-operator/values.schema.json: Helm (helm-java's native build) renders the chart's own and the tests'
 * values through it, refuses each bad value of a table naming the key, and renders every one of those bad values
 * once the schema is taken away, so it is the schema that refuses them. The schema describes every key of
 * values.yaml and closes every block it lists the keys of.
 */
class HelmValuesSchemaTest {

    static final Path SCHEMA = Manifests.CHART.resolve("values.schema.json");
    static final Path VALUES_FILES = Path.of("src/test/resources/packaging");
    static final String REFUSED = "values don't meet the specifications of the schema(s)";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    /** The chart as it is, but without values.schema.json. */
    @TempDir
    static Path withoutSchema;
    @TempDir
    static Path valuesDir;

    /**
     * A bad value: the values file, the JSON pointer Helm names, its complaint, and whether the chart without the
     * schema renders it (else its template fails on it, with a message that names no key).
     */
    record Bad(String values, String at, String complaint, boolean rendersWithoutSchema) {
        Bad(String values, String at, String complaint) {
            this(values, at, complaint, true);
        }

        @Override
        public String toString() {
            return values.replace("\n", " ");
        }
    }

    static Stream<Bad> badValues() {
        return Stream.of(
                new Bad("replicas: two", "/replicas", "got string, want integer"),
                new Bad("replicas: 1.5", "/replicas", "got number, want integer"),
                new Bad("replicas: -1", "/replicas", "minimum: got -1, want 0"),
                new Bad("replicaCount: 2", "", "additional properties 'replicaCount' not allowed"),
                new Bad("leaderElection:\n  enable: true", "/leaderElection",
                        "additional properties 'enable' not allowed"),
                new Bad("service:\n  port: -1", "/service/port", "minimum: got -1, want 1"),
                new Bad("service:\n  port: 80800", "/service/port", "maximum: got 80,800, want 65,535"),
                new Bad("service:\n  type: Ingress", "/service/type",
                        "value must be one of 'ClusterIP', 'NodePort', 'LoadBalancer'"),
                new Bad("logLevel: VERBOSE", "/logLevel",
                        "value must be one of 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'"),
                new Bad("image:\n  pullPolicy: Sometimes", "/image/pullPolicy",
                        "value must be one of 'Always', 'IfNotPresent', 'Never'"),
                new Bad("image:\n  tag: 1.0", "/image/tag", "got number, want string"),
                new Bad("imagePullSecrets:\n  - secret: registry", "/imagePullSecrets/0", "missing property 'name'"),
                new Bad("resources:\n  limits:\n    memory: 512MB", "/resources/limits/memory",
                        "'512MB' does not match pattern"),
                new Bad("resources:\n  requests:\n    cpu: -100m", "/resources/requests/cpu",
                        "'-100m' does not match pattern"),
                new Bad("resources:\n  limit:\n    cpu: 1", "/resources", "additional properties 'limit' not allowed"),
                new Bad("watchNamespaces: team-a", "/watchNamespaces", "got string, want array", false),
                new Bad("watchNamespaces: [Team_A]", "/watchNamespaces/0", "'Team_A' does not match pattern"),
                new Bad("watchNamespaces: [team-a, team-a]", "/watchNamespaces", "items at 0 and 1 are equal"),
                new Bad("logging:\n  json: \"yes\"", "/logging/json", "got string, want boolean"),
                new Bad("metrics:\n  serviceMonitor:\n    enabled: \"yes\"", "/metrics/serviceMonitor/enabled",
                        "got string, want boolean"),
                new Bad("metrics:\n  serviceMonitor:\n    interval: 30", "/metrics/serviceMonitor/interval",
                        "got number, want string"),
                new Bad("metrics:\n  prometheusRule:\n    vipNotAnsweringFor: 10 seconds",
                        "/metrics/prometheusRule/vipNotAnsweringFor", "'10 seconds' does not match pattern"),
                new Bad("metrics:\n  prometheusRule:\n    healthCheckFailures: 0",
                        "/metrics/prometheusRule/healthCheckFailures", "minimum: got 0, want 1"),
                new Bad("metrics:\n  grafanaDashboard:\n    labels: grafana", "/metrics/grafanaDashboard/labels",
                        "got string, want object"),
                new Bad("podAnnotations:\n  prometheus.io/port: 8080", "/podAnnotations/prometheus.io~1port",
                        "got number, want string"),
                new Bad("serviceAccount:\n  create: false\n  name: My_Operator", "/serviceAccount/name",
                        "'My_Operator' does not match pattern"));
    }

    /** Unusual values the schema must still let through. */
    static Stream<String> goodValues() {
        return Stream.of(
                "replicas: 0",
                "image:\n  repository: registry.lan:5000/homelab/traefik-ha-operator\n  tag: \"1.0\"",
                "resources:\n  requests:\n    cpu: 0.5\n    memory: 268435456\n    ephemeral-storage: 1Gi\n"
                        + "  limits:\n    cpu: 2\n    memory: 1e9\n    nvidia.com/gpu: 1",
                "service:\n  type: NodePort\n  port: 9090",
                "metrics:\n  serviceMonitor:\n    enabled: true\n    interval: 1m30s\n    scrapeTimeout: 500ms",
                "metrics:\n  prometheusRule:\n    enabled: true\n    syncLagSeconds: 12.5\n    keepalivedDownFor: \"0\"",
                "global:\n  imageRegistry: registry.lan",
                "podSecurityContext:\n  fsGroup: 185\nsecurityContext: {}\naffinity:\n  nodeAffinity: {}\n"
                        + "tolerations:\n  - key: node-role.kubernetes.io/control-plane\n    effect: NoSchedule",
                "serviceAccount:\n  create: false\n  name: my-operator\nrbac:\n  create: false\n"
                        + "priorityClassName: system-cluster-critical");
    }

    static Stream<Path> valuesFiles() throws IOException {
        try (Stream<Path> files = Files.list(VALUES_FILES)) {
            List<Path> yaml = files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).isNotEmpty();
            return yaml.stream();
        }
    }

    @BeforeAll
    static void copyTheChartWithoutItsSchema() throws IOException {
        try (Stream<Path> tree = Files.walk(Manifests.CHART)) {
            for (Path from : (Iterable<Path>) tree::iterator) {
                Path to = withoutSchema.resolve(Manifests.CHART.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else if (!from.equals(SCHEMA)) {
                    Files.copy(from, to);
                }
            }
        }
        assertThat(withoutSchema.resolve("values.yaml")).exists();
        assertThat(withoutSchema.resolve("values.schema.json")).doesNotExist();
    }

    static TemplateCommand template(Path chart, String values) throws IOException {
        Path file = Files.createTempFile(valuesDir, "values", ".yaml");
        Files.writeString(file, values + "\n");
        return new Helm(chart).template().withName(HelmChartTest.RELEASE).withNamespace(HelmChartTest.NS)
                .withValuesFile(file);
    }

    @Test
    void defaultValuesRenderAndLint() {
        assertThat(Manifests.parse(HelmChartTest.template().call())).isNotEmpty();
        assertThat(new Helm(Manifests.CHART).lint().strict().call().isFailed()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void eachTestValuesFileRenders(Path file) {
        assertThat(Manifests.parse(HelmChartTest.template().withValuesFile(file.toAbsolutePath()).call()))
                .isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("goodValues")
    void unusualButValidValuesRender(String values) throws IOException {
        assertThat(Manifests.parse(template(Manifests.CHART, values).call())).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void badValueIsRefusedNamingTheKey(Bad bad) throws IOException {
        assertThatThrownBy(() -> template(Manifests.CHART, bad.values()).call())
                .hasMessageContaining(REFUSED)
                .hasMessageContaining("- at '" + bad.at() + "': " + bad.complaint());
    }

    @Test
    void badValuesAreSetFlagsToo() {
        assertThatThrownBy(() -> HelmChartTest.template().set("replicas", "two").call())
                .hasMessageContaining(REFUSED).hasMessageContaining("- at '/replicas': got string, want integer");
        assertThatThrownBy(() -> HelmChartTest.template().set("leaderElection.enabeld", "true").call())
                .hasMessageContaining("- at '/leaderElection': additional properties 'enabeld' not allowed");
    }

    /** The control: without the schema, Helm renders the bad values (or fails in a template, naming no key). */
    @ParameterizedTest
    @MethodSource("badValues")
    void withoutTheSchemaTheBadValueGetsThrough(Bad bad) throws IOException {
        Throwable failure = catchThrowable(() -> template(withoutSchema, bad.values()).call());
        if (bad.rendersWithoutSchema()) {
            assertThat(failure).as("rendered without the schema").isNull();
        } else {
            assertThat(failure).isNotNull().message().doesNotContain(REFUSED).doesNotContain(bad.at());
        }
    }

    @Test
    void theChartWithoutTheSchemaStillRendersItsDefaults() {
        assertThatCode(() -> new Helm(withoutSchema).template().withName(HelmChartTest.RELEASE)
                .withNamespace(HelmChartTest.NS).call()).doesNotThrowAnyException();
    }

    @Test
    void everyKeyOfValuesYamlIsDescribedInTheSchema() throws IOException {
        JsonNode schema = JSON.readTree(SCHEMA.toFile());
        assertThat(schema.path("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
        List<String> seen = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        describe(schema, schema, YAML.readTree(Manifests.CHART.resolve("values.yaml").toFile()), "", seen, missing);
        assertThat(missing).as("values.yaml keys the schema does not describe").isEmpty();
        assertThat(seen).contains("replicas", "image.pullPolicy", "resources.limits",
                "metrics.prometheusRule.secondaryNotProvisionedFor", "metrics.grafanaDashboard.folder", "rbac.create");
    }

    @Test
    void everyBlockTheSchemaListsTheKeysOfRefusesOtherKeys() throws IOException {
        JsonNode schema = JSON.readTree(SCHEMA.toFile());
        List<String> open = new ArrayList<>();
        closed(schema, "", open);
        assertThat(open).as("schema objects with properties but without additionalProperties: false").isEmpty();
        // and the free-form maps stay open
        for (String map : List.of("podAnnotations", "podLabels", "nodeSelector", "podSecurityContext",
                "securityContext", "affinity")) {
            assertThat(resolve(schema, schema.path("properties").path(map)).path("additionalProperties").asBoolean(true))
                    .as(map).isTrue();
        }
    }

    private static void describe(JsonNode root, JsonNode node, JsonNode values, String path, List<String> seen,
            List<String> missing) {
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            seen.add(key);
            JsonNode property = resolve(root, node).path("properties").path(field.getKey());
            if (property.isMissingNode()) {
                missing.add(key + " (no property)");
                continue;
            }
            if (property.path("description").asText().isBlank()) {
                missing.add(key + " (no description)");
            }
            JsonNode type = resolve(root, property);
            if (!type.has("type") && !type.has("oneOf")) {
                missing.add(key + " (no type)");
            }
            if (field.getValue().isObject() && type.has("properties")) {
                describe(root, type, field.getValue(), key, seen, missing);
            }
        }
    }

    private static void closed(JsonNode node, String path, List<String> open) {
        if (node.isObject()) {
            JsonNode others = node.path("additionalProperties");
            if (node.has("properties") && !(others.isBoolean() && !others.asBoolean())) {
                open.add(path.isEmpty() ? "/" : path);
            }
            node.fields().forEachRemaining(e -> closed(e.getValue(), path + "/" + e.getKey(), open));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                closed(node.get(i), path + "/" + i, open);
            }
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        String ref = node.path("$ref").asText();
        return ref.isEmpty() ? node : resolve(root, root.at(ref.substring(1)));
    }
}
