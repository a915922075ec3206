package io.traefikha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.traefikha.api.ExampleSpecs;
import io.traefikha.api.TraefikHACluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Start-up time and resident memory of the packaged operator (target/quarkus-app) against a local Kubernetes test API,
 * next to an idle JVM as the baseline. Prints numbers; asserts only that the runs happened.
 * Run: ./mvnw verify -Pbenchmark -Dtest=OperatorStartupBenchmark
 */
@Tag("benchmark")
class OperatorStartupBenchmark {

    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Duration LIMIT = Duration.ofSeconds(60);

    record Sample(double secondsToReady, long rssKibAtReady, double secondsToFirstStatus, long rssKibAfterReconcile) {
    }

    @Test
    void startupAndMemory() throws Exception {
        assertThat(JAR).as("package the application first (the benchmark profile runs after `package`)").exists();
        List<Sample> operator = new ArrayList<>();
        List<Sample> idle = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            idle.add(runIdleJvm());
            operator.add(runOperator());
        }
        double idleReady = median(idle.stream().mapToDouble(Sample::secondsToReady).toArray());
        double idleRss = median(idle.stream().mapToDouble(Sample::rssKibAtReady).toArray());
        double opReady = median(operator.stream().mapToDouble(Sample::secondsToReady).toArray());
        double opRss = median(operator.stream().mapToDouble(Sample::rssKibAtReady).toArray());
        double opStatus = median(operator.stream().mapToDouble(Sample::secondsToFirstStatus).toArray());
        double opRssAfter = median(operator.stream().mapToDouble(Sample::rssKibAfterReconcile).toArray());

        System.out.printf("%n=== operator start-up (median of %d runs, %d cores) ===%n", RUNS,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-44s %10s %12s%n", "", "seconds", "RSS MiB");
        System.out.printf("%-44s %10.2f %12.1f%n", "baseline: idle JVM, start to ready", idleReady, idleRss / 1024);
        System.out.printf("%-44s %10.2f %12.1f%n", "operator: start to /q/health/ready UP", opReady, opRss / 1024);
        System.out.printf("%-44s %10.2f %12.1f%n", "operator: + first resource validated", opStatus, opRssAfter / 1024);
        System.out.printf("%-44s %10.1fx %11.1fx%n", "ratio operator/baseline (ready)", opReady / idleReady, opRss / idleRss);
        assertThat(operator).hasSize(RUNS);
    }

    private static Sample runIdleJvm() throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(javaBinary(), "-cp", "target/test-classes", IdleJvm.class.getName())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
            String line = out.readLine();
            assertThat(line).isEqualTo("ready");
            double seconds = (System.nanoTime() - start) / 1e9;
            long rss = rssKib(process.pid());
            return new Sample(seconds, rss, seconds, rss);
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    private static Sample runOperator() throws Exception {
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        Path workDir = Files.createTempDirectory("traefikha-bench");
        Path kubeconfig = writeKubeconfig(workDir, api.url("/").replaceAll("/$", ""));
        int httpPort = freePort();
        Path log = workDir.resolve("operator.log");
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.operator-sdk.controllers.traefikha.namespaces=traefik-ha", "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("POD_NAMESPACE", "traefik-ha");
        try (KubernetesClient client = api.createClient()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("traefik-ha").endMetadata().build())
                    .create();
            long start = System.nanoTime();
            Process process = builder.start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
                awaitTrue(() -> answers200(http, ready), process, log);
                double secondsToReady = (System.nanoTime() - start) / 1e9;
                long rssAtReady = rssKib(process.pid());

                TraefikHACluster resource = ExampleSpecs.homelab();
                client.resource(resource).inNamespace("traefik-ha").create();
                awaitTrue(() -> {
                    TraefikHACluster seen = client.resources(TraefikHACluster.class).inNamespace("traefik-ha")
                            .withName(resource.getMetadata().getName()).get();
                    return seen.getStatus() != null && seen.getStatus().observedGeneration != null;
                }, process, log);
                double secondsToStatus = (System.nanoTime() - start) / 1e9;
                return new Sample(secondsToReady, rssAtReady, secondsToStatus, rssKib(process.pid()));
            } finally {
                process.destroy();
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        } finally {
            api.destroy();
        }
    }

    private static boolean answers200(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Polls every 20 ms, at most {@link #LIMIT}; fails with the operator's log when it does not come true. */
    private static void awaitTrue(BooleanSupplier condition, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("operator did not get there; its log:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    private static Path writeKubeconfig(Path dir, String server) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: bench
                  cluster: {server: "%s"}
                users:
                - name: bench
                  user: {token: bench}
                contexts:
                - name: bench
                  context: {cluster: bench, user: bench, namespace: traefik-ha}
                current-context: bench
                """.formatted(server));
    }

    private static long rssKib(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .findFirst().orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
