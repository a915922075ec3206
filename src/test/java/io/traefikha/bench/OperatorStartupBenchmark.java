package io.traefikha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Start-up time and resident memory of the packaged operator (target/quarkus-app) against a local Kubernetes test API,
 * next to an idle JVM as the baseline; and its heap, RSS and threads with 1 and with 50 resources against the Proxmox
 * simulator. Each figure is printed for every JVM configuration in one run: the JVM's defaults, the image as it was
 * until 2026-12-06 (run-java.sh's options and the chart's), and the image now (src/main/docker/jvm.options, the file
 * the image starts with, plus the chart's javaOpts), each with -XX:MaxRAM standing for the container's memory limit.
 * Prints numbers; asserts only that the runs happened.
 * Run: .ci/benchmarks -Dtest=OperatorStartupBenchmark (after `package`; -Dbench.runs=N, -Dbench.steady-seconds=S)
 */
@Tag("benchmark")
class OperatorStartupBenchmark {

    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final Path APP = Path.of("target/quarkus-app").toAbsolutePath();
    private static final Path JAR = APP.resolve("quarkus-run.jar");
    private static final Path JVM_OPTIONS = Path.of("src/main/docker/jvm.options").toAbsolutePath();
    private static final Path CHART_VALUES = Path.of("helm/traefik-ha-operator/values.yaml");
    private static final Duration LIMIT = Duration.ofSeconds(Long.getLong("bench.limit-seconds", 180));
    /** How long the resources are reconciled (every busy period, the nodes never answer) before the steady figures. */
    private static final Duration STEADY = Duration.ofSeconds(Long.getLong("bench.steady-seconds", 30));
    private static final String NAMESPACE = "traefik-ha";

    /** A way to start the packaged operator: the JVM options before {@code -jar}. */
    record Jvm(String label, List<String> options) {
    }

    /**
     * The JVM's defaults on this machine (the issue's "today"); the image until 2026-12-06, whose run-java.sh added
     * its defaults (java-default-options: ParallelGC, 50 % of the limit, heap free ratios) before the chart's
     * JAVA_OPTS_APPEND, in the chart's 384 Mi; and the image now in the chart's current limit. The first two with
     * JOSDK's 50 reconcile threads, as application.properties had them until then.
     */
    static List<Jvm> configurations() throws Exception {
        JsonNode values = new YAMLMapper().readTree(CHART_VALUES.toFile());
        String limit = values.at("/resources/limits/memory").asText();
        List<String> now = new ArrayList<>(List.of("@" + JVM_OPTIONS, "-XX:MaxRAM=" + mebibytes(limit) + "m"));
        now.addAll(List.of(values.get("javaOpts").asText().trim().split("\\s+")));
        String josdkDefault = "-Dquarkus.operator-sdk.concurrent-reconciliation-threads=50";
        return List.of(new Jvm("JVM defaults, 50 reconcile threads", List.of(josdkDefault)),
                new Jvm("image until 2026-12-06, limit 384Mi", List.of(josdkDefault, "-XX:MaxRAM=384m",
                        "-XX:MaxRAMPercentage=50.0",
                        "-XX:+UseParallelGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4",
                        "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=60.0",
                        "-XX:+ExitOnOutOfMemoryError")),
                new Jvm("image now (jvm.options), limit " + limit, now),
                new Jvm("image now + AppCDS (not shipped), " + limit, withAppCds(now)));
    }

    /**
     * The options with a dynamic AppCDS archive of the application's classes, written once per run by a start in
     * Quarkus' archive mode (it stops after start-up) with the same options on the JDK's own base archive.
     */
    private static List<String> withAppCds(List<String> options) throws Exception {
        Path archive = APP.resolve("app-cds.jsa");
        if (!Files.exists(archive)) {
            List<String> command = new ArrayList<>(List.of(javaBinary()));
            command.addAll(options);
            command.addAll(List.of("-XX:SharedArchiveFile=" + Path.of(System.getProperty("java.home"), "lib", "server",
                    "classes.jsa"), "-XX:ArchiveClassesAtExit=" + archive, "-Dquarkus.appcds.generate=true", "-jar",
                    JAR.toString()));
            Process dump = new ProcessBuilder(command).directory(APP.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(dump.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            assertThat(archive).exists();
        }
        List<String> with = new ArrayList<>(options);
        with.add("-XX:SharedArchiveFile=" + archive);
        return with;
    }

    private static long mebibytes(String quantity) {
        assertThat(quantity).as("the chart's memory limit in Mi or Gi").matches("\\d+(Mi|Gi)");
        long number = Long.parseLong(quantity.substring(0, quantity.length() - 2));
        return quantity.endsWith("Gi") ? number * 1024 : number;
    }

    record Sample(double secondsToReady, long rssKibAtReady, double secondsToFirstStatus, long rssKibAfterReconcile) {
    }

    @Test
    void startupAndMemory() throws Exception {
        assertThat(JAR).as("package the application first (the benchmark profile runs after `package`)").exists();
        List<Jvm> jvms = configurations();
        List<Sample> idle = new ArrayList<>();
        Map<Jvm, List<Sample>> operator = new LinkedHashMap<>();
        for (int i = 0; i < RUNS; i++) {
            idle.add(runIdleJvm());
            for (Jvm jvm : jvms) { // interleaved, so that other work on the machine weighs on every configuration
                operator.computeIfAbsent(jvm, j -> new ArrayList<>()).add(runOperator(jvm));
            }
        }
        double idleReady = median(idle.stream().mapToDouble(Sample::secondsToReady).toArray());
        double idleRss = median(idle.stream().mapToDouble(Sample::rssKibAtReady).toArray());

        System.out.printf("%n=== operator start-up (median of %d runs, %d cores) ===%n", RUNS,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-40s %-22s %9s %9s %16s %9s%n", "JVM", "", "ready s", "RSS MiB", "first status s",
                "RSS MiB");
        System.out.printf("%-40s %-22s %9.2f %9.1f%n", "baseline: idle JVM", "start to ready", idleReady,
                idleRss / 1024);
        for (Map.Entry<Jvm, List<Sample>> e : operator.entrySet()) {
            List<Sample> s = e.getValue();
            System.out.printf("%-40s %-22s %9.2f %9.1f %16.2f %9.1f%n", e.getKey().label(), "start to /q/health/ready",
                    median(s.stream().mapToDouble(Sample::secondsToReady).toArray()),
                    median(s.stream().mapToDouble(Sample::rssKibAtReady).toArray()) / 1024,
                    median(s.stream().mapToDouble(Sample::secondsToFirstStatus).toArray()),
                    median(s.stream().mapToDouble(Sample::rssKibAfterReconcile).toArray()) / 1024);
        }
        System.out.println("(first status = + one resource created and validated; JVM options: " + JVM_OPTIONS + ")");
        assertThat(operator.values()).allSatisfy(samples -> assertThat(samples).hasSize(RUNS));
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

    private static Sample runOperator(Jvm jvm) throws Exception {
        try (RunningOperator operator = RunningOperator.start(jvm)) {
            double secondsToReady = operator.secondsSinceStart();
            long rssAtReady = rssKib(operator.process.pid());

            TraefikHACluster resource = ExampleSpecs.homelab();
            operator.client.resource(resource).inNamespace(NAMESPACE).create();
            operator.awaitTrue(() -> {
                TraefikHACluster seen = operator.client.resources(TraefikHACluster.class).inNamespace(NAMESPACE)
                        .withName(resource.getMetadata().getName()).get();
                return seen.getStatus() != null && seen.getStatus().observedGeneration != null;
            });
            return new Sample(secondsToReady, rssAtReady, operator.secondsSinceStart(), rssKib(operator.process.pid()));
        }
    }

    /** What the operator holds at one moment. */
    record Snapshot(double heapMib, double heapAfterGcMib, double metaspaceMib, double rssMib, int threads,
            Map<String, Integer> threadsByName) {
    }

    record Footprint(Jvm jvm, int resources, double secondsToAllStatus, Snapshot atStatus, Snapshot steady) {
    }

    /**
     * Heap, RSS and threads with 1 and with 50 resources, each with its own primary CT in the Proxmox simulator (run
     * in this JVM), its own VMIDs, VIP and virtual router id. The nodes' addresses are loopback addresses whose SSH
     * port is closed and the SSH key is not a key, so every node probe fails at once: the operator reads Proxmox,
     * reports the nodes unreachable and looks again every busy period (the preflight needs the primary before the
     * secondary is provisioned). Measured when every resource has a status, and after {@link #STEADY} of that.
     */
    @Test
    void heapAndRssWithOneAndFiftyResources() throws Exception {
        assertThat(JAR).as("package the application first (the benchmark profile runs after `package`)").exists();
        List<Sample> idle = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            idle.add(runIdleJvm());
        }
        double idleRss = median(idle.stream().mapToDouble(Sample::rssKibAtReady).toArray()) / 1024;
        List<Footprint> footprints = new ArrayList<>();
        for (int count : List.of(1, 50)) {
            for (Jvm jvm : configurations()) {
                footprints.add(footprint(jvm, count));
            }
        }
        System.out.printf("%n=== operator footprint by number of TraefikHACluster resources (%d cores) ===%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-40s %4s %9s | %9s %9s %9s %8s %7s | %9s %9s %9s %8s %7s%n", "JVM", "res", "status s",
                "heap", "heap(GC)", "metaspace", "RSS", "threads", "heap", "heap(GC)", "metaspace", "RSS", "threads");
        for (Footprint f : footprints) {
            System.out.printf("%-40s %4d %9.1f | %s | %s%n", f.jvm().label(), f.resources(), f.secondsToAllStatus(),
                    columns(f.atStatus()), columns(f.steady()));
        }
        System.out.printf("MiB; left: when every resource has a status; right: after %d s more of reconciles. baseline:"
                + " idle JVM RSS %.1f MiB (median of %d). heap = sum of jvm_memory_used_bytes{area=heap} from"
                + " /q/metrics; heap(GC) = the same right after `jcmd GC.run`; one run each%n", STEADY.toSeconds(),
                idleRss, RUNS);
        for (Footprint f : footprints) {
            System.out.printf("threads, %s, %d resources, steady: %s%n", f.jvm().label(), f.resources(),
                    f.steady().threadsByName());
        }
        assertThat(footprints).hasSize(2 * configurations().size());
    }

    private static String columns(Snapshot s) {
        return String.format("%9.1f %9.1f %9.1f %8.1f %7d", s.heapMib(), s.heapAfterGcMib(), s.metaspaceMib(),
                s.rssMib(), s.threads());
    }

    private static Footprint footprint(Jvm jvm, int count) throws Exception {
        int firstVmid = 200;
        ProxmoxSimulator.Builder builder = ProxmoxSimulator.builder().node("proxmox").node("proxmox2")
                .storage("local-lvm", false, true, true).taskDuration(Duration.ofMillis(50));
        for (int i = 0; i < count; i++) {
            builder.container(firstVmid + i, "proxmox", true, primaryConfig(i));
        }
        int closedPort = freePort();
        try (ProxmoxSimulator proxmox = builder.start(); RunningOperator operator = RunningOperator.start(jvm)) {
            operator.client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                    .withName("proxmox-api-token").endMetadata().addToStringData("tokenId", proxmox.tokenId())
                    .addToStringData("tokenSecret", proxmox.tokenSecret()).build()).create();
            operator.client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                    .withName("traefik-ssh").endMetadata().addToStringData("privateKey", "not used: the SSH port is closed")
                    .build()).create();
            for (int i = 0; i < count; i++) {
                operator.client.resource(resource(i, firstVmid, proxmox, closedPort)).inNamespace(NAMESPACE).create();
            }
            long created = System.nanoTime();
            // Listing 50 resources is work for the test API too: look twice a second.
            operator.awaitTrue(() -> all(operator, count, s -> s.observedGeneration != null), Duration.ofMillis(500));
            double toStatus = (System.nanoTime() - created) / 1e9;
            Snapshot atStatus = operator.snapshot();
            Thread.sleep(STEADY.toMillis());
            return new Footprint(jvm, count, toStatus, atStatus, operator.snapshot());
        }
    }

    private static boolean all(RunningOperator operator, int count,
            java.util.function.Predicate<io.traefikha.api.v1alpha1.TraefikHAClusterStatus> done) {
        List<TraefikHACluster> seen = operator.client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).list()
                .getItems();
        return seen.size() == count && seen.stream().allMatch(r -> r.getStatus() != null && done.test(r.getStatus()));
    }

    /** The n-th homelab: CT firstVmid+n with its own loopback addresses (127.1.n.x), VIP and virtual router id. */
    private static TraefikHACluster resource(int n, int firstVmid, ProxmoxSimulator proxmox, int sshPort) {
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setName("traefik-" + n);
        resource.getMetadata().setNamespace(NAMESPACE);
        TraefikHAClusterSpec spec = resource.getSpec();
        spec.proxmox.url = proxmox.baseUrl();
        spec.proxmox.tls.fingerprint = proxmox.fingerprint();
        spec.primary.vmid = firstVmid + n;
        spec.primary.hostname = "traefik-" + n;
        spec.primary.address = "127.1." + n + ".10/16";
        spec.secondary.vmid = firstVmid + 100 + n;
        spec.secondary.hostname = "traefik-" + n + "-b";
        spec.secondary.address = "127.1." + n + ".11/16";
        spec.vip.address = "127.1." + n + ".100/16";
        spec.vip.virtualRouterId = 1 + n;
        spec.network.gateway = "127.1.0.1";
        spec.ssh.port = sshPort;
        spec.dns = new DnsSpec();
        return resource;
    }

    private static Map<String, String> primaryConfig(int n) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("arch", "amd64");
        config.put("hostname", "traefik-" + n);
        config.put("memory", "512");
        config.put("net0", String.format("name=eth0,bridge=vmbr0,gw=127.1.0.1,hwaddr=BC:24:11:5E:%02X:10,ip=127.1.%d.10/16,"
                + "type=veth", n, n));
        config.put("ostype", "debian");
        config.put("rootfs", "local-lvm:vm-" + (200 + n) + "-disk-0,size=8G");
        return config;
    }

    /** The packaged operator against a fresh Kubernetes test API with the namespace traefik-ha, up and ready. */
    private static final class RunningOperator implements AutoCloseable {
        private final KubernetesMockServer api;
        final KubernetesClient client;
        final Process process;
        private final Path log;
        private final long started;
        private final HttpClient http = HttpClient.newHttpClient();
        private final int httpPort;

        private RunningOperator(KubernetesMockServer api, KubernetesClient client, Process process, Path log, long started,
                int httpPort) {
            this.api = api;
            this.client = client;
            this.process = process;
            this.log = log;
            this.started = started;
            this.httpPort = httpPort;
        }

        static RunningOperator start(Jvm jvm) throws Exception {
            KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(), false);
            api.init(InetAddress.getLoopbackAddress(), 0);
            Path workDir = Files.createTempDirectory("traefikha-bench");
            Path kubeconfig = writeKubeconfig(workDir, api.url("/").replaceAll("/$", ""));
            int httpPort = freePort();
            Path log = workDir.resolve("operator.log");
            List<String> command = new ArrayList<>(List.of(javaBinary()));
            command.addAll(jvm.options());
            command.addAll(List.of("-Dquarkus.http.port=" + httpPort,
                    "-Dquarkus.operator-sdk.controllers.traefikha.namespaces=" + NAMESPACE, "-jar", JAR.toString()));
            // in the application's directory, as the image runs it (relative paths in the options resolve alike)
            ProcessBuilder builder = new ProcessBuilder(command).directory(APP.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            builder.environment().put("POD_NAMESPACE", NAMESPACE);
            KubernetesClient client = api.createClient();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                    .create();
            long start = System.nanoTime();
            RunningOperator operator = new RunningOperator(api, client, builder.start(), log, start, httpPort);
            try {
                URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
                operator.awaitTrue(() -> answers200(operator.http, ready));
            } catch (Exception | AssertionError e) {
                operator.close();
                throw e;
            }
            return operator;
        }

        double secondsSinceStart() {
            return (System.nanoTime() - started) / 1e9;
        }

        /** Polls every 20 ms, at most {@link #LIMIT}; fails with the operator's log when it does not come true. */
        void awaitTrue(BooleanSupplier condition) throws Exception {
            awaitTrue(condition, Duration.ofMillis(20));
        }

        void awaitTrue(BooleanSupplier condition, Duration poll) throws Exception {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!condition.getAsBoolean()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("operator did not get there; its log:\n" + Files.readString(log));
                }
                Thread.sleep(poll.toMillis());
            }
        }

        /** Heap, metaspace, RSS and threads now, then the heap right after a full collection (what it keeps). */
        Snapshot snapshot() throws Exception {
            double heap = usedMib("area=\"heap\"");
            double metaspace = usedMib("id=\"Metaspace\"");
            long rss = rssKib(process.pid());
            Map<String, Integer> byName = threadsByName(process.pid());
            Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            assertThat(gc.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            return new Snapshot(heap, usedMib("area=\"heap\""), metaspace, rss / 1024.0,
                    byName.values().stream().mapToInt(Integer::intValue).sum(), byName);
        }

        /** The sum of jvm_memory_used_bytes over the pools whose labels contain this one. */
        private double usedMib(String label) throws Exception {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains(label))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / (1024 * 1024);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            client.close();
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

    /** The process's threads by name with the digits taken out (their kernel names, at most 15 characters). */
    private static Map<String, Integer> threadsByName(long pid) throws IOException {
        Map<String, Integer> byName = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#");
                    byName.merge(name, 1, Integer::sum);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // the thread ended while listing
                }
            }
        }
        return byName;
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
