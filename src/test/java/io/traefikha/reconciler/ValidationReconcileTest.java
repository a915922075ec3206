package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator against the Kubernetes test API: validation, status and Events. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ValidationReconcileTest {

    private static final String NAMESPACE = "traefik-ha";

    @Inject
    KubernetesClient client;

    @BeforeEach
    void namespace() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(existing -> existing.update());
    }

    @Test
    void aValidResourceIsAcceptedAndItsGenerationObserved() {
        TraefikHACluster resource = distinct("valid", 1);
        client.resource(resource).inNamespace(NAMESPACE).create();

        TraefikHACluster seen = awaitCondition("valid", ConditionTypes.VALID, Condition.TRUE);

        assertThat(seen.getStatus().observedGeneration).isEqualTo(seen.getMetadata().getGeneration());
        // Its Secrets do not exist in this namespace: said by the first step that needs them, and nothing is done.
        assertThat(seen.getStatus().phase).isEqualTo(ClusterPhase.Provisioning);
        Condition proxmox = seen.getStatus().condition(ConditionTypes.PROXMOX_REACHABLE);
        assertThat(proxmox.reason).isEqualTo("SecretProblem");
        assertThat(proxmox.message).contains("Secret traefik-ha/proxmox-api-token").contains("spec.proxmox.credentialsSecretRef");
        assertThat(seen.getStatus().condition(ConditionTypes.READY).status).isEqualTo(Condition.FALSE);
    }

    @Test
    void anInvalidResourceIsRefusedWithTheFieldNamedAndAnEvent() {
        TraefikHACluster resource = distinct("vip-on-primary", 2);
        resource.getSpec().vip.address = resource.getSpec().primary.address;
        resource.getSpec().healthCheck.weight = -5;
        client.resource(resource).inNamespace(NAMESPACE).create();

        TraefikHACluster seen = awaitCondition("vip-on-primary", ConditionTypes.VALID, Condition.FALSE);

        Condition valid = seen.getStatus().condition(ConditionTypes.VALID);
        assertThat(valid.reason).isEqualTo("InvalidSpec");
        assertThat(valid.message).contains("spec.vip.address").contains("spec.healthCheck.weight");
        assertThat(seen.getStatus().phase).isEqualTo(ClusterPhase.Failed);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(eventsFor("vip-on-primary"))
                .anySatisfy(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getReason()).isEqualTo("InvalidSpec");
                    assertThat(e.getMessage()).contains("spec.vip.address");
                }));
    }

    @Test
    void fixingTheSpecMakesItValidAgain() {
        TraefikHACluster resource = distinct("fixed-later", 3);
        int secondaryVmid = resource.getSpec().secondary.vmid;
        resource.getSpec().secondary.vmid = resource.getSpec().primary.vmid;
        client.resource(resource).inNamespace(NAMESPACE).create();
        awaitCondition("fixed-later", ConditionTypes.VALID, Condition.FALSE);

        client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("fixed-later")
                .edit(r -> {
                    r.getSpec().secondary.vmid = secondaryVmid;
                    return r;
                });

        TraefikHACluster seen = awaitCondition("fixed-later", ConditionTypes.VALID, Condition.TRUE);
        assertThat(seen.getStatus().phase).isNotEqualTo(ClusterPhase.Failed);
    }

    @Test
    void theNewerOfTwoCollidingResourcesIsRefusedNamingTheOlder() {
        TraefikHACluster first = distinct("first-of-two", 4);
        client.resource(first).inNamespace(NAMESPACE).create();
        awaitCondition("first-of-two", ConditionTypes.VALID, Condition.TRUE);
        TraefikHACluster second = distinct("second-of-two", 4);
        second.getSpec().primary.vmid = 150;
        second.getSpec().secondary.vmid = 151;
        second.getSpec().vip.address = "10.0.4.200/24";

        client.resource(second).inNamespace(NAMESPACE).create();

        TraefikHACluster seen = awaitCondition("second-of-two", ConditionTypes.VALID, Condition.FALSE);
        assertThat(seen.getStatus().condition(ConditionTypes.VALID).message)
                .contains("spec.vip.virtualRouterId").contains(NAMESPACE + "/first-of-two");
        assertThat(client.resources(TraefikHACluster.class).inNamespace(NAMESPACE)
                .withName("first-of-two").get().getStatus().condition(ConditionTypes.VALID).status).isEqualTo(Condition.TRUE);
    }

    /**
     * The example with its own VIP, router id and containers, so resources of different tests never collide
     * (colliding resources are refused, see theNewerOfTwoCollidingResourcesIsRefusedNamingTheOlder).
     */
    private static TraefikHACluster distinct(String name, int n) {
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setName(name);
        resource.getSpec().primary.vmid = 100 + 10 * n;
        resource.getSpec().secondary.vmid = 101 + 10 * n;
        resource.getSpec().primary.address = "10.0." + n + ".10/24";
        resource.getSpec().secondary.address = "10.0." + n + ".11/24";
        resource.getSpec().vip.address = "10.0." + n + ".100/24";
        resource.getSpec().network.gateway = "10.0." + n + ".1";
        resource.getSpec().vip.virtualRouterId = 50 + n;
        return resource;
    }

    private TraefikHACluster awaitCondition(String name, String type, String status) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName(name).get(),
                r -> r != null && r.getStatus() != null
                        && r.getStatus().condition(type) != null
                        && status.equals(r.getStatus().condition(type).status));
    }

    private List<Event> eventsFor(String name) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }
}
