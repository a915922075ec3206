package io.traefikha.demo.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Server-side printing: the meta.k8s.io/v1 Table kubectl asks for with {@code Accept: ...;as=Table}. A Name column,
 * then the resource's columns with their priority (kubectl shows priority > 0 only with {@code -o wide}).
 */
final class Tables {

    static final String ACCEPT_MARKER = "as=Table";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Tables() {
    }

    static boolean requested(String acceptHeader) {
        return acceptHeader != null && acceptHeader.contains(ACCEPT_MARKER);
    }

    static ObjectNode table(List<JsonNode> objects, List<PrinterColumn> columns, String resourceVersion, Instant now) {
        ObjectNode table = NODES.objectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", resourceVersion);
        ArrayNode definitions = table.putArray("columnDefinitions");
        definitions.addObject().put("name", "Name").put("type", "string").put("format", "name")
                .put("description", "Name of the object").put("priority", 0);
        for (PrinterColumn column : columns) {
            definitions.addObject().put("name", column.name()).put("type", column.type()).put("format", "")
                    .put("description", column.description()).put("priority", column.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(object.path("metadata").path("name").asText());
            for (PrinterColumn column : columns) {
                cells.add(cell(column, object, now));
            }
            row.set("object", object);
        }
        return table;
    }

    /** Like a real API server: nothing found is null (kubectl prints {@code <none>}), several values are joined. */
    private static JsonNode cell(PrinterColumn column, JsonNode object, Instant now) {
        List<JsonNode> values = column.path().select(object);
        if (values.isEmpty()) {
            return NODES.nullNode();
        }
        if (values.size() > 1) {
            return NODES.textNode(values.stream().map(Tables::text).collect(Collectors.joining(",")));
        }
        JsonNode value = values.get(0);
        return switch (column.type()) {
            case "date" -> NODES.textNode(age(value.asText(), now));
            case "integer", "number", "boolean" -> value.isValueNode() ? value : NODES.textNode(value.toString());
            default -> NODES.textNode(text(value));
        };
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String age(String timestamp, Instant now) {
        try {
            return humanDuration(Duration.between(Instant.parse(timestamp), now));
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }

    /** The shape kubectl users know (apimachinery's HumanDuration): 45s, 5m30s, 3h12m, 2d4h, 400d. */
    static String humanDuration(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 0) {
            return "0s";
        }
        long minutes = seconds / 60;
        long hours = minutes / 60;
        long days = hours / 24;
        if (seconds < 120) {
            return seconds + "s";
        }
        if (minutes < 10) {
            return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        if (hours < 8) {
            return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (days < 8) {
            return hours % 24 == 0 ? days + "d" : days + "d" + hours % 24 + "h";
        }
        return days + "d";
    }
}
