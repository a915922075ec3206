package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.dns.BindServer;
import io.traefikha.dns.Rfc2136Provider;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.step.ReconcileFailure;
import io.traefikha.testbed.E2ePrerequisites;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 §3, "every failure reaches status, and retries never end", as one table of faults against the whole operator
 * (Kubernetes test API, the Proxmox VE simulator through the real client, in-memory nodes, a real BIND for RFC 2136).
 * Each fault is injected into a Ready pair; while it lasts the status must name it, the reconciles go on (more than the
 * old ten attempts where that is the point) without a crash loop, the last observations stay in status, and a second
 * resource keeps reconciling; once it is removed the pair is Ready again with nothing changed on Proxmox, the nodes or
 * DNS. SSH authentication refused and an SSH command that hangs need a real sshd: OperatorE2ETest.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(FaultsReconcileTest.Fast.class)
class FaultsReconcileTest {

    /** Short periods and a backoff capped at 1 s, so that many attempts fit in seconds. */
    public static class Fast implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("traefikha.reconcile.period", "500ms",
                    "traefikha.reconcile.busy-period", "200ms",
                    "quarkus.operator-sdk.controllers.traefikha.retry.interval.initial", "100",
                    "quarkus.operator-sdk.controllers.traefikha.retry.interval.max", "1000");
        }
    }

    private static final String NAMESPACE = "faults";
    private static final String ZONE = "internal.lakehouse.wtf";
    private static final String TSIG_KEY = "traefik-ha-operator";
    private static final String PRIMARY = "192.168.1.110";
    private static final String VIP = "192.168.1.100";
    /** More reconciles than JOSDK's old limit of ten retries. */
    private static final int MANY = 11;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static ProxmoxSimulator proxmox;
    private static BindServer bind;
    private static String tsigSecret;
    private static Path bindDir;
    private static SimulatedNodes nodes;
    private static SimulatedNodes bystanderNodes;

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    /** One fault: how to cause it and undo it, what must say so, and what must keep happening meanwhile. */
    private record Fault(String name, Runnable inject, Runnable remove, Expected expected, String attemptsOf,
            DoubleSupplier attempts, int minAttempts) {
    }

    /** The condition that names the fault while it lasts (null: nothing can be reported, the reconcile is held). */
    private record Expected(String type, String reason, String... messageParts) {
    }

    @BeforeAll
    static void startSystems() throws Exception {
        Path named = E2ePrerequisites.requireExecutable("named", "bind9");
        bindDir = Files.createTempDirectory("faults-bind");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        tsigSecret = Base64.getEncoder().encodeToString(key);
        bind = BindServer.start(named, bindDir, ZONE, TSIG_KEY, "hmac-sha256", tsigSecret,
                List.of("traefik IN A " + PRIMARY, "grafana IN A " + PRIMARY));
        Map<String, String> bystanderPrimary = new LinkedHashMap<>();
        bystanderPrimary.put("arch", "amd64");
        bystanderPrimary.put("hostname", "bystander");
        bystanderPrimary.put("memory", "1024");
        bystanderPrimary.put("net0", "name=eth0,bridge=vmbr0,gw=192.168.1.1,hwaddr=BC:24:11:5E:7A:20,ip=192.168.1.120/24,type=veth");
        bystanderPrimary.put("ostype", "debian");
        bystanderPrimary.put("rootfs", "local-lvm:vm-120-disk-0,size=8G");
        bystanderPrimary.put("unprivileged", "1");
        proxmox = ProxmoxSimulator.homelab().container(120, "proxmox", true, bystanderPrimary)
                .taskDuration(Duration.ofMillis(30)).statsInterval(Duration.ZERO).start();
        nodes = new SimulatedNodes();
        bystanderNodes = new SimulatedNodes();
        InMemoryNodeGateways.REPLICAS.put("192.168.1.110/24,192.168.1.111/24", nodes);
        InMemoryNodeGateways.REPLICAS.put("192.168.1.120/24,192.168.1.121/24", bystanderNodes);
    }

    @AfterAll
    static void stopSystems() throws Exception {
        InMemoryNodeGateways.REPLICAS.clear();
        if (proxmox != null) {
            proxmox.close();
        }
        if (bind != null) {
            bind.close();
        }
    }

    @Test
    void everyFaultIsReportedRetriedWithoutEndAndHealedWithoutAChange() {
        createSecretsAndResources();
        awaitMain("Ready with DNS moved", s -> s.phase == ClusterPhase.Ready && isTrue(s, ConditionTypes.DNS_READY));
        await("the bystander Ready").atMost(LIMIT).until(() -> phaseOf("bystander") == ClusterPhase.Ready);
        assertThat(dnsAnswers()).containsExactly(List.of(VIP), List.of(VIP));

        List<Fault> faults = List.of(
                new Fault("Proxmox answers 500 to every request",
                        () -> proxmox.failAllRequests(500, "Can't connect to 127.0.0.1:85 (Connection refused)"),
                        proxmox::endOutage,
                        new Expected(ConditionTypes.PROXMOX_REACHABLE, "Unreachable", "HTTP 500",
                                "Can't connect to 127.0.0.1:85"),
                        "reconciles", () -> reconciles("traefik"), MANY),
                new Fault("an exception no step foresaw (the node probe throws)",
                        () -> nodes.probeFailure = new IllegalStateException("probe output unreadable"),
                        () -> nodes.probeFailure = null,
                        new Expected(ConditionTypes.READY, ReconcileFailure.REASON,
                                "step Keepalived failed: IllegalStateException: probe output unreadable"),
                        "failed attempts", () -> failures("Keepalived", "IllegalStateException"), MANY),
                new Fault("the DNS server name does not resolve",
                        () -> patchSpec("{\"spec\":{\"dns\":{\"rfc2136\":{\"server\":\"ns1.traefikha.invalid\"}}}}"),
                        () -> patchSpec("{\"spec\":{\"dns\":{\"rfc2136\":{\"server\":\"127.0.0.1\"}}}}"),
                        new Expected(ConditionTypes.DNS_READY, "Unreachable",
                                "DNS server 'ns1.traefikha.invalid' cannot be resolved (spec.dns.rfc2136.server)"),
                        "reconciles", () -> reconciles("traefik"), 3),
                new Fault("the TSIG secret is not base64",
                        () -> tsigSecret("this is not base64!"),
                        () -> tsigSecret(tsigSecret),
                        new Expected(ConditionTypes.DNS_READY, "SecretProblem", "Secret " + NAMESPACE
                                + "/bind-tsig (spec.dns.rfc2136.tsigSecretRef): TSIG key '" + TSIG_KEY
                                + "': the secret is not base64"),
                        "reconciles", () -> reconciles("traefik"), 3),
                new Fault("a node probe that never returns (the reconcile is held; others must go on)",
                        () -> nodes.probeHang = new CountDownLatch(1),
                        () -> {
                            CountDownLatch hang = nodes.probeHang;
                            nodes.probeHang = null;
                            hang.countDown();
                        },
                        null, "bystander reconciles", () -> reconciles("bystander"), 5));

        List<String> survived = new ArrayList<>();
        for (Fault fault : faults) {
            survive(fault);
            survived.add(fault.name());
        }
        System.out.printf("FaultsReconcileTest | faults injected %d, survived %d: %s%n", faults.size(), survived.size(),
                survived);
        assertThat(survived).hasSize(faults.size());
        assertThat(Serialization.asJson(current("traefik").getStatus())).doesNotContain(tsigSecret);
    }

    private void survive(Fault fault) {
        int writes = proxmoxWrites();
        int actions = nodes.applied.size() + bystanderNodes.applied.size();
        double unforeseen = allFailures();
        List<String> observed = nodeSummary(current("traefik").getStatus());
        double attemptsBefore = fault.attempts().getAsDouble();
        double mainBefore = reconciles("traefik");
        double bystanderBefore = reconciles("bystander");
        long injected = System.nanoTime();

        fault.inject().run();
        try {
            if (fault.expected() != null) {
                Expected expected = fault.expected();
                awaitMain(fault.name() + ": " + expected.type() + " " + expected.reason(), s -> {
                    Condition c = s.condition(expected.type());
                    return c != null && Condition.FALSE.equals(c.status) && expected.reason().equals(c.reason)
                            && List.of(expected.messageParts()).stream().allMatch(c.message::contains);
                });
            }
            await(fault.name() + ": " + fault.minAttempts() + " " + fault.attemptsOf()).atMost(LIMIT)
                    .until(() -> fault.attempts().getAsDouble() - attemptsBefore >= fault.minAttempts());
            TraefikHAClusterStatus during = current("traefik").getStatus();
            assertThat(nodeSummary(during)).as(fault.name() + ": the last observations stay in status").isEqualTo(observed);
            assertThat(reconciles("bystander") - bystanderBefore).as(fault.name() + ": the bystander keeps reconciling")
                    .isGreaterThanOrEqualTo(2);
            if (fault.expected() == null) { // at most the reconcile already past its probe when the hang began finished
                assertThat(reconciles("traefik") - mainBefore).as(fault.name() + ": held, not finished").isLessThanOrEqualTo(1);
            }
            System.out.printf("FaultsReconcileTest | %s | %.0f %s in %d ms%n", fault.name(),
                    fault.attempts().getAsDouble() - attemptsBefore, fault.attemptsOf(), millisSince(injected));
        } finally {
            fault.remove().run();
        }

        long removed = System.nanoTime();
        awaitMain(fault.name() + " removed: Ready again", s -> s.phase == ClusterPhase.Ready && isTrue(s, ConditionTypes.READY)
                && isTrue(s, ConditionTypes.PROXMOX_REACHABLE) && isTrue(s, ConditionTypes.DNS_READY));
        System.out.printf("FaultsReconcileTest | %s | Ready %d ms after removal%n", fault.name(), millisSince(removed));
        assertThat(proxmoxWrites()).as(fault.name() + ": nothing written to Proxmox").isEqualTo(writes);
        assertThat(nodes.applied.size() + bystanderNodes.applied.size()).as(fault.name() + ": nothing done on the nodes")
                .isEqualTo(actions);
        assertThat(dnsAnswers()).as(fault.name() + ": DNS as it was").containsExactly(List.of(VIP), List.of(VIP));
        if (!ReconcileFailure.REASON.equals(fault.expected() == null ? null : fault.expected().reason())) {
            assertThat(allFailures()).as(fault.name() + ": foreseen, so never a failed reconcile").isEqualTo(unforeseen);
        } else {
            assertThat(events()).anySatisfy(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo(ReconcileFailure.REASON);
                assertThat(e.getMessage()).contains(fault.expected().messageParts()[0]);
                assertThat(e.getCount()).isGreaterThanOrEqualTo(MANY);
            });
        }
    }

    private void createSecretsAndResources() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(existing -> existing.update());
        secret("proxmox-api-token", Map.of("tokenId", proxmox.tokenId(), "tokenSecret", proxmox.tokenSecret()));
        secret("traefik-ssh", Map.of("privateKey", "in-memory nodes take any key"));
        tsigSecret(tsigSecret);

        TraefikHACluster main = resource("traefik");
        DnsSpec dns = main.getSpec().dns;
        dns.provider = DnsSpec.DnsProvider.RFC2136;
        dns.adguard = null;
        dns.rfc2136 = new DnsSpec.Rfc2136Spec();
        dns.rfc2136.server = "127.0.0.1";
        dns.rfc2136.port = bind.port();
        dns.rfc2136.zone = ZONE;
        dns.rfc2136.tsigSecretRef = new SecretRef("bind-tsig");
        dns.records = new ArrayList<>(List.of("traefik", "grafana"));
        dns.phases = new ArrayList<>();
        client.resource(main).inNamespace(NAMESPACE).create();

        TraefikHACluster bystander = resource("bystander");
        bystander.getSpec().primary.vmid = 120;
        bystander.getSpec().primary.hostname = "bystander";
        bystander.getSpec().primary.address = "192.168.1.120/24";
        bystander.getSpec().secondary.vmid = 121;
        bystander.getSpec().secondary.hostname = "bystander-2";
        bystander.getSpec().secondary.address = "192.168.1.121/24";
        bystander.getSpec().vip.address = "192.168.1.101/24";
        bystander.getSpec().vip.virtualRouterId = 52;
        bystander.getSpec().dns = new DnsSpec();
        client.resource(bystander).inNamespace(NAMESPACE).create();
    }

    private static TraefikHACluster resource(String name) {
        TraefikHACluster resource = ExampleSpecs.against(proxmox, NAMESPACE, name);
        return resource;
    }

    private void secret(String name, Map<String, String> data) {
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .addToStringData(data).build()).createOr(existing -> existing.update());
    }

    private void tsigSecret(String secret) {
        secret("bind-tsig", Map.of("keyName", TSIG_KEY, "algorithm", "hmac-sha256", "secret", secret));
    }

    private void patchSpec(String mergePatch) {
        client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("traefik")
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    private TraefikHACluster current(String name) {
        return client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private ClusterPhase phaseOf(String name) {
        TraefikHACluster resource = current(name);
        return resource == null || resource.getStatus() == null ? null : resource.getStatus().phase;
    }

    private void awaitMain(String what, Predicate<TraefikHAClusterStatus> wanted) {
        try {
            await(what).atMost(LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                TraefikHACluster resource = current("traefik");
                return resource != null && resource.getStatus() != null && wanted.test(resource.getStatus());
            });
        } catch (ConditionTimeoutException e) {
            TraefikHAClusterStatus last = current("traefik").getStatus();
            throw new AssertionError(what + " not seen within " + LIMIT + "; last phase " + (last == null ? null : last.phase)
                    + ", conditions " + (last == null ? List.of() : last.conditions.stream()
                            .map(c -> c.type + "=" + c.status + " " + c.reason + " (" + c.message + ")").toList()), e);
        }
    }

    private static boolean isTrue(TraefikHAClusterStatus status, String type) {
        Condition condition = status.condition(type);
        return condition != null && Condition.TRUE.equals(condition.status);
    }

    /** What the nodes were seen as, without the times of the looks. */
    private static List<String> nodeSummary(TraefikHAClusterStatus status) {
        return status.nodes.stream().map(n -> n.role + " " + n.vmid + " " + n.containerState + " " + n.vrrpState + " "
                + n.healthy + " " + n.hostKeyFingerprint).toList();
    }

    private double reconciles(String name) {
        Timer timer = registry.find("traefikha.reconcile").tag("cluster", NAMESPACE + "/" + name).timer();
        return timer == null ? 0 : timer.count();
    }

    private double failures(String step, String kind) {
        Counter counter = registry.find("traefikha.reconcile.failures").tag("cluster", NAMESPACE + "/traefik")
                .tag("step", step).tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    private double allFailures() {
        return registry.find("traefikha.reconcile.failures").counters().stream().mapToDouble(Counter::count).sum();
    }

    private int proxmoxWrites() {
        return (int) proxmox.exchanges().stream().filter(e -> !"GET".equals(e.method())).count();
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems();
    }

    /** What BIND answers for the two names, asked directly. */
    private static List<List<String>> dnsAnswers() {
        Rfc2136Provider direct = new Rfc2136Provider("127.0.0.1", bind.port(), ZONE,
                new Rfc2136Provider.TsigKey(TSIG_KEY, "hmac-sha256", tsigSecret), 300, Duration.ofSeconds(5));
        Map<String, List<String>> answers = direct.lookup(List.of("traefik." + ZONE, "grafana." + ZONE));
        return List.of(answers.get("traefik." + ZONE), answers.get("grafana." + ZONE));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
