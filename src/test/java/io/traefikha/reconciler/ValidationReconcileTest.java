package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.traefikha.api.ClusterPhase;
import io.traefikha.api.Condition;
import io.traefikha.api.ExampleSpecs;
import io.traefikha.api.TraefikHACluster;
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
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setName("valid");
        client.resource(resource).inNamespace(NAMESPACE).create();

        TraefikHACluster seen = awaitCondition("valid", ConditionTypes.VALID, Condition.TRUE);

        assertThat(seen.getStatus().observedGeneration).isEqualTo(seen.getMetadata().getGeneration());
        assertThat(seen.getStatus().phase).isEqualTo(ClusterPhase.Pending);
        assertThat(StatusAggregator.find(seen.getStatus().conditions, ConditionTypes.READY).status).isEqualTo(Condition.FALSE);
    }

    @Test
    void anInvalidResourceIsRefusedWithTheFieldNamedAndAnEvent() {
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setName("vip-on-primary");
        resource.getSpec().vip.address = "192.168.1.110/24";
        resource.getSpec().healthCheck.weight = -20;
        client.resource(resource).inNamespace(NAMESPACE).create();

        TraefikHACluster seen = awaitCondition("vip-on-primary", ConditionTypes.VALID, Condition.FALSE);

        Condition valid = StatusAggregator.find(seen.getStatus().conditions, ConditionTypes.VALID);
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
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setName("fixed-later");
        resource.getSpec().secondary.vmid = 110;
        client.resource(resource).inNamespace(NAMESPACE).create();
        awaitCondition("fixed-later", ConditionTypes.VALID, Condition.FALSE);

        client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("fixed-later")
                .edit(r -> {
                    r.getSpec().secondary.vmid = 111;
                    return r;
                });

        TraefikHACluster seen = awaitCondition("fixed-later", ConditionTypes.VALID, Condition.TRUE);
        assertThat(seen.getStatus().phase).isEqualTo(ClusterPhase.Pending);
    }

    private TraefikHACluster awaitCondition(String name, String type, String status) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName(name).get(),
                r -> r != null && r.getStatus() != null
                        && StatusAggregator.find(r.getStatus().conditions, type) != null
                        && status.equals(StatusAggregator.find(r.getStatus().conditions, type).status));
    }

    private List<Event> eventsFor(String name) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }
}
