package io.traefikha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.traefikha.testbed.E2ePrerequisites;
import io.traefikha.testbed.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's alert rules, as values-monitoring.yaml renders them, evaluated by promtool test rules (Prometheus' own
 * rule engine) against the series in each file of src/test/resources/packaging/promtool: which alerts fire, when, with
 * which labels and annotations.
 */
class AlertRulesPromtoolTest {

    private static final Path VALUES = Path.of("src/test/resources/packaging/values-monitoring.yaml");
    private static final Path TESTS = Path.of("src/test/resources/packaging/promtool");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path work;

    static Stream<String> ruleTests() throws IOException {
        try (Stream<Path> files = Files.list(TESTS)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ruleTests")
    void alertsFireAsTheTestSays(String testFile) throws IOException {
        Path promtool = E2ePrerequisites.requireExecutable("promtool", "prometheus");
        List<HasMetadata> rendered = Manifests.parse(HelmChartTest.template().withValuesFile(VALUES.toAbsolutePath()).call());
        GenericKubernetesResource rule = Manifests.generic(rendered, "PrometheusRule").get(0);
        JsonNode groups = YAML.valueToTree(rule.getAdditionalProperties().get("spec")).get("groups");
        Files.writeString(work.resolve("rules.yaml"), YAML.writeValueAsString(YAML.createObjectNode().set("groups", groups)));
        Files.copy(TESTS.resolve(testFile), work.resolve(testFile));
        Exec.Result result = Exec.run(List.of("sh", "-c", "cd " + work + " && " + promtool + " test rules " + testFile),
                Duration.ofSeconds(60));
        assertThat(result.exitCode()).as("promtool test rules %s:\n%s\n%s", testFile, result.stdout(), result.stderr())
                .isZero();
    }
}
