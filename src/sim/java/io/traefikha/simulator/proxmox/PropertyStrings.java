package io.traefikha.simulator.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Parsing and checking of property strings ({@code key=value,key=value}) against a format object of the schema. */
final class PropertyStrings {

    private PropertyStrings() {
    }

    /** Splits a property string; a part without '=' belongs to the format's default_key. */
    static Map<String, String> parse(String value, JsonNode format) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                parsed.put(defaultKey(format).orElse(part), part);
            } else {
                parsed.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return parsed;
    }

    private static Optional<String> defaultKey(JsonNode format) {
        var fields = format.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getValue().path("default_key").asInt(0) == 1) {
                return Optional.of(field.getKey());
            }
        }
        return Optional.empty();
    }

    /** Empty when the string fits the format; otherwise "format error" plus the offending key and why. */
    static Optional<String> check(String value, JsonNode format) {
        Map<String, String> parsed = parse(value, format);
        for (Map.Entry<String, String> entry : parsed.entrySet()) {
            JsonNode keySchema = format.get(entry.getKey());
            if (keySchema == null) {
                return Optional.of("format error\n" + entry.getKey() + ": property is not defined in schema and the schema"
                        + " does not allow additional properties");
            }
            Optional<String> problem = ApiSchema.checkValue(entry.getValue(), keySchema);
            if (problem.isPresent()) {
                return Optional.of("format error\n" + entry.getKey() + ": " + problem.get().strip());
            }
        }
        var fields = format.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getValue().path("optional").asInt(0) != 1 && !parsed.containsKey(field.getKey())) {
                return Optional.of("format error\n" + field.getKey() + ": property is missing and it is not optional");
            }
        }
        return Optional.empty();
    }
}
