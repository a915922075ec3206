package io.traefikha.api.v1alpha1;

import static io.traefikha.api.v1alpha1.HarmfulSpecsTest.YAML;
import static io.traefikha.api.v1alpha1.HarmfulSpecsTest.exampleSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.traefikha.demo.kubeapi.CrdAdmission;
import io.traefikha.demo.kubeapi.EmbeddedKubeApi;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tables of {@link HarmfulSpecsTest} and {@link AcceptedSpecsTest} against the demo's embedded Kubernetes API, through
 * a fabric8 client asking for strict field validation as kubectl does: the API refuses exactly the harmful specs the
 * table says a real API server refuses (422 Invalid naming each field, 400 for a field the schema does not know), and
 * stores every spec users are shown, with the schema's defaults applied.
 */
class SpecsOnTheEmbeddedApiTest {

    private static final String NAMESPACE = "traefik-ha";
    private static final CrdAdmission CRD = CrdAdmission.checkedIn();
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static EmbeddedKubeApi api;
    private static KubernetesClient client;

    @BeforeAll
    static void startApi() {
        api = EmbeddedKubeApi.start();
        client = api.client();
        api.installCrd(CrdAdmission.CHECKED_IN);
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.traefikha.api.v1alpha1.HarmfulSpecsTest#harmful")
    void isRefusedExactlyWhenTheApiServerRefusesIt(String typo, String field, HarmfulSpecsTest.Api apiServer,
            Consumer<ObjectNode> change) {
        ObjectNode spec = exampleSpec();
        change.accept(spec);
        String name = "harmful-" + NAMES.incrementAndGet();
        CrdAdmission.Verdict verdict = CRD.admitSpec(spec);

        Optional<KubernetesClientException> refusal = create(name, spec);

        assertThat(refusal.isPresent()).as("refused by the embedded API").isEqualTo(apiServer == HarmfulSpecsTest.Api.REFUSES);
        if (refusal.isEmpty()) {
            assertThat(stored(name).get()).isNotNull();
            return;
        }
        Status status = refusal.get().getStatus();
        assertThat(status.getKind()).isEqualTo("Status");
        if (!verdict.unknownFields().isEmpty()) {
            assertThat(refusal.get().getCode()).isEqualTo(400);
            assertThat(status.getReason()).isEqualTo("BadRequest");
            verdict.unknownFields().forEach(unknown -> assertThat(status.getMessage())
                    .contains("strict decoding error: unknown field \"" + unknown + "\""));
        } else {
            assertThat(refusal.get().getCode()).isEqualTo(422);
            assertThat(status.getReason()).isEqualTo("Invalid");
            assertThat(status.getMessage()).startsWith("TraefikHACluster.traefikha.io \"" + name + "\" is invalid: ");
            assertThat(status.getDetails().getName()).isEqualTo(name);
            assertThat(status.getDetails().getCauses()).extracting(StatusCause::getField)
                    .containsExactlyElementsOf(verdict.errors().stream().map(CrdAdmission.FieldError::fieldName).toList());
            assertThat(status.getDetails().getCauses()).allSatisfy(cause -> assertThat(status.getMessage())
                    .contains(cause.getField() + ": " + cause.getMessage()));
        }
        assertThat(stored(name).get()).as("nothing stored").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.traefikha.api.v1alpha1.AcceptedSpecsTest#validSpecs")
    void isStoredWithTheDefaultsApplied(String what, ObjectNode spec) {
        String name = "valid-" + NAMES.incrementAndGet();

        assertThat(create(name, spec)).as("refused by the embedded API").isEmpty();

        JsonNode storedSpec = asParsed(stored(name).get().getAdditionalProperties().get("spec"));
        JsonNode defaulted = asParsed(CRD.admitSpec(spec).admitted().get("spec"));
        assertThat(storedSpec).isEqualTo(defaulted);
        assertThat(storedSpec.has("dryRun")).as("spec.dryRun, set or defaulted (the example leaves it out)").isTrue();
    }

    /** Creates the resource as kubectl would (strict field validation); the refusal, if any. */
    private static Optional<KubernetesClientException> create(String name, ObjectNode spec) {
        GenericKubernetesResource resource = new GenericKubernetesResourceBuilder().withApiVersion("traefikha.io/v1alpha1")
                .withKind("TraefikHACluster").withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .addToAdditionalProperties("spec", YAML.convertValue(spec, Map.class)).build();
        try {
            client.resource(resource).fieldValidation(Validation.STRICT).create();
            return Optional.empty();
        } catch (KubernetesClientException refused) {
            return Optional.of(refused);
        }
    }

    /** As JSON text parses: 22 is the same number whether it came from an int or a long. */
    private static JsonNode asParsed(Object value) {
        try {
            return YAML.readTree(YAML.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Resource<GenericKubernetesResource> stored(String name) {
        return client.genericKubernetesResources("traefikha.io/v1alpha1", "TraefikHACluster").inNamespace(NAMESPACE)
                .withName(name);
    }
}
