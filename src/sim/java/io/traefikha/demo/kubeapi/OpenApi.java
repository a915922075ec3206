package io.traefikha.demo.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Just enough OpenAPI v3 for kubectl (its OpenAPI v2 client speaks only protobuf):
 * <ul>
 * <li>every kind's PATCH operation takes the fieldValidation query parameter, so {@code kubectl apply} leaves
 * validation to the server instead of fetching a v2 schema (custom resources are validated there, see
 * {@link CustomResourceWrites});</li>
 * <li>each kind's schema carries its group-version-kind, so {@code kubectl explain} can walk a CRD's schema.</li>
 * </ul>
 */
final class OpenApi {

    static final String ROOT = "/openapi/v3";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenApi() {
    }

    /** The index: one entry per group version, its URL carrying a content hash (kubectl caches documents by it). */
    static ObjectNode root(List<ApiResource> resources) {
        ObjectNode root = NODES.objectNode();
        ObjectNode paths = root.putObject("paths");
        Set<String> groupVersions = new LinkedHashSet<>();
        resources.forEach(r -> groupVersions.add(r.groupVersionPath()));
        for (String groupVersion : groupVersions) {
            String hash = sha256(Json.write(document(groupVersion, resources).orElseThrow()));
            paths.putObject(groupVersion).put("serverRelativeURL", ROOT + "/" + groupVersion + "?hash=" + hash);
        }
        return root;
    }

    /** The document of "api/v1" or "apis/GROUP/VERSION", or empty when nothing is served there. */
    static Optional<ObjectNode> document(String groupVersionPath, List<ApiResource> resources) {
        List<ApiResource> served = resources.stream().filter(r -> r.groupVersionPath().equals(groupVersionPath)).toList();
        if (served.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode document = NODES.objectNode().put("openapi", "3.0.0");
        document.putObject("info").put("title", "traefik-ha-operator embedded Kubernetes API").put("version", "v1");
        ObjectNode paths = document.putObject("paths");
        ObjectNode schemas = document.putObject("components").putObject("schemas");
        for (ApiResource resource : served) {
            String objectPath = "/" + groupVersionPath + (resource.namespaced() ? "/namespaces/{namespace}/" : "/")
                    + resource.plural() + "/{name}";
            ObjectNode patch = paths.putObject(objectPath).putObject("patch");
            patch.set("x-kubernetes-group-version-kind", gvk(resource));
            patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
                    .putObject("schema").put("type", "string");
            patch.putObject("responses").putObject("200").put("description", "OK");

            ObjectNode schema = resource.schema().deepCopy();
            ObjectNode properties = schema.has("properties") ? (ObjectNode) schema.get("properties")
                    : schema.putObject("properties");
            properties.putObject("apiVersion").put("type", "string")
                    .put("description", "The versioned schema of this representation of an object.");
            properties.putObject("kind").put("type", "string")
                    .put("description", "The REST resource this object represents.");
            properties.putObject("metadata").put("type", "object")
                    .put("description", "Standard object's metadata.");
            schema.putArray("x-kubernetes-group-version-kind").add(gvk(resource));
            schemas.set(schemaName(resource), schema);
        }
        return Optional.of(document);
    }

    private static JsonNode gvk(ApiResource resource) {
        return NODES.objectNode().put("group", resource.group()).put("kind", resource.kind())
                .put("version", resource.version());
    }

    private static String schemaName(ApiResource resource) {
        return (resource.group().isEmpty() ? "core" : resource.group()) + "." + resource.version() + "." + resource.kind();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
