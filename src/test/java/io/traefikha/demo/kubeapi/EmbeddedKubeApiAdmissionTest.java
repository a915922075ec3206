package io.traefikha.demo.kubeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded API judging writes of TraefikHACluster as kube-apiserver does, seen by a fabric8 client (the operator's)
 * and by plain HTTP where the client would hide the answer (headers, a strategic merge patch).
 */
class EmbeddedKubeApiAdmissionTest {

    private static final String NAMESPACE = "traefik-ha";
    private static final String OBJECT_URL = "/apis/traefikha.io/v1alpha1/namespaces/traefik-ha/traefikhaclusters/traefik";

    private EmbeddedKubeApi api;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        api = EmbeddedKubeApi.start();
        client = api.client();
        api.installCrd(CrdAdmission.CHECKED_IN);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anInvalidResourceIsRefusedWithAnInvalidStatusNamingEachField() {
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getSpec().primary.vmid = 99;
        resource.getSpec().ssh.port = 0;

        KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class,
                () -> client.resource(resource).create());

        assertThat(refused.getCode()).isEqualTo(422);
        Status status = refused.getStatus();
        assertThat(status.getKind()).isEqualTo("Status");
        assertThat(status.getReason()).isEqualTo("Invalid");
        assertThat(status.getDetails().getGroup()).isEqualTo("traefikha.io");
        assertThat(status.getDetails().getKind()).isEqualTo("TraefikHACluster");
        assertThat(status.getDetails().getName()).isEqualTo("traefik");
        assertThat(status.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason, StatusCause::getMessage)
                .containsExactlyInAnyOrder(
                        tuple("spec.primary.vmid", "FieldValueInvalid",
                                "Invalid value: 99: spec.primary.vmid in body should be greater than or equal to 100"),
                        tuple("spec.ssh.port", "FieldValueInvalid",
                                "Invalid value: 0: spec.ssh.port in body should be greater than or equal to 1"));
        assertThat(status.getMessage()).startsWith("TraefikHACluster.traefikha.io \"traefik\" is invalid: [")
                .contains("spec.ssh.port: Invalid value: 0: spec.ssh.port in body should be greater than or equal to 1")
                .endsWith("]");
        assertThat(cluster().get()).isNull();
    }

    @Test
    void whatIsStoredHasTheSchemaDefaults() throws Exception {
        try (InputStream example = Files.newInputStream(ExampleSpecs.EXAMPLE)) {
            client.load(example).items().forEach(item -> client.resource(item).create());
        }

        // left out by the example, so defaulted: the model's own defaults cannot show here, the spec is read untyped
        JsonNode spec = storedSpec();
        assertThat(spec.path("dryRun").isBoolean()).isTrue();
        assertThat(spec.path("dns").path("ttl").asInt()).isEqualTo(300);
        assertThat(spec.path("dns").path("takeOverConflicts").isBoolean()).isTrue();
        assertThat(spec.path("secondary").path("cloneStrategy").asText()).isEqualTo("Snapshot");
        assertThat(spec.path("deletionPolicy").asText()).as("set by the example, not defaulted").isEqualTo("Rollback");
    }

    @Test
    void anInvalidEditIsRefusedAndTheStoredResourceKept() {
        client.resource(ExampleSpecs.homelab()).create();

        KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class,
                () -> cluster().edit(resource -> {
                    resource.getSpec().vip.address = "192.168.1.110/24";
                    return resource;
                }));

        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(refused.getStatus().getMessage()).contains("vip.address must differ");
        assertThat(cluster().get().getSpec().vip.address).isEqualTo("192.168.1.100/24");
        assertThat(cluster().get().getMetadata().getGeneration()).isEqualTo(1);
    }

    @Test
    void aStatusWriteIsJudgedByTheStatusSchema() throws Exception {
        client.resource(ExampleSpecs.homelab()).create();

        HttpResponse<String> response = send("PATCH", OBJECT_URL + "/status", "application/merge-patch+json",
                "{\"status\":{\"phase\":\"Sleeping\",\"failovers\":{\"count\":\"two\"}}}");

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode causes = Json.parse(response.body()).path("details").path("causes");
        assertThat(causes.findValuesAsText("field")).contains("status.phase", "status.failovers.count");
        assertThat(causes.findValuesAsText("reason")).contains("FieldValueNotSupported", "FieldValueTypeInvalid");
        assertThat(cluster().get().getStatus()).satisfiesAnyOf(
                status -> assertThat(status).isNull(), status -> assertThat(status.phase).isNull());
    }

    @Test
    void anUnknownFieldIsDroppedWithAWarningUnlessStrictValidationIsAsked() throws Exception {
        String body = Json.write(withUnknownField(Json.MAPPER.valueToTree(ExampleSpecs.homelab())));
        String collection = OBJECT_URL.substring(0, OBJECT_URL.lastIndexOf('/'));

        HttpResponse<String> strict = send("POST", collection + "?fieldValidation=Strict", "application/json", body);
        assertThat(strict.statusCode()).isEqualTo(400);
        assertThat(Json.parse(strict.body()).path("message").asText()).isEqualTo("TraefikHACluster in version \"v1alpha1\""
                + " cannot be handled as a TraefikHACluster: strict decoding error: unknown field \"spec.vip.colour\"");
        assertThat(cluster().get()).isNull();

        HttpResponse<String> warned = send("POST", collection, "application/json", body);
        assertThat(warned.statusCode()).isEqualTo(201);
        assertThat(warned.headers().allValues("Warning")).containsExactly("299 - \"unknown field \\\"spec.vip.colour\\\"\"");
        assertThat(storedSpec().path("vip").has("colour")).isFalse();
        assertThat(storedSpec().path("vip").path("address").asText()).isEqualTo("192.168.1.100/24");
    }

    @Test
    void aStrategicMergePatchIsUnsupported() throws Exception {
        client.resource(ExampleSpecs.homelab()).create();

        HttpResponse<String> response = send("PATCH", OBJECT_URL, "application/strategic-merge-patch+json",
                "{\"spec\":{\"dryRun\":true}}");

        assertThat(response.statusCode()).isEqualTo(415);
        JsonNode status = Json.parse(response.body());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("reason").asText()).isEqualTo("UnsupportedMediaType");
        assertThat(status.path("message").asText()).isEqualTo("the body of the request was in an unknown format - accepted"
                + " media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        assertThat(cluster().get().getSpec().dryRun).isFalse();
    }

    private static JsonNode withUnknownField(JsonNode resource) {
        ((ObjectNode) resource.path("spec").path("vip")).put("colour", "blue");
        return resource;
    }

    private Resource<TraefikHACluster> cluster() {
        return client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("traefik");
    }

    private JsonNode storedSpec() {
        GenericKubernetesResource stored = client.genericKubernetesResources("traefikha.io/v1alpha1", "TraefikHACluster")
                .inNamespace(NAMESPACE).withName("traefik").get();
        return Json.MAPPER.valueToTree(stored.getAdditionalProperties().get("spec"));
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
