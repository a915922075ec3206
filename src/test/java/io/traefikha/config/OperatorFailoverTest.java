package io.traefikha.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.sync.SyncKeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 §8: two packaged operators (target/quarkus-app, the prod profile, leader election on) against one test API,
 * one Proxmox simulator and one SSH endpoint that closes every connection (so preflight holds every change: both
 * operators may only read, try the primary and report). Only the leader reconciles; when it is killed (no chance to
 * release the lease) the standby takes the lease and goes on from the leader's status. Runs after `package` (tag
 * "packaged", see the pom) and prints the takeover time the README quotes.
 */
@Tag("packaged")
class OperatorFailoverTest {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final String NAMESPACE = "traefik-ha";
    private static final String LEASE_NAME = "traefik-ha-operator-lease";
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final Duration RENEW = Duration.ofSeconds(6);
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** Every wait is bounded by this; generous, as two JVMs start side by side on a small machine. */
    private static final Duration LIMIT = Duration.ofSeconds(150);
    private static final int VMID = 200;

    @Test
    void theStandbyTakesOverWithinTheLeaseAndNeverActsBesideTheLeader() throws Exception {
        assertThat(JAR).as("package the application first: this test runs after `package`").exists();
        Path workDir = Files.createTempDirectory("traefikha-failover");
        KubernetesMockServer api = testApi();
        try (KubernetesClient client = api.createClient(); ProxmoxSimulator proxmox = proxmox();
                SshDoor ssh = new SshDoor();
                OperatorProcess first = OperatorProcess.start("operator-a", api, workDir);
                OperatorProcess second = OperatorProcess.start("operator-b", api, workDir)) {
            Map<String, OperatorProcess> byIdentity = Map.of(first.identity, first, second.identity, second);
            awaitTrue("both operators ready", () -> first.ready() && second.ready(), first, second);
            awaitTrue("a leader", () -> holder(client) != null, first, second);
            OperatorProcess leader = byIdentity.get(holder(client));
            OperatorProcess standby = leader == first ? second : first;

            secrets(client, proxmox);
            client.resource(resource(proxmox, ssh.port())).inNamespace(NAMESPACE).create();
            // The SSH door closes every connection, so the leader's preflight cannot ask the primary and holds every
            // change: what the leader does is read Proxmox, try the primary and report, round after round.
            awaitTrue("the leader runs preflight and reports it", () -> conditionFalse(client, "PreflightPassed")
                    && leader.reconciles() >= 2 && ssh.connections() > 0, first, second);
            assertThat(standby.reconciles()).as("the standby reconciles nothing while the leader lives").isZero();

            long killedAt = System.nanoTime();
            leader.kill();
            int proxmoxAtKill = proxmox.exchanges().size();
            int sshAtKill = ssh.connections();
            awaitTrue("the standby takes the lease", () -> standby.identity.equals(holder(client)), standby);
            double leaseTaken = (System.nanoTime() - killedAt) / 1e9;
            awaitTrue("the standby asks Proxmox", () -> proxmox.exchanges().size() > proxmoxAtKill, standby);
            double firstRequest = (System.nanoTime() - killedAt) / 1e9;
            awaitTrue("the standby completes a reconcile", () -> standby.reconciles() > 0, standby);
            double firstReconcile = (System.nanoTime() - killedAt) / 1e9;
            awaitTrue("the standby probes the nodes", () -> ssh.connections() > sshAtKill, standby);

            assertThat(changes(proxmox)).as("neither operator changes anything while preflight fails").isEmpty();
            assertThat(leaseTaken).as("taken over within the lease, plus a retry period and slack for a loaded machine")
                    .isLessThan(LEASE.plus(RETRY).toSeconds() + 10);
            System.out.printf("%n=== operator failover (lease %ds, renew deadline %ds, retry period %ds) ===%n"
                    + "leader killed -> the standby holds the lease: %.1f s, sends its first Proxmox request: %.1f s,"
                    + " completes its first reconcile: %.1f s%n"
                    + "Proxmox requests %d and SSH connections %d before the kill, all by the leader (the standby's"
                    + " reconciles: 0)%n", LEASE.toSeconds(), RENEW.toSeconds(), RETRY.toSeconds(), leaseTaken,
                    firstRequest, firstReconcile, proxmoxAtKill, sshAtKill);
        } finally {
            api.destroy();
        }
    }

    /** The CRUD test API, plus the one answer JOSDK needs before electing: it may use leases. */
    private static KubernetesMockServer testApi() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        api.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "update").endResourceRule().endStatus().build())
                .always();
        try (KubernetesClient client = api.createClient()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                    .create();
        }
        return api;
    }

    /** Proxmox with one primary CT whose address is a loopback one, so the nodes' SSH lands on {@link SshDoor}. */
    private static ProxmoxSimulator proxmox() {
        return ProxmoxSimulator.builder().node("proxmox").node("proxmox2").storage("local-lvm", false, true, true)
                .taskDuration(Duration.ofMillis(50)).container(VMID, "proxmox", true, Map.of("arch", "amd64",
                        "hostname", "traefik", "memory", "512", "ostype", "debian",
                        "rootfs", "local-lvm:vm-" + VMID + "-disk-0,size=8G",
                        "net0", "name=eth0,bridge=vmbr0,gw=127.1.0.1,hwaddr=BC:24:11:5E:00:10,ip=127.1.0.10/16,type=veth"))
                .start();
    }

    private static TraefikHACluster resource(ProxmoxSimulator proxmox, int sshPort) {
        TraefikHACluster resource = ExampleSpecs.homelab();
        TraefikHAClusterSpec spec = resource.getSpec();
        spec.proxmox.url = proxmox.baseUrl();
        spec.proxmox.tls.fingerprint = proxmox.fingerprint();
        spec.primary.vmid = VMID;
        spec.primary.address = "127.1.0.10/16";
        spec.secondary.vmid = VMID + 1;
        spec.secondary.address = "127.1.0.11/16";
        spec.vip.address = "127.1.0.100/16";
        spec.network.gateway = "127.1.0.1";
        spec.ssh.port = sshPort;
        spec.dns = new DnsSpec();
        return resource;
    }

    private static void secrets(KubernetesClient client, ProxmoxSimulator proxmox) {
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("proxmox-api-token")
                .endMetadata().addToStringData("tokenId", proxmox.tokenId()).addToStringData("tokenSecret", proxmox.tokenSecret())
                .build()).create();
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("traefik-ssh")
                .endMetadata().addToStringData("privateKey",
                        new String(SyncKeyPair.generate().privateKey(), StandardCharsets.US_ASCII)).build()).create();
    }

    private static String holder(KubernetesClient client) {
        Lease lease = client.resources(Lease.class).inNamespace(NAMESPACE).withName(LEASE_NAME).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static boolean conditionFalse(KubernetesClient client, String type) {
        TraefikHACluster seen = client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("traefik").get();
        return seen != null && seen.getStatus() != null && seen.getStatus().condition(type) != null
                && "False".equals(seen.getStatus().condition(type).status);
    }

    /** Every request to Proxmox that is not a read. */
    private static List<String> changes(ProxmoxSimulator proxmox) {
        return proxmox.exchanges().stream().filter(e -> !"GET".equals(e.method())).map(e -> e.method() + " " + e.path())
                .toList();
    }

    /** Polls every 100 ms for at most {@link #LIMIT}; fails with the logs of the given operators. */
    private static void awaitTrue(String what, BooleanSupplier condition, OperatorProcess... operators) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder("not reached within " + LIMIT + ": " + what);
                for (OperatorProcess operator : operators) {
                    logs.append("\n--- ").append(operator.identity).append(" ---\n").append(operator.logTail());
                }
                throw new AssertionError(logs);
            }
            Thread.sleep(100);
        }
    }

    /** A port on every loopback address that counts the connections made to it and closes each at once. */
    private static final class SshDoor implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0);
        private final AtomicInteger connections = new AtomicInteger();

        SshDoor() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket accepted = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "ssh-door");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** One packaged operator with leader election on, its identity as HOSTNAME (as a pod's name would be). */
    private static final class OperatorProcess implements AutoCloseable {
        final String identity;
        private final Process process;
        private final Path log;
        private final int httpPort;
        private final HttpClient http = HttpClient.newHttpClient();

        private OperatorProcess(String identity, Process process, Path log, int httpPort) {
            this.identity = identity;
            this.process = process;
            this.log = log;
            this.httpPort = httpPort;
        }

        static OperatorProcess start(String identity, KubernetesMockServer api, Path workDir) throws IOException {
            Path kubeconfig = Files.writeString(workDir.resolve(identity + ".kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: test, cluster: {server: "%s"}}]
                    users: [{name: test, user: {token: test}}]
                    contexts: [{name: test, context: {cluster: test, user: test, namespace: %s}}]
                    current-context: test
                    """.formatted(api.url("/").replaceAll("/$", ""), NAMESPACE));
            int httpPort;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                httpPort = free.getLocalPort();
            }
            Path log = workDir.resolve(identity + ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + httpPort,
                    "-Dquarkus.operator-sdk.controllers.traefikha.namespaces=" + NAMESPACE,
                    "-Dtraefikha.reconcile.period=2s",
                    "-Dtraefikha.leader-election.lease-duration=" + LEASE.toSeconds() + "s",
                    "-Dtraefikha.leader-election.renew-deadline=" + RENEW.toSeconds() + "s",
                    "-Dtraefikha.leader-election.retry-period=" + RETRY.toSeconds() + "s",
                    "-jar", JAR.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            builder.environment().put("HOSTNAME", identity);
            builder.environment().put("TRAEFIKHA_LEADER_ELECTION_ENABLED", "true");
            return new OperatorProcess(identity, builder.start(), log, httpPort);
        }

        boolean ready() {
            return process.isAlive() && get("/q/health/ready", () -> null) != null;
        }

        /** How many reconciles this process completed: its traefikha_reconcile_seconds_count, 0 before the first. */
        long reconciles() {
            String metrics = get("/q/metrics", () -> "");
            return metrics.lines().filter(l -> l.startsWith("traefikha_reconcile_seconds_count{"))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }

        private String get(String path, Supplier<String> otherwise) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + path)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? response.body() : otherwise.get();
            } catch (IOException e) {
                return otherwise.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return otherwise.get();
            }
        }

        /** SIGKILL: a crash or a lost node; the lease is not released and must expire. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
