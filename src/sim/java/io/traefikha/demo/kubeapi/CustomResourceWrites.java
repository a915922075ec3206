package io.traefikha.demo.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes of custom resources, judged as kube-apiserver judges them before the store sees them:
 * <ul>
 * <li>the object as the write would store it (with the status subresource, a write of the resource keeps the stored
 * status and a write of /status changes only the status) goes through its CRD's schema and CEL rules
 * ({@link CrdAdmission}); a refusal is a 422 Invalid Status naming each field;</li>
 * <li>what is stored has the schema's defaults applied and unknown fields pruned; under {@code fieldValidation=Strict}
 * (kubectl's default) an unknown field is a 400 instead, otherwise a Warning header;</li>
 * <li>a strategic merge patch is a 415, as no API server takes one for a custom resource; server-side apply is left
 * to the store, which does not know it either.</li>
 * </ul>
 */
final class CustomResourceWrites {

    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    static final String JSON_PATCH = "application/json-patch+json";
    /** kube-apiserver's words for a strategic merge patch of a custom resource. */
    static final String NO_STRATEGIC_MERGE_PATCH = "the body of the request was in an unknown format - accepted media types"
            + " include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

    private final ObjectStore store;

    CustomResourceWrites(ObjectStore store) {
        this.store = store;
    }

    /** A POST, PUT or PATCH of {@code resource} (a CRD's kind) at {@code api}: the refusal, or the store's answer. */
    MockResponse write(RecordedRequest request, ApiRequest api, ApiResource resource) {
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        boolean patch = request.method() == HttpMethod.PATCH;
        if (patch && contentType.startsWith(STRATEGIC_MERGE_PATCH)) {
            return Responses.status(415, "UnsupportedMediaType", NO_STRATEGIC_MERGE_PATCH, null);
        }
        if (patch && !contentType.startsWith(MERGE_PATCH) && !contentType.startsWith(JSON_PATCH)) {
            return store.dispatch(forStore(request, api, contentType, body(request)));
        }
        boolean statusWrite = api.location().filter(l -> "status".equals(l.subresource())).isPresent();
        JsonNode current = null;
        if (request.method() != HttpMethod.POST) {
            MockResponse stored = store.handleGet(statusWrite ? api.path().substring(0, api.path().lastIndexOf('/')) : api.path());
            if (stored.code() != 200) {
                return stored;
            }
            current = Json.parse(new String(KubectlDispatcher.bytes(stored), StandardCharsets.UTF_8));
        }
        JsonNode intended;
        try {
            JsonNode body = Json.parse(new String(body(request), StandardCharsets.UTF_8));
            intended = !patch ? body : contentType.startsWith(MERGE_PATCH) ? MergePatch.apply(current, body)
                    : jsonPatch(current, body);
        } catch (UncheckedIOException | JsonPatchException e) {
            return Responses.status(patch ? 422 : 400, patch ? "Invalid" : "BadRequest", e.getMessage(), null);
        }
        if (!intended.isObject()) {
            return Responses.status(400, "BadRequest", "the body is not a JSON object", null);
        }
        ObjectNode stored = asStored((ObjectNode) intended, current, statusWrite, resource.statusSubresource());
        CrdAdmission.Verdict verdict = admission(resource).admit(stored);
        String fieldValidation = api.parameter("fieldValidation");
        if ("Strict".equals(fieldValidation) && !verdict.unknownFields().isEmpty()) {
            return Responses.status(400, "BadRequest", strictDecodingError(resource, patch, verdict.unknownFields()), null);
        }
        if (!verdict.errors().isEmpty()) {
            String name = intended.path("metadata").path("name").asText(api.location().map(ApiRequest.Location::name).orElse(""));
            return invalid(resource, name, verdict.errors());
        }
        JsonNode body = patch ? MergePatch.asJsonPatch(current, verdict.admitted()) : verdict.admitted();
        MockResponse response = store.dispatch(forStore(request, api, patch ? JSON_PATCH : contentType,
                Json.write(body).getBytes(StandardCharsets.UTF_8)));
        if (!"Ignore".equals(fieldValidation)) {
            // "Warn", the default: kubectl prints these as "Warning: unknown field ..."
            verdict.unknownFields().forEach(field -> response.addHeader("Warning",
                    "299 - " + Json.write(CrdAdmission.unknownField(field))));
        }
        return response;
    }

    private static CrdAdmission admission(ApiResource resource) {
        return CrdAdmission.of(Json.MAPPER.convertValue(resource.schema(), JSONSchemaProps.class));
    }

    /**
     * The object as the write stores it. With the status subresource, a write of the resource keeps the stored status
     * (a creation has none) and a write of /status keeps everything but the status and metadata.
     */
    private static ObjectNode asStored(ObjectNode intended, JsonNode current, boolean statusWrite, boolean statusSubresource) {
        if (!statusSubresource) {
            return intended;
        }
        ObjectNode stored = (statusWrite ? current : intended).deepCopy();
        if (statusWrite && intended.has("metadata")) {
            stored.set("metadata", intended.get("metadata").deepCopy());
        }
        JsonNode status = statusWrite ? intended.get("status") : current == null ? null : current.get("status");
        if (status == null) {
            stored.remove("status");
        } else {
            stored.set("status", status.deepCopy());
        }
        return stored;
    }

    /**
     * RFC 6902 on a copy of {@code current}, with the objects on each operation's path created first where absent or
     * null, as the mock does: fabric8 computes a status patch against its typed copy, whose status is an empty object
     * where the stored one has none, and sends {@code add /status/phase}.
     */
    private static JsonNode jsonPatch(JsonNode current, JsonNode patch) {
        JsonNode target = current.deepCopy();
        for (JsonNode operation : patch) {
            String[] tokens = operation.path("path").asText().replaceFirst("^/", "").split("/");
            JsonNode node = target;
            for (int i = 0; i < tokens.length - 1 && node instanceof ObjectNode object; i++) {
                String name = tokens[i].replace("~1", "/").replace("~0", "~");
                if (object.path(name).isMissingNode() || object.path(name).isNull()) {
                    object.putObject(name);
                }
                node = object.get(name);
            }
        }
        return JsonPatch.apply(patch, target);
    }

    /** What kube-apiserver answers to unknown fields under fieldValidation=Strict. */
    private static String strictDecodingError(ApiResource resource, boolean patch, List<String> unknownFields) {
        String error = "strict decoding error: " + unknownFields.stream().map(CrdAdmission::unknownField)
                .collect(Collectors.joining(", "));
        return patch ? error : "%s in version \"%s\" cannot be handled as a %s: %s".formatted(resource.kind(),
                resource.version(), resource.kind(), error);
    }

    /** kube-apiserver's 422: "KIND.GROUP "NAME" is invalid: ERROR" (several in brackets), each error a cause. */
    private static MockResponse invalid(ApiResource resource, String name, List<CrdAdmission.FieldError> errors) {
        ObjectNode details = JsonNodeFactory.instance.objectNode().put("name", name).put("group", resource.group())
                .put("kind", resource.kind());
        ArrayNode causes = details.putArray("causes");
        errors.forEach(error -> causes.addObject().put("reason", error.type().causeType()).put("message", error.body())
                .put("field", error.fieldName()));
        String aggregate = errors.size() == 1 ? errors.get(0).toString()
                : errors.stream().map(CrdAdmission.FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
        return Responses.status(422, "Invalid",
                "%s.%s \"%s\" is invalid: %s".formatted(resource.kind(), resource.group(), name, aggregate), details);
    }

    private static byte[] body(RecordedRequest request) {
        return request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    }

    /** The write as the store takes it: without its query string (only the path and body matter to it). */
    private static RecordedRequest forStore(RecordedRequest request, ApiRequest api, String contentType, byte[] body) {
        return new RecordedRequest(request.getHttpVersion(), request.method(), api.path(),
                request.getHeaders().newBuilder().set("Content-Type", contentType).build(), new Buffer(body));
    }
}
