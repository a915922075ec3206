package io.traefikha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.traefikha.testbed.E2ePrerequisites;
import io.traefikha.testbed.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alerts that must fire without the operator's help, and the VIP's, run on made-up series with {@code promtool test
 * rules} (Prometheus' own rule evaluator) as the chart renders them: the dead-man TraefikHAOperatorDown when the
 * operator's target is gone, down, or up without reconciling; the heartbeat TraefikHAOperatorHeartbeat only while it is
 * alive; TraefikHAVIPNotAnswering on VIPHealthy False.
 */
class AlertRulesTest {

    private static final Path VALUES = Path.of("src/test/resources/packaging/values-monitoring.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The operator's target as the chart's ServiceMonitor makes Prometheus label it (the Service's name). */
    private static final String TARGET = "job=\"" + HelmChartTest.RELEASE + "-traefik-ha-operator\", namespace=\""
            + HelmChartTest.NS + "\"";
    private static final String UP = "up{" + TARGET + "}";
    private static final String RECONCILES = "traefikha_reconcile_seconds_count{" + TARGET + ", cluster=\"traefik-ha/traefik\"}";
    private static final String VIP_HEALTHY = "traefikha_condition{cluster=\"traefik-ha/traefik\", type=\"VIPHealthy\"}";

    private static Path promtool;
    private static JsonNode groups;
    private static final Map<String, JsonNode> RULES = new HashMap<>();

    @BeforeAll
    static void render() {
        promtool = E2ePrerequisites.requireExecutable("promtool", "prometheus");
        GenericKubernetesResource rule = Manifests.generic(Manifests.parse(HelmChartTest.template()
                .withValuesFile(VALUES.toAbsolutePath()).call()), "PrometheusRule").get(0);
        groups = YAML.valueToTree(rule.getAdditionalProperties().get("spec")).get("groups");
        groups.forEach(g -> g.get("rules").forEach(r -> RULES.put(r.get("alert").asText(), r)));
    }

    @Test
    void aliveOperatorHasAHeartbeatAndNoDeadMan() throws IOException {
        ObjectNode test = test(Map.of(UP, "1x40", RECONCILES, "0+4x40", VIP_HEALTHY, "1x40"));
        expect(test, "15m", "TraefikHAOperatorDown", false, Map.of());
        expect(test, "15m", "TraefikHAOperatorHeartbeat", true, Map.of());
        expect(test, "15m", "TraefikHAVIPNotAnswering", false, Map.of());
        promtoolPasses(test);
    }

    @Test
    void theDeadManFiresWhenTheTargetIsGoneDownOrStale() throws IOException {
        ObjectNode gone = test(Map.of(UP, "1x10 _x50", RECONCILES, "0+4x10 _x50"));
        expect(gone, "4m", "TraefikHAOperatorDown", false, Map.of());
        expect(gone, "25m", "TraefikHAOperatorDown", true, Map.of());
        expect(gone, "25m", "TraefikHAOperatorHeartbeat", false, Map.of());

        ObjectNode down = test(Map.of(UP, "0x40"));
        expect(down, "6m", "TraefikHAOperatorDown", true, Map.of());
        expect(down, "6m", "TraefikHAOperatorHeartbeat", false, Map.of());

        ObjectNode stale = test(Map.of(UP, "1x60", RECONCILES, "0+4x20 80x40"));
        expect(stale, "12m", "TraefikHAOperatorDown", false, Map.of());
        expect(stale, "25m", "TraefikHAOperatorDown", true, Map.of());
        expect(stale, "25m", "TraefikHAOperatorHeartbeat", false, Map.of());
        promtoolPasses(gone, down, stale);
    }

    @Test
    void vipHealthyFalseIsTheVipNotAnswering() throws IOException {
        ObjectNode test = test(Map.of(VIP_HEALTHY, "1x4 0x20", UP, "1x24", RECONCILES, "0+4x24"));
        expect(test, "1m", "TraefikHAVIPNotAnswering", false, Map.of());
        expect(test, "4m", "TraefikHAVIPNotAnswering", true, Map.of("cluster", "traefik-ha/traefik", "type", "VIPHealthy"));
        promtoolPasses(test);
    }

    /** One promtool test group: these series, sampled every 30 s. */
    private static ObjectNode test(Map<String, String> series) {
        ObjectNode test = YAML.createObjectNode().put("interval", "30s");
        ArrayNode input = test.putArray("input_series");
        series.forEach((name, values) -> input.addObject().put("series", name).put("values", values));
        test.putArray("alert_rule_test");
        return test;
    }

    /** The alert fires at that time with the rule's labels and these (and its annotations as Prometheus expands them), or not. */
    private static void expect(ObjectNode test, String at, String alert, boolean fires, Map<String, String> seriesLabels) {
        ObjectNode check = ((ArrayNode) test.get("alert_rule_test")).addObject().put("eval_time", at).put("alertname", alert);
        ArrayNode alerts = check.putArray("exp_alerts");
        if (fires) {
            JsonNode rule = RULES.get(alert);
            assertThat(rule).as("the chart renders %s", alert).isNotNull();
            ObjectNode labels = alerts.addObject().putObject("exp_labels");
            rule.get("labels").fields().forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
            seriesLabels.forEach(labels::put);
            ObjectNode annotations = ((ObjectNode) alerts.get(0)).putObject("exp_annotations");
            rule.get("annotations").fields().forEachRemaining(a -> annotations.put(a.getKey(), a.getValue().asText()
                    .replace("{{ $labels.cluster }}", seriesLabels.getOrDefault("cluster", ""))));
        }
    }

    private static void promtoolPasses(ObjectNode... tests) throws IOException {
        Path dir = Files.createTempDirectory("traefikha-alerts");
        try {
            Files.writeString(dir.resolve("rules.yaml"), YAML.writeValueAsString(YAML.createObjectNode().set("groups", groups)));
            ObjectNode file = YAML.createObjectNode();
            file.putArray("rule_files").add("rules.yaml");
            file.put("evaluation_interval", "30s");
            ArrayNode all = file.putArray("tests");
            List.of(tests).forEach(all::add);
            Files.writeString(dir.resolve("test.yaml"), YAML.writeValueAsString(file));
            Exec.Result result = Exec.run(List.of("sh", "-c", "cd '" + dir + "' && '" + promtool + "' test rules test.yaml"),
                    Duration.ofSeconds(60));
            assertThat(result.exitCode()).as("promtool test rules:\n%s\n%s", result.stdout(), result.stderr()).isZero();
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.delete(dir);
        }
    }
}
