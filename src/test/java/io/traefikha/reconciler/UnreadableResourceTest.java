package io.traefikha.reconciler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.MaintenanceSpec;
import io.traefikha.api.v1alpha1.ProxmoxTlsSpec;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 §2: resources stored past the CRD's schema (written around the typed model, as a bypassed or changed CRD
 * allows) sit beside a good one. Before, the first of them stopped the controller's informer for every resource.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class UnreadableResourceTest {

    private static final String NAMESPACE = "unreadable";
    private static final String PAIR = "192.168.1.110/24,192.168.1.111/24";
    private static final ResourceDefinitionContext TRAEFIKHA = ResourceDefinitionContext.fromResourceType(TraefikHACluster.class);
    private static ProxmoxSimulator proxmox;
    private static AdGuardHomeSimulator adguard;

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void simulators() {
        InMemoryNodeGateways.REPLICAS.remove(PAIR);
        proxmox = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(30)).statsInterval(Duration.ZERO).start();
        adguard = AdGuardHomeSimulator.builder().user("admin", "adguard-secret").rewrites(HomelabPreset.rewrites()).start();
    }

    @AfterAll
    static void stopSimulators() {
        proxmox.close();
        adguard.close();
        InMemoryNodeGateways.REPLICAS.remove(PAIR);
    }

    @BeforeEach
    void namespaceAndSecrets() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(existing -> existing.update());
        secret("proxmox-api-token", Map.of("tokenId", proxmox.tokenId(), "tokenSecret", proxmox.tokenSecret()));
        secret("adguard-credentials", Map.of("username", "admin", "password", "adguard-secret"));
        secret("traefik-ssh", Map.of("privateKey", "in-memory nodes take any key"));
    }

    @Test
    void unreadableResourcesAreReportedAndTheGoodOneIsStillReconciled() {
        TraefikHACluster good = ExampleSpecs.homelab();
        good.getSpec().proxmox.url = proxmox.baseUrl();
        good.getSpec().proxmox.tls = new ProxmoxTlsSpec();
        good.getSpec().proxmox.tls.fingerprint = proxmox.fingerprint();
        good.getSpec().dns.adguard.url = adguard.url();
        client.resource(good).inNamespace(NAMESPACE).create();
        awaitGood(r -> r.getStatus().phase == ClusterPhase.Ready);

        storeRaw("unknown-enum", r -> r.with("spec").put("deletionPolicy", "Explode"));
        storeRaw("wrong-type", r -> r.with("spec").put("vip", "192.168.1.100"));
        storeRaw("status-from-elsewhere", r -> r.putObject("status").put("phase", "Hibernating"));

        assertUnreadable("unknown-enum", "spec.deletionPolicy: expected one of Retain, Rollback, Delete,"
                + " found the string \"Explode\"");
        assertUnreadable("wrong-type", "spec.vip: expected an object, found the string \"192.168.1.100\"");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events("status-from-elsewhere"))
                .anySatisfy(e -> assertThat(e.getMessage()).startsWith("status.phase: expected one of")));
        assertThat(raw("status-from-elsewhere").getAdditionalProperties().get("status"))
                .as("a status it cannot read is not overwritten").isEqualTo(Map.of("phase", "Hibernating"));

        // a change to the good resource, made after the unreadable ones arrived, is acted on
        client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("traefik").edit(r -> {
            r.getSpec().maintenance = new MaintenanceSpec();
            r.getSpec().maintenance.node = "primary";
            return r;
        });
        TraefikHACluster maintained = awaitGood(r -> r.getStatus().phase == ClusterPhase.Maintenance
                && "traefik-2".equals(r.getStatus().vip.holder));
        assertThat(maintained.getStatus().observedGeneration).isEqualTo(maintained.getMetadata().getGeneration());
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** The example under another name, changed as JSON and stored through the untyped client, past the model. */
    private void storeRaw(String name, Consumer<ObjectNode> change) {
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setName(name);
        ObjectNode json = client.getKubernetesSerialization().convertValue(resource, ObjectNode.class);
        change.accept(json);
        client.genericKubernetesResources(TRAEFIKHA).inNamespace(NAMESPACE)
                .resource(client.getKubernetesSerialization().convertValue(json, GenericKubernetesResource.class)).create();
    }

    @SuppressWarnings("unchecked")
    private void assertUnreadable(String name, String problem) {
        Map<String, Object> valid = await().atMost(Duration.ofSeconds(20)).until(() -> condition(name, ConditionTypes.VALID),
                c -> c != null && Condition.FALSE.equals(c.get("status")));
        assertThat(valid.get("reason")).isEqualTo("Unreadable");
        assertThat((String) valid.get("message")).startsWith(problem);
        assertThat(events(name)).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("Unreadable");
            assertThat(e.getMessage()).startsWith(problem);
        });
        // the status patch did not touch the spec the operator could not read
        Map<String, Object> spec = (Map<String, Object>) raw(name).getAdditionalProperties().get("spec");
        assertThat(spec.get("deletionPolicy")).isIn("Explode", "Rollback");
        assertThat(spec.get("vip")).isIn("192.168.1.100", client.getKubernetesSerialization()
                .convertValue(ExampleSpecs.homelab().getSpec().vip, Map.class));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> condition(String name, String type) {
        Map<String, Object> status = (Map<String, Object>) raw(name).getAdditionalProperties().get("status");
        if (status == null || status.get("conditions") == null) {
            return null;
        }
        return ((List<Map<String, Object>>) status.get("conditions")).stream().filter(c -> type.equals(c.get("type")))
                .findFirst().orElse(null);
    }

    private GenericKubernetesResource raw(String name) {
        return client.genericKubernetesResources(TRAEFIKHA).inNamespace(NAMESPACE).withName(name).get();
    }

    private TraefikHACluster awaitGood(Predicate<TraefikHACluster> reached) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("traefik").get(),
                        r -> r.getStatus() != null && reached.test(r));
    }

    private List<Event> events(String name) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && "Unreadable".equals(e.getReason())).toList();
    }

    private void secret(String name, Map<String, String> data) {
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .addToStringData(data).build()).createOr(existing -> existing.update());
    }
}
