package io.traefikha.demo.kubeapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The operator's first status patch on a resource created without status (as kubectl apply creates it). */
class EmbeddedKubeApiStatusPatchTest {

    @Test
    void theFirstStatusPatchAppliesToAResourceCreatedWithoutStatus() throws Exception {
        try (EmbeddedKubeApi api = EmbeddedKubeApi.start()) {
            api.installCrd(Path.of("crds/traefikhaclusters.traefikha.io-v1.yml"));
            KubernetesClient client = api.client();
            // the example as written, created as kubectl apply creates it: without status
            try (InputStream example = Files.newInputStream(Path.of("deploy/examples/traefikhacluster.yaml"))) {
                client.load(example).items().forEach(item -> client.resource(item).create());
            }

            // the operator adds its finalizer first: a JSON patch of the main resource, after which the mock keeps
            // the (absent) status as "status": null
            client.resources(TraefikHACluster.class).inNamespace("traefik-ha").withName("traefik").edit(resource -> {
                resource.getMetadata().getFinalizers().add("traefikhaclusters.traefikha.io/finalizer");
                return resource;
            });
            // what the operator then sent (recorded from the demo): fabric8 diffs the new status against its typed
            // copy, whose status is an empty object, so the ops go below /status
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl()
                    + "/apis/traefikha.io/v1alpha1/namespaces/traefik-ha/traefikhaclusters/traefik/status"))
                    .header("Content-Type", "application/json-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("""
                            [{"op":"add","path":"/status/observedGeneration","value":1},
                             {"op":"add","path":"/status/phase","value":"Provisioning"}]""")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
            assertThat(client.resources(TraefikHACluster.class).inNamespace("traefik-ha").withName("traefik").get()
                    .getStatus().phase).isEqualTo(ClusterPhase.Provisioning);
        }
    }
}
