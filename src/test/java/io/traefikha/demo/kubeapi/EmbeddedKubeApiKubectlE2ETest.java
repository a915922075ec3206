package io.traefikha.demo.kubeapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.FailoverStatus;
import io.traefikha.api.v1alpha1.SyncStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.api.v1alpha1.VipStatus;
import io.traefikha.testbed.E2ePrerequisites;
import io.traefikha.testbed.Exec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against {@link EmbeddedKubeApi}: what the demo promises a newcomer can type. Each test gets a fresh
 * API with the CRD and the examples applied by kubectl, and its own kubectl cache directory.
 */
@Tag("e2e")
class EmbeddedKubeApiKubectlE2ETest {

    private static final String NAMESPACE = "traefik-ha";
    private static final Path CRD = Path.of("crds/traefikhaclusters.traefikha.io-v1.yml");
    private static final String SECRETS = "deploy/examples/secrets.yaml";
    private static final String CLUSTER = "deploy/examples/traefikhacluster.yaml";
    private static final Duration BACKGROUND_LIMIT = Duration.ofSeconds(30);

    private static Path kubectl;

    @TempDir
    Path work;
    private EmbeddedKubeApi api;
    private KubernetesClient client;
    private Path kubeconfig;
    private final List<Process> background = new ArrayList<>();

    @BeforeAll
    static void requireKubectl() {
        kubectl = E2ePrerequisites.requireExecutable("kubectl", "kubernetes-client");
    }

    @BeforeEach
    void startApiAndApplyExamples() {
        api = EmbeddedKubeApi.start();
        client = api.client();
        api.installCrd(CRD);
        kubeconfig = api.writeKubeconfig(work.resolve("kubeconfig"), NAMESPACE);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : background) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        api.close();
    }

    @Test
    void applyCreatesTheExamplesAndReappliesThemClientSide() throws Exception {
        assertThat(kubectlOk("apply", "-f", SECRETS, "-f", CLUSTER)).isEqualToIgnoringWhitespace("""
                namespace/traefik-ha created
                secret/proxmox-api-token created
                secret/traefik-ssh created
                secret/adguard-credentials created
                traefikhacluster.traefikha.io/traefik created""");
        assertThat(cluster().get().getSpec().vip.address).isEqualTo("192.168.1.100/24");
        // stringData is folded into data, as a real API server does (the operator reads data)
        assertThat(client.secrets().inNamespace(NAMESPACE).withName("adguard-credentials").get().getData())
                .containsEntry("username", "YWRtaW4=");

        Path editedFile = Files.writeString(work.resolve("traefikhacluster.yaml"),
                Files.readString(Path.of(CLUSTER)).replace("advertInterval: 120ms", "advertInterval: 200ms"));
        assertThat(kubectlOk("apply", "-f", editedFile.toString()))
                .isEqualToIgnoringWhitespace("traefikhacluster.traefikha.io/traefik configured");
        assertThat(cluster().get().getSpec().vip.advertInterval).isEqualTo("200ms");
        assertThat(cluster().get().getMetadata().getGeneration()).isEqualTo(2);
    }

    @Test
    void applyRefusesAHarmfulSpecNamingTheFieldAndStoresNothing() throws Exception {
        kubectlOk("apply", "-f", SECRETS);
        Exec.Result refused = kubectl("apply", "-f", edited("address: 192.168.1.100/24", "address: 192.168.1.100").toString());

        assertThat(refused.exitCode()).isNotZero();
        // two causes, which kubectl lists: the pattern, and the CEL rule that finds no prefix length to compare
        assertThat(refused.stderr()).contains("The TraefikHACluster \"traefik\" is invalid:")
                .contains("* spec.vip.address: Invalid value: \"192.168.1.100\": spec.vip.address in body should match '^")
                .contains("* spec: Invalid value: \"object\": ")
                .contains("evaluating rule: primary.address, every secondary's address and vip.address must have the same prefix length");
        assertThat(cluster().get()).isNull();
    }

    @Test
    void applyRefusesAHarmfulChangeAndAnUnknownFieldAndKeepsWhatIsStored() throws Exception {
        applyExamples();

        Exec.Result sameVmid = kubectl("apply", "-f", edited("    vmid: 111\n", "    vmid: 110\n").toString());
        assertThat(sameVmid.exitCode()).isNotZero();
        assertThat(sameVmid.stderr()).contains("The TraefikHACluster \"traefik\" is invalid: spec: Invalid value: \"object\":"
                + " every secondary's vmid must differ from primary.vmid");
        // kubectl asks for strict field validation: a misspelt field is refused, not dropped
        Exec.Result misspelt = kubectl("apply", "-f", edited("virtualRouterId:", "virtualRouterID:").toString());
        assertThat(misspelt.exitCode()).isNotZero();
        assertThat(misspelt.stderr()).contains("strict decoding error: unknown field \"spec.vip.virtualRouterID\"");

        assertThat(cluster().get().getSpec().secondary.vmid).isEqualTo(111);
        assertThat(cluster().get().getMetadata().getGeneration()).isEqualTo(1);
    }

    @Test
    void applyStoresTheSchemaDefaults() throws Exception {
        assertThat(Files.readString(Path.of(CLUSTER))).doesNotContain("ttl:").doesNotContain("dryRun:")
                .doesNotContain("takeOverConflicts:");
        applyExamples();

        assertThat(kubectlOk("get", "traefikha", "traefik", "-o",
                "jsonpath={.spec.dns.ttl} {.spec.dryRun} {.spec.dns.takeOverConflicts}")).isEqualTo("300 false false");
    }

    @Test
    void aStrategicMergePatchOfTheCustomResourceIsUnsupportedAsOnARealApiServer() {
        applyExamples();
        String patch = "{\"spec\":{\"dryRun\":true}}";
        // kubectl's words around the server's 415 Status
        String refusal = "error: application/strategic-merge-patch+json is not supported by traefikha.io/v1alpha1,"
                + " Kind=TraefikHACluster: the body of the request was in an unknown format - accepted media types include:"
                + " application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

        Exec.Result strategic = kubectl("patch", "traefikha", "traefik", "--type=strategic", "-p", patch);
        assertThat(strategic.exitCode()).isNotZero();
        assertThat(strategic.stderr()).contains(refusal);
        // strategic is kubectl patch's default type
        assertThat(kubectl("patch", "traefikha", "traefik", "-p", patch).stderr()).contains(refusal);
        assertThat(cluster().get().getSpec().dryRun).isFalse();

        kubectlOk("patch", "traefikha", "traefik", "--type=merge", "-p", patch);
        assertThat(cluster().get().getSpec().dryRun).isTrue();
    }

    @Test
    void aStatusWriteIsJudgedByTheStatusSchema() {
        applyExamples();
        setStatus(ClusterPhase.Ready, Condition.TRUE);

        Exec.Result refused = kubectl("patch", "traefikha", "traefik", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"phase\":\"Sleeping\"}}");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("status.phase: Unsupported value: \"Sleeping\": supported values: \"Degraded\","
                + " \"Failed\", \"Maintenance\", \"Pending\", \"Provisioning\", \"Ready\"");
        assertThat(cluster().get().getStatus().phase).isEqualTo(ClusterPhase.Ready);
    }

    @Test
    void getPrintsThePrinterColumnsWithStatusValuesAndWideAddsThePriorityOnes() {
        applyExamples();
        setStatus(ClusterPhase.Ready, Condition.TRUE);

        List<String> get = lines(kubectlOk("get", "traefikha"));
        assertThat(get.get(0)).matches("NAME\\s+AGE\\s+VIP\\s+PHASE\\s+REPLICAS\\s+SYNC\\s+MASTER");
        assertThat(get.get(1)).matches("traefik\\s+\\d+s\\s+192\\.168\\.1\\.100/24\\s+Ready\\s+2/2\\s+InSync\\s+traefik");

        List<String> wide = lines(kubectlOk("get", "traefikha", "-o", "wide"));
        assertThat(wide.get(0)).matches(
                "NAME\\s+AGE\\s+PRIMARY\\s+VIP\\s+FAILOVERS\\s+PHASE\\s+REPLICAS\\s+SYNC\\s+MASTER");
        assertThat(wide.get(1)).matches("traefik\\s+\\d+s\\s+192\\.168\\.1\\.110/24\\s+"
                + "192\\.168\\.1\\.100/24\\s+2\\s+Ready\\s+2/2\\s+InSync\\s+traefik");

        assertThat(lines(kubectlOk("get", "namespaces")).get(0)).matches("NAME\\s+STATUS\\s+AGE");
        assertThat(kubectlOk("get", "secrets")).contains("adguard-credentials").containsPattern("TYPE\\s+AGE");
    }

    @Test
    void theShortNameWorksLikeTheKind() {
        applyExamples();
        assertThat(lines(kubectlOk("get", "tha")).get(1)).startsWith("traefik ");
        assertThat(kubectlOk("get", "tha", "-o", "name")).isEqualToIgnoringWhitespace("traefikhacluster.traefikha.io/traefik");
    }

    @Test
    void describeShowsConditionsAndEvents() {
        applyExamples();
        setStatus(ClusterPhase.Ready, Condition.TRUE);
        TraefikHACluster resource = cluster().get();
        client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder().withNewMetadata()
                .withName("traefik.failover").endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("traefikha.io/v1alpha1")
                        .withKind("TraefikHACluster").withNamespace(NAMESPACE).withName("traefik")
                        .withUid(resource.getMetadata().getUid()).build())
                .withType("Warning").withReason("Failover").withMessage("VIP moved to traefik-2")
                .withFirstTimestamp(Instant.now().toString()).withLastTimestamp(Instant.now().toString()).withCount(1)
                .withNewSource().withComponent("traefik-ha-operator").endSource().build()).create();
        // an event about another object, which describe must leave out
        client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder().withNewMetadata()
                .withName("other.event").endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withKind("Secret").withNamespace(NAMESPACE)
                        .withName("traefik-ssh").build())
                .withType("Normal").withReason("Unrelated").withMessage("not about traefik").build()).create();

        String describe = kubectlOk("describe", "traefikha", "traefik");
        assertThat(describe).containsPattern("Conditions:\\s+Last Transition Time:\\s+\\S+\\s+Message:\\s+VIP served"
                + "\\s+Reason:\\s+Serving\\s+Status:\\s+True\\s+Type:\\s+Ready");
        assertThat(describe).containsPattern("Events:\\s+Type\\s+Reason\\s+Age\\s+From\\s+Message")
                .containsPattern("Warning\\s+Failover\\s+\\S+\\s+traefik-ha-operator\\s+VIP moved to traefik-2")
                .doesNotContain("Unrelated");
    }

    @Test
    void waitReturnsOnceTheStatusSaysReady() throws Exception {
        applyExamples();
        setStatus(ClusterPhase.Provisioning, Condition.FALSE);
        Path out = work.resolve("wait.out");
        Process wait = startKubectl(out, "wait", "--for=condition=Ready", "traefikha/traefik", "--timeout=20s");
        awaitOutput(out, text -> false, Duration.ofSeconds(2)); // kubectl is now watching; it must not finish yet
        assertThat(wait.isAlive()).as("kubectl wait returned before Ready: %s", Files.readString(out)).isTrue();

        // through kubectl, whose status patch carries ?fieldManager= (the mock alone would patch the object instead)
        kubectlOk("patch", "traefikha", "traefik", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Serving\","
                        + "\"message\":\"VIP served\",\"lastTransitionTime\":\"" + Instant.now() + "\"}]}}");
        assertThat(wait.waitFor(BACKGROUND_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(wait.exitValue()).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out)).isEqualToIgnoringWhitespace("traefikhacluster.traefikha.io/traefik condition met");
        // the merge patch replaced the conditions list rather than appending to it
        assertThat(cluster().get().getStatus().conditions).singleElement()
                .satisfies(condition -> assertThat(condition.status).isEqualTo(Condition.TRUE));
    }

    @Test
    void getWatchPrintsEachChange() throws Exception {
        applyExamples();
        setStatus(ClusterPhase.Provisioning, Condition.FALSE);
        Path out = work.resolve("watch.out");
        startKubectl(out, "get", "traefikha", "--watch");
        awaitOutput(out, text -> text.contains("Provisioning"), BACKGROUND_LIMIT);

        setStatus(ClusterPhase.Ready, Condition.TRUE);
        String printed = awaitOutput(out, text -> text.contains("Ready"), BACKGROUND_LIMIT);
        assertThat(lines(printed)).hasSize(3).first().asString().startsWith("NAME");
        assertThat(lines(printed).get(2)).matches("traefik\\s+\\d+s\\s+192\\.168\\.1\\.100/24\\s+Ready\\s+2/2\\s+InSync\\s+traefik");
    }

    @Test
    void deleteRemovesWhatApplyCreated() {
        applyExamples();
        assertThat(kubectlOk("delete", "-f", CLUSTER, "-f", SECRETS)).isEqualToIgnoringWhitespace("""
                traefikhacluster.traefikha.io "traefik" deleted
                namespace "traefik-ha" deleted
                secret "proxmox-api-token" deleted
                secret "traefik-ssh" deleted
                secret "adguard-credentials" deleted""");
        assertThat(cluster().get()).isNull();
        assertThat(kubectl("get", "traefikha").stderr()).contains("No resources found in traefik-ha namespace.");
        // kubectl reads the NotFound Status bodies the mock leaves empty, and then checks the namespace as well
        assertThat(kubectl("get", "traefikha", "traefik").stderr()).contains("namespaces \"traefik-ha\" not found");
    }

    @Test
    void explainWalksTheCrdSchema() {
        String explain = kubectlOk("explain", "traefikha.spec.vip");
        assertThat(explain).containsPattern("KIND:\\s+TraefikHACluster").containsPattern("FIELD:\\s+vip <Object>")
                .containsPattern("address\\s+<string> -required-").contains("advertInterval");
    }

    /** The example with one text replaced, in a file of its own. */
    private Path edited(String text, String replacement) throws Exception {
        String example = Files.readString(Path.of(CLUSTER));
        assertThat(example).as("the example has it once").containsOnlyOnce(text);
        return Files.writeString(work.resolve("edited-traefikhacluster.yaml"), example.replace(text, replacement));
    }

    private void applyExamples() {
        kubectlOk("apply", "-f", SECRETS, "-f", CLUSTER);
    }

    private Resource<TraefikHACluster> cluster() {
        return client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("traefik");
    }

    /** Through the fabric8 client, as the operator writes status. */
    private void setStatus(ClusterPhase phase, String ready) {
        cluster().editStatus(resource -> {
            TraefikHAClusterStatus status = new TraefikHAClusterStatus();
            status.phase = phase;
            status.replicas = "2/2";
            status.sync = new SyncStatus();
            status.sync.state = "InSync";
            status.vip = new VipStatus();
            status.vip.holder = "traefik";
            status.failovers = new FailoverStatus();
            status.failovers.count = 2;
            Condition condition = new Condition("Ready", ready, "Serving", "VIP served");
            condition.lastTransitionTime = Instant.now().toString();
            status.conditions.add(condition);
            resource.setStatus(status);
            return resource;
        });
    }

    private Exec.Result kubectl(String... args) {
        return Exec.run(command(args), Duration.ofSeconds(30));
    }

    private String kubectlOk(String... args) {
        return kubectl(args).orThrow("kubectl " + String.join(" ", args)).stdout();
    }

    private Process startKubectl(Path out, String... args) throws Exception {
        Process process = new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(new File("/dev/null")).start();
        background.add(process);
        return process;
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", work.resolve("kube-cache").toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Polls the file every 100 ms until {@code done} holds or {@code limit} passes; returns what it last read. */
    private static String awaitOutput(Path out, Predicate<String> done, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String text = Files.readString(out);
        while (!done.test(text) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            text = Files.readString(out);
        }
        return text;
    }

    private static List<String> lines(String text) {
        return text.lines().filter(line -> !line.isBlank()).toList();
    }
}
