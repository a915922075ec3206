package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Harmful specs (from {@code HarmfulSpecsTest}) through the real operator against the test API, with everything an
 * external call needs in place: the Secrets, a Proxmox VE simulator and an AdGuard Home simulator listening at the
 * spec's URLs, and in-memory nodes behind the SSH gateway. Only validation stands between such a spec and the homelab:
 * each is refused with Valid=False naming the field and a Warning Event, and Proxmox, the nodes and DNS see no request
 * at all. A valid resource against the same simulators, last, shows the counters do count.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HarmfulSpecsReconcileTest {

    private static final String NAMESPACE = "harmful";
    private static final AtomicInteger LAN = new AtomicInteger(60);
    private static ProxmoxSimulator proxmox;
    private static AdGuardHomeSimulator adguard;

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void startSimulators() {
        proxmox = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(30)).statsInterval(Duration.ZERO).start();
        adguard = AdGuardHomeSimulator.builder().user("admin", "adguard-secret").start();
    }

    @AfterAll
    static void stopSimulators() {
        proxmox.close();
        adguard.close();
    }

    @BeforeEach
    void namespaceAndSecrets() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(existing -> existing.update());
        secret("proxmox-api-token", "tokenId", proxmox.tokenId(), "tokenSecret", proxmox.tokenSecret());
        secret("adguard-credentials", "username", "admin", "password", "adguard-secret");
        secret("traefik-ssh", "privateKey", "in-memory nodes take any key", "passphrase", "");
    }

    static Stream<Arguments> harmful() {
        return Stream.of(
                harmful("vip-in-other-subnet", "spec.vip.address", s -> s.vip.address = "192.168.77.100/24"),
                harmful("secondary-is-gateway", "spec.secondary.address",
                        s -> s.secondary.address = s.network.gateway + "/24"),
                harmful("gateway-of-other-lan", "spec.network.gateway", s -> s.network.gateway = "192.168.77.1"),
                harmful("sync-etc", "spec.sync.paths[0]", s -> s.sync.paths = List.of("/etc")),
                harmful("sync-operator-files", "spec.sync.paths[0]", s -> s.sync.paths = List.of("/etc/traefik-ha")),
                harmful("public-record", "spec.dns.records[0]", s -> s.dns.records = List.of("google.com")),
                harmful("wildcard-record", "spec.dns.records[0]", s -> s.dns.records = List.of("*.internal.lakehouse.wtf")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("harmful")
    @Order(1)
    void isRefusedBeforeAnyCallToProxmoxTheNodesOrDns(String name, String field, Consumer<TraefikHAClusterSpec> breakIt) {
        TraefikHACluster resource = resource(name);
        breakIt.accept(resource.getSpec());
        client.resource(resource).inNamespace(NAMESPACE).create();

        TraefikHACluster seen = await().atMost(Duration.ofSeconds(20)).until(() -> current(name),
                r -> r != null && r.getStatus() != null && r.getStatus().condition(ConditionTypes.VALID) != null);

        Condition valid = seen.getStatus().condition(ConditionTypes.VALID);
        assertThat(valid.status).isEqualTo(Condition.FALSE);
        assertThat(valid.reason).isEqualTo("InvalidSpec");
        assertThat(valid.message).contains(field + ": ");
        assertThat(seen.getStatus().phase).isEqualTo(ClusterPhase.Failed);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.v1().events().inNamespace(NAMESPACE)
                .list().getItems()).anySatisfy(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo(name);
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getReason()).isEqualTo("InvalidSpec");
                    assertThat(e.getMessage()).contains(field);
                }));
        // Another reconcile period: still nothing goes out.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(proxmox.exchanges()).as("requests to Proxmox").isEmpty();
        assertThat(adguard.requestLog()).as("requests to AdGuard Home").isEmpty();
        assertThat(InMemoryNodeGateways.REPLICAS).as("node gateways opened (SSH)")
                .doesNotContainKey(resource.getSpec().primary.address + "," + resource.getSpec().secondary.address);
    }

    @Test
    @Order(2)
    void aValidResourceAgainstTheSameSimulatorsIsSeenByThem() {
        TraefikHACluster resource = resource("valid");
        TraefikHAClusterSpec spec = resource.getSpec();
        spec.primary.address = "192.168.1.110/24"; // the simulator's CT 110, on a LAN of the example's
        spec.secondary.address = "192.168.1.131/24"; // a node pair no other test uses
        spec.secondary.vmid = 131;
        spec.vip.address = "192.168.1.130/24";
        spec.vip.virtualRouterId = 99;
        spec.network.gateway = "192.168.1.1";
        spec.deletionPolicy = DeletionPolicy.Retain;
        client.resource(resource).inNamespace(NAMESPACE).create();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(proxmox.exchanges()).isNotEmpty();
            assertThat(InMemoryNodeGateways.REPLICAS)
                    .containsKey(resource.getSpec().primary.address + "," + resource.getSpec().secondary.address);
            // preflight asks the primary before the first round's status is written
            TraefikHAClusterStatus status = current("valid").getStatus();
            assertThat(status).isNotNull();
            assertThat(status.condition(ConditionTypes.VALID)).isNotNull()
                    .satisfies(valid -> assertThat(valid.status).isEqualTo(Condition.TRUE));
        });
        client.resource(resource).inNamespace(NAMESPACE).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> current("valid") == null);
    }

    /** The example pointed at the simulators, on a LAN of its own so that no two resources of this test collide. */
    private static TraefikHACluster resource(String name) {
        int lan = LAN.incrementAndGet();
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setName(name);
        resource.getMetadata().setNamespace(NAMESPACE);
        TraefikHAClusterSpec spec = resource.getSpec();
        spec.proxmox.url = proxmox.baseUrl();
        spec.proxmox.tls.fingerprint = proxmox.fingerprint();
        spec.dns.adguard.url = adguard.url();
        spec.primary.address = "10.99." + lan + ".10/24";
        spec.secondary.address = "10.99." + lan + ".11/24";
        spec.secondary.vmid = 2000 + lan;
        spec.vip.address = "10.99." + lan + ".100/24";
        spec.vip.virtualRouterId = lan;
        spec.network.gateway = "10.99." + lan + ".1";
        return resource;
    }

    private TraefikHACluster current(String name) {
        return client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private void secret(String name, String... keysAndValues) {
        SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).endMetadata();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            secret.addToStringData(keysAndValues[i], keysAndValues[i + 1]);
        }
        client.secrets().inNamespace(NAMESPACE).resource(secret.build()).createOr(existing -> existing.update());
    }

    private static Arguments harmful(String name, String field, Consumer<TraefikHAClusterSpec> change) {
        return Arguments.of(name, field, change);
    }
}
