package io.traefikha.demo.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * JSON merge patches (RFC 7386) done here and handed to the mock as a JSON patch: the mock's own merge appends to
 * arrays, so patching status.conditions would pile conditions up instead of replacing them.
 */
final class MergePatch {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MergePatch() {
    }

    /** RFC 7386: objects merge member by member, null removes, anything else (arrays included) replaces. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? target.deepCopy() : NODES.objectNode();
        patch.fields().forEachRemaining(member -> {
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        });
        return result;
    }

    /** A JSON patch that turns {@code current} into {@code updated}, replacing whole top-level members. */
    static ArrayNode asJsonPatch(JsonNode current, JsonNode updated) {
        Set<String> names = new LinkedHashSet<>();
        current.fieldNames().forEachRemaining(names::add);
        updated.fieldNames().forEachRemaining(names::add);
        ArrayNode operations = NODES.arrayNode();
        for (String name : names) {
            String pointer = "/" + name.replace("~", "~0").replace("/", "~1");
            if (!updated.has(name)) {
                operations.addObject().put("op", "remove").put("path", pointer);
            } else if (!updated.get(name).equals(current.get(name))) {
                operations.addObject().put("op", "add").put("path", pointer).set("value", updated.get(name));
            }
        }
        return operations;
    }

    /** What a real API server does to a Secret on every write: stringData is folded into data, base64-encoded. */
    static JsonNode foldStringData(JsonNode secret) {
        if (secret.isObject() && secret.path("stringData").isObject()) {
            ObjectNode object = (ObjectNode) secret;
            ObjectNode data = object.path("data").isObject() ? (ObjectNode) object.get("data") : object.putObject("data");
            object.get("stringData").fields().forEachRemaining(entry -> data.put(entry.getKey(),
                    Base64.getEncoder().encodeToString(entry.getValue().asText().getBytes(StandardCharsets.UTF_8))));
            object.remove("stringData");
        }
        return secret;
    }
}
