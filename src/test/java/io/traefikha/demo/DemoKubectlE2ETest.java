package io.traefikha.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.adguard.Rewrite;
import io.traefikha.testbed.E2ePrerequisites;
import io.traefikha.testbed.Exec;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo as the README promises it: the homelab and the real operator in one process, driven with the real kubectl
 * and the printed kubeconfig; asserts on what kubectl prints.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
@Tag("e2e")
class DemoKubectlE2ETest {

    private static final Duration READY_LIMIT = Duration.ofSeconds(120);
    private static final Duration STEP_LIMIT = Duration.ofSeconds(60);
    private static Path kubectl;

    /** kubectl's cache directory; a static field, as @QuarkusTest runs the test on another instance than JUnit's */
    private static Path kubeCache;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private DemoConsole console;
    @Inject
    DemoHomelab homelab;

    @BeforeAll
    static void requireKubectl() {
        kubectl = E2ePrerequisites.requireExecutable("kubectl", "kubernetes-client");
    }

    @BeforeAll
    static void kubectlCache() throws Exception {
        kubeCache = Files.createTempDirectory("demo-kube-cache-");
    }

    @AfterAll
    static void removeKubectlCache() throws Exception {
        if (kubeCache != null) {
            try (var files = Files.walk(kubeCache)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    @AfterEach
    void stopConsole() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void theHomelabGoesToReadyFailsOverHealsAndIsDeletedWithKubectl() throws Exception {
        console = new DemoConsole(homelab, new PrintStream(printed, true, StandardCharsets.UTF_8), Instant.now());
        console.start();
        assertThat(consoleText()).contains("Kubeconfig: " + homelab.kubeconfig())
                .contains("kubectl --kubeconfig " + homelab.kubeconfig() + " get traefikha");

        await().atMost(READY_LIMIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> rowOf(kubectlOk("get", "traefikha")).contains(" Ready "));
        List<String> get = lines(kubectlOk("get", "traefikha"));
        assertThat(get.get(0)).matches("NAME\\s+AGE\\s+VIP\\s+PHASE\\s+REPLICAS\\s+SYNC\\s+MASTER");
        assertThat(get.get(1)).matches("traefik\\s+\\d+s\\s+192\\.168\\.1\\.100/24\\s+Ready\\s+2/2\\s+InSync\\s+traefik");
        assertThat(homelab.proxmox().isRunning(DemoHomelab.SECONDARY_VMID)).isTrue();
        assertThat(homelab.proxmox().nodeOf(DemoHomelab.SECONDARY_VMID)).isEqualTo("proxmox2");
        // The console follows the resource by polling: it tells Ready a moment after the API has it.
        await().atMost(Duration.ofSeconds(10)).until(() -> consoleText().contains("after the demo started"));
        assertThat(consoleText()).contains("Ready ");

        String describe = kubectlOk("describe", "traefikha", "traefik");
        assertThat(describe).containsPattern("Reason:\\s+\\S+\\s+Status:\\s+True\\s+Type:\\s+Ready")
                .containsPattern("Events:\\s+Type\\s+Reason\\s+Age\\s+From\\s+Message")
                .containsPattern("Normal\\s+Cloning\\s+.*clone CT 110 to CT 111");

        // DNS: the first group moves once Ready, the next after the demo's short soak time
        await().atMost(STEP_LIMIT).until(() -> namesAtVip() >= 2);

        console.run("kill-traefik");
        await().atMost(STEP_LIMIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> rowOf(kubectlOk("get", "traefikha", "-o", "wide")).matches(".*\\s1\\s+Ready\\s+\\d/2\\s+InSync\\s+traefik-2"));
        assertThat(kubectlOk("describe", "traefikha", "traefik"))
                .containsPattern("Warning\\s+Failover\\s+.*moved from traefik to traefik-2");
        assertThat(kubectlOk("get", "events")).contains("Failover");

        console.run("revive-traefik");
        await().atMost(STEP_LIMIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> rowOf(kubectlOk("get", "traefikha")).endsWith(" traefik"));

        console.run("drop-route");
        await().atMost(STEP_LIMIT).pollInterval(Duration.ofSeconds(1)).until(() -> kubectlOk("get", "traefikha", "traefik",
                "-o", "jsonpath={.status.conditions[?(@.type==\"RoutesMatch\")].message}")
                .contains("the secondary lacks uptime-kuma@file"));
        assertThat(rowOf(kubectlOk("get", "traefikha"))).contains(" Degraded ");
        assertThat(kubectlOk("get", "events")).containsPattern("Warning\\s+RoutesDiffer\\s+.*uptime-kuma@file");
        console.run("restore-route");
        await().atMost(STEP_LIMIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> rowOf(kubectlOk("get", "traefikha")).contains(" Ready "));

        console.run("hang-vip");
        await().atMost(STEP_LIMIT).pollInterval(Duration.ofSeconds(1)).until(() -> kubectlOk("get", "traefikha", "traefik",
                "-o", "jsonpath={.status.conditions[?(@.type==\"VIPHealthy\")].reason}").equals("NotAnswering"));
        assertThat(kubectlOk("get", "traefikha", "traefik", "-o", "jsonpath={.status.vip.entryPoints[0].error}"))
                .isEqualTo("no answer within 2000 ms");
        assertThat(kubectlOk("get", "events")).containsPattern("Warning\\s+VIPNotAnswering\\s+.*does not answer clients");
        console.run("unhang-vip");
        await().atMost(STEP_LIMIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> rowOf(kubectlOk("get", "traefikha")).contains(" Ready "));
        assertThat(kubectlOk("get", "events")).containsPattern("Normal\\s+VIPAnswering\\s+");

        // the per-name checks: a moved name that stops answering, then a certificate that expired
        String pilot = "traefik." + HomelabPreset.DOMAIN;
        String servedPath = "jsonpath={.status.served[?(@.name==\"" + pilot + "\")].served}";
        console.run("break-name traefik");
        await().atMost(STEP_LIMIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectlOk("get", "traefikha", "traefik", "-o", servedPath).equals("false"));
        assertThat(kubectlOk("get", "events")).containsPattern("Warning\\s+NameNotServed\\s+.*" + pilot)
                .containsPattern("Warning\\s+DNSSoakReset\\s+.*not answering through the VIP: " + pilot);
        console.run("names");
        assertThat(consoleText()).contains(pilot).contains("NOT SERVED (TLS handshake failed");
        console.run("fix-names");
        await().atMost(STEP_LIMIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectlOk("get", "traefikha", "traefik", "-o", servedPath).equals("true"));
        console.run("expire-cert traefik");
        String certificates = "jsonpath={.status.conditions[?(@.type==\"CertificatesValid\")].message}";
        await().atMost(STEP_LIMIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectlOk("get", "traefikha", "traefik", "-o", certificates).contains(pilot + ": expired "));
        assertThat(rowOf(kubectlOk("get", "traefikha"))).as("a warning, not the pair's health").contains(" Ready ");
        console.run("fix-names");

        console.run("stop-secondary");
        await().atMost(STEP_LIMIT).until(() -> !homelab.proxmox().isRunning(DemoHomelab.SECONDARY_VMID));
        await().atMost(STEP_LIMIT).until(() -> homelab.proxmox().isRunning(DemoHomelab.SECONDARY_VMID));
        await().atMost(STEP_LIMIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> rowOf(kubectlOk("get", "traefikha")).contains(" Ready "));

        // a third replica by one line: uncomment it in the demo's example and apply the file again
        Path cluster = homelab.examples().cluster();
        String example = Files.readString(cluster);
        String third = "    # - {node: proxmox3, vmid: " + DemoHomelab.THIRD_VMID;
        assertThat(example).contains(third);
        Files.writeString(cluster, example.replace(third, "    - {node: proxmox3, vmid: " + DemoHomelab.THIRD_VMID));
        assertThat(kubectlOk("apply", "-f", cluster.toString())).contains("traefikhacluster.traefikha.io/traefik configured");
        await().atMost(STEP_LIMIT.multipliedBy(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> rowOf(kubectlOk("get", "traefikha")).matches(".*\\sReady\\s+3/3\\s+InSync\\s+traefik"));
        assertThat(homelab.proxmox().isRunning(DemoHomelab.THIRD_VMID)).isTrue();
        assertThat(homelab.proxmox().nodeOf(DemoHomelab.THIRD_VMID)).isEqualTo("proxmox3");
        assertThat(kubectlOk("get", "traefikha", "traefik", "-o", "jsonpath={.status.nodes[*].role}"))
                .isEqualTo("primary secondary secondary-2");

        // deletionPolicy Rollback (the example's): the names go back to the primary before the resource goes
        assertThat(kubectlOk("delete", "traefikha", "traefik", "--timeout=90s"))
                .isEqualToIgnoringWhitespace("traefikhacluster.traefikha.io \"traefik\" deleted");
        assertThat(kubectl("get", "traefikha").stderr()).contains("No resources found in traefik-ha namespace.");
        assertThat(namesAtVip()).isZero();
        assertThat(homelab.adguard().rewrites()).extracting(Rewrite::answer).containsOnly(HomelabPreset.PRIMARY_ADDRESS);
    }

    private long namesAtVip() {
        return homelab.adguard().rewrites().stream().filter(r -> HomelabPreset.VIP_ADDRESS.equals(r.answer())).count();
    }

    private String consoleText() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private Exec.Result kubectl(String... args) {
        return Exec.run(command(args), Duration.ofSeconds(100));
    }

    private String kubectlOk(String... args) {
        return kubectl(args).orThrow("kubectl " + String.join(" ", args)).stdout();
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", homelab.kubeconfig().toString(),
                "--cache-dir", kubeCache.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** The resource's row of a kubectl get table ("" if there is none). */
    private static String rowOf(String table) {
        List<String> lines = lines(table);
        return lines.size() < 2 ? "" : lines.get(1).trim();
    }

    private static List<String> lines(String text) {
        return text.lines().filter(line -> !line.isBlank()).toList();
    }
}
