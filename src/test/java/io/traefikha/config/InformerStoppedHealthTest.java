package io.traefikha.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import io.javaoperatorsdk.operator.processing.LifecycleAware;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.reconciler.TraefikHAReconciler;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A controller that stops watching says so: readiness DOWN whenever its informer stops (quarkus-operator-sdk's check),
 * liveness DOWN when it stopped on an error (so the kubelet restarts it). The stop on an error is what fabric8 does with
 * an object it cannot deserialize (see UnreadableResourceTest for why that no longer comes from a TraefikHACluster); it
 * is handed to the operator's handler here as the informer would. An application of its own (a profile of its own):
 * the stopped informer does not come back.
 */
@QuarkusTest
@TestProfile(InformerStoppedHealthTest.OwnApplication.class)
@WithKubernetesTestServer(crud = true)
class InformerStoppedHealthTest {

    public static class OwnApplication implements QuarkusTestProfile {
    }

    @Inject
    Operator operator;

    @Inject
    KubernetesClient client;

    @Test
    void readinessFollowsTheInformerAndLivenessItsStopOnAnError() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        InformerStoppedHandler handler = operator.getConfigurationService().getInformerStoppedHandler().orElseThrow();
        assertThat(handler).isInstanceOf(InformerLiveness.class);

        // the controller's informer stops: no resource is watched any more
        operator.getRuntimeInfo().getRegisteredControllers().forEach(controller -> controller.getControllerHealthInfo()
                .informerEventSourceHealthIndicators().values().forEach(source -> source.informerHealthIndicators()
                        .values().forEach(informer -> ((LifecycleAware) informer).stop())));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN")).body(containsString(TraefikHAReconciler.NAME)));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP")); // a stop on purpose

        handler.onStop(client.resources(TraefikHACluster.class).runnableInformer(0),
                new WatcherException("Couldn't deserialize watch event"));
        given().get("/q/health/live").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'informers' }.data.'traefikhaclusters.traefikha.io'",
                        equalTo("stopped: Couldn't deserialize watch event"));
    }
}
