package io.traefikha.packaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.ProxmoxTlsSpec;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.planner.DrillPlanner;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.testbed.E2ePrerequisites;
import io.traefikha.testbed.Exec;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's alert rules and Grafana dashboard against the operator as it really runs: every rule expression and
 * every dashboard query parses with promtool (Prometheus' own parser, Debian package prometheus), and every metric
 * they name is in the operator's /q/metrics after it brought a pair to Ready and ran a drill.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MonitoringTest {

    private static final String NAMESPACE = "monitoring-test";
    private static final Path VALUES = Path.of("src/test/resources/packaging/values-monitoring.yaml");
    /** Our metric names in PromQL; every expression names at least one. */
    private static final Pattern METRIC = Pattern.compile("\\btraefikha_[a-z_]+\\b");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static ProxmoxSimulator proxmox;
    private static AdGuardHomeSimulator adguard;

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void startProxmox() {
        proxmox = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(30)).statsInterval(Duration.ZERO).start();
        adguard = AdGuardHomeSimulator.builder().user("admin", "adguard-secret").rewrites(HomelabPreset.rewrites()).start();
    }

    @AfterAll
    static void stopProxmox() {
        proxmox.close();
        adguard.close();
    }

    @Test
    void rulesAndDashboardParseWithPromtoolAndUseOnlyExportedMetrics() throws IOException {
        List<HasMetadata> defaults = Manifests.parse(HelmChartTest.template().call());
        assertThat(Manifests.generic(defaults, "PrometheusRule")).as("off by default").isEmpty();
        assertThat(Manifests.all(defaults, ConfigMap.class)).as("off by default").isEmpty();
        Path promtool = E2ePrerequisites.requireExecutable("promtool", "prometheus");
        List<HasMetadata> rendered = Manifests.parse(HelmChartTest.template().withValuesFile(VALUES.toAbsolutePath()).call());
        GenericKubernetesResource rule = Manifests.generic(rendered, "PrometheusRule").get(0);
        ConfigMap dashboardMap = Manifests.one(rendered, ConfigMap.class);
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(dashboardMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboardMap.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(dashboardMap.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Homelab");

        JsonNode groups = YAML.valueToTree(rule.getAdditionalProperties().get("spec")).get("groups");
        List<String> alerts = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        groups.forEach(g -> g.get("rules").forEach(r -> {
            alerts.add(r.get("alert").asText());
            expressions.add(r.get("expr").asText());
        }));
        assertThat(alerts).contains("TraefikHAVIPNotAnswering", "TraefikHAVRRPStateChange", "TraefikHAConfigSyncStale",
                "TraefikHAHealthCheckFailing", "TraefikHAKeepalivedDown", "TraefikHASplitBrain", "TraefikHASecondaryNotProvisioned",
                "TraefikHADrillFailed", "TraefikHAOperatorDown", "TraefikHAOperatorHeartbeat",
                "TraefikHACertificateExpiringSoon", "TraefikHANameNotServed");
        promtoolAccepts(promtool, "rules", YAML.writeValueAsString(YAML.createObjectNode().set("groups", groups)));

        JsonNode dashboard = new ObjectMapper().readTree(dashboardMap.getData().get("traefik-ha.json"));
        List<String> queries = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> queries.add(t.get("expr").asText())));
        assertThat(queries).hasSizeGreaterThanOrEqualTo(9);
        promtoolAccepts(promtool, "dashboard", asRecordingRules(queries));

        Set<String> exported = scrapeAfterReadyAndDrill();
        List<String> all = new ArrayList<>(expressions);
        all.addAll(queries);
        all.add(dashboard.at("/templating/list/1/definition").asText());
        for (String expression : all) {
            Set<String> named = metricNames(expression);
            assertThat(named).as("metrics in %s", expression).isNotEmpty();
            assertThat(exported).as("the operator exports every metric of %s", expression).containsAll(named);
        }
    }

    /** Ready pair, one drill by annotation, then the scrape: the metric names (without labels) the operator exports. */
    private Set<String> scrapeAfterReadyAndDrill() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(existing -> existing.update());
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("proxmox-api-token")
                .endMetadata().addToStringData("tokenId", proxmox.tokenId()).addToStringData("tokenSecret", proxmox.tokenSecret())
                .build()).createOr(existing -> existing.update());
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("traefik-ssh")
                .endMetadata().addToStringData("privateKey", "in-memory nodes take any key").build())
                .createOr(existing -> existing.update());
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setNamespace(NAMESPACE);
        resource.getSpec().proxmox.url = proxmox.baseUrl();
        resource.getSpec().proxmox.tls = new ProxmoxTlsSpec();
        resource.getSpec().proxmox.tls.fingerprint = proxmox.fingerprint();
        resource.getSpec().secondary.address = "192.168.1.121/24"; // an in-memory pair of its own
        // the example's DNS on the simulator: its pilot name moves, so the per-name checks export their gauges
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("adguard-credentials")
                .endMetadata().addToStringData("username", "admin").addToStringData("password", "adguard-secret").build())
                .createOr(existing -> existing.update());
        resource.getSpec().dns.adguard.url = adguard.url();
        resource.getSpec().deletionPolicy = DeletionPolicy.Retain;
        client.resource(resource).inNamespace(NAMESPACE).create();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(this::current, r -> r.getStatus() != null && r.getStatus().phase == ClusterPhase.Ready
                        && r.getStatus().served != null && !r.getStatus().served.isEmpty());

        client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName(resource.getMetadata().getName())
                .edit(r -> {
                    Map<String, String> annotations = new HashMap<>(r.getMetadata().getAnnotations() == null ? Map.of()
                            : r.getMetadata().getAnnotations());
                    annotations.put(DrillPlanner.ANNOTATION, "monitoring-test");
                    r.getMetadata().setAnnotations(annotations);
                    return r;
                });
        TraefikHACluster drilled = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(this::current, r -> r.getStatus().lastDrill != null && !DrillStatus.RUNNING.equals(r.getStatus().lastDrill.result));
        assertThat(drilled.getStatus().lastDrill.result).as(drilled.getStatus().lastDrill.message).isEqualTo(DrillStatus.SUCCEEDED);

        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        client.resource(drilled).delete();
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> l.startsWith("traefikha_")).forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private TraefikHACluster current() {
        return client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("traefik").get();
    }

    static Set<String> metricNames(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expression);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Dashboard queries as recording rules, so promtool parses them exactly as it parses alert expressions. */
    private static String asRecordingRules(List<String> queries) throws IOException {
        ArrayNode rules = YAML.createArrayNode();
        for (int i = 0; i < queries.size(); i++) {
            rules.addObject().put("record", "dashboard:query_" + i).put("expr", queries.get(i));
        }
        ObjectNode file = YAML.createObjectNode();
        file.putArray("groups").addObject().put("name", "dashboard").set("rules", rules);
        return YAML.writeValueAsString(file);
    }

    private static void promtoolAccepts(Path promtool, String what, String rulesYaml) throws IOException {
        Path file = Files.createTempFile("traefikha-" + what, ".yaml");
        try {
            Files.writeString(file, rulesYaml);
            Exec.Result result = Exec.run(List.of(promtool.toString(), "check", "rules", file.toString()), Duration.ofSeconds(30));
            assertThat(result.exitCode()).as("promtool check rules (%s):\n%s\n%s", what, result.stdout(), result.stderr()).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
