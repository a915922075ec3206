package io.traefikha.simulator.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Proxmox VE API viewer schema (or the subset of it this project ships), used to validate requests the way
 * pve-common's JSONSchema does and to check response shapes against {@code returns}.
 *
 * <p>Loads either the full API viewer tree ({@code pve-api-schema.json}, a JSON array of path nodes) or the
 * flat subset in {@code proxmox/pve-api-subset.json} ({@code {"endpoints":[{path, method, info}]}}).
 * Error texts follow pve-common; format checks run before range checks, as there.
 */
public final class ApiSchema {

    /** Classpath location of the subset shipped with the operator (the full schema is not shipped). */
    public static final String SUBSET_RESOURCE = "/proxmox/pve-api-subset.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One method on one path of the schema. */
    public record Endpoint(String template, String method, JsonNode info) {

        public JsonNode parameters() {
            return info.path("parameters").path("properties");
        }

        public JsonNode returns() {
            return info.path("returns");
        }

        /** The schema of a parameter; numbered options such as net0 are declared as net[n]. */
        public Optional<JsonNode> parameter(String name) {
            return ApiSchema.property(parameters(), name);
        }
    }

    /** An endpoint matched against a concrete path, with the decoded values of its path parameters. */
    public record Match(Endpoint endpoint, Map<String, String> pathParameters) {
    }

    private final Map<String, Map<String, Endpoint>> byTemplate;

    private ApiSchema(Map<String, Map<String, Endpoint>> byTemplate) {
        this.byTemplate = byTemplate;
    }

    /** The subset bundled in the jar. */
    public static ApiSchema bundled() {
        try (InputStream in = ApiSchema.class.getResourceAsStream(SUBSET_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + SUBSET_RESOURCE);
            }
            return parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ApiSchema load(Path file) {
        try {
            return parse(JSON.readTree(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Accepts the API viewer tree (array) or the subset object. */
    public static ApiSchema parse(JsonNode root) {
        Map<String, Map<String, Endpoint>> endpoints = new TreeMap<>();
        if (root.isArray()) {
            root.forEach(node -> collectTree(node, endpoints));
        } else {
            for (JsonNode e : root.path("endpoints")) {
                add(endpoints, new Endpoint(e.path("path").asText(), e.path("method").asText(), e.path("info")));
            }
        }
        return new ApiSchema(endpoints);
    }

    private static void collectTree(JsonNode node, Map<String, Map<String, Endpoint>> endpoints) {
        String path = node.path("path").asText();
        node.path("info").fields().forEachRemaining(m -> add(endpoints, new Endpoint(path, m.getKey(), m.getValue())));
        node.path("children").forEach(child -> collectTree(child, endpoints));
    }

    private static void add(Map<String, Map<String, Endpoint>> endpoints, Endpoint endpoint) {
        endpoints.computeIfAbsent(endpoint.template(), k -> new TreeMap<>()).put(endpoint.method(), endpoint);
    }

    public Optional<Endpoint> endpoint(String template, String method) {
        return Optional.ofNullable(byTemplate.getOrDefault(template, Map.of()).get(method));
    }

    /** All endpoints, ordered by path then method. */
    public List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        byTemplate.values().forEach(methods -> all.addAll(methods.values()));
        return all;
    }

    /**
     * Matches a concrete path (below /api2/json, percent-encoded segments allowed) to a template; literal segments
     * win over parameters. Empty when the path or the method is unknown (Proxmox answers 501 then).
     */
    public Optional<Match> match(String method, String path) {
        String[] segments = split(path);
        Match best = null;
        int bestLiterals = -1;
        for (Map.Entry<String, Map<String, Endpoint>> entry : byTemplate.entrySet()) {
            Endpoint endpoint = entry.getValue().get(method);
            String[] template = split(entry.getKey());
            if (endpoint == null || template.length != segments.length) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                String decoded = URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8);
                if (template[i].startsWith("{") && template[i].endsWith("}")) {
                    params.put(template[i].substring(1, template[i].length() - 1), decoded);
                } else if (template[i].equals(decoded)) {
                    literals++;
                } else {
                    matches = false;
                }
            }
            if (matches && literals > bestLiterals) {
                best = new Match(endpoint, params);
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String[] split(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
    }

    /**
     * Validates request parameters (path parameters included) the way pve-common does: unknown names, missing
     * required ones, type, format, then ranges. Returns parameter name to message; empty when valid.
     */
    public Map<String, String> validateParameters(Endpoint endpoint, Map<String, String> params) {
        Map<String, String> errors = new TreeMap<>();
        JsonNode declared = endpoint.parameters();
        boolean additionalAllowed = endpoint.info().path("parameters").path("additionalProperties").asInt(0) == 1;
        for (Map.Entry<String, String> param : params.entrySet()) {
            Optional<JsonNode> schema = property(declared, param.getKey());
            if (schema.isEmpty()) {
                if (!additionalAllowed) {
                    errors.put(param.getKey(), "property is not defined in schema and the schema does not allow additional properties");
                }
                continue;
            }
            checkValue(param.getValue(), schema.get()).ifPresent(msg -> errors.put(param.getKey(), msg));
        }
        Iterator<Map.Entry<String, JsonNode>> fields = declared.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().endsWith("[n]") && field.getValue().path("optional").asInt(0) != 1
                    && !params.containsKey(field.getKey())) {
                errors.put(field.getKey(), "property is missing and it is not optional");
            }
        }
        return errors;
    }

    /** The schema of a property in a properties object; numbered keys (net0) resolve to their [n] declaration. */
    static Optional<JsonNode> property(JsonNode properties, String name) {
        if (properties.has(name)) {
            return Optional.of(properties.get(name));
        }
        String numbered = name.replaceFirst("^([a-z]+)\\d+$", "$1[n]");
        return numbered.equals(name) ? Optional.empty() : Optional.ofNullable(properties.get(numbered));
    }

    /** Checks one form-encoded value against its schema; the message is what pve-common would put in errors. */
    static Optional<String> checkValue(String value, JsonNode schema) {
        String type = schema.path("type").asText("string");
        switch (type) {
            case "boolean":
                return value.matches("[01]") ? Optional.empty() : Optional.of("type check ('boolean') failed - got '" + value + "'");
            case "integer":
                if (!value.matches("-?\\d+")) {
                    return Optional.of("type check ('integer') failed - got '" + value + "'");
                }
                break;
            case "number":
                if (!value.matches("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    return Optional.of("type check ('number') failed - got '" + value + "'");
                }
                break;
            default:
                break;
        }
        JsonNode format = schema.path("format");
        if (format.isObject()) {
            Optional<String> problem = PropertyStrings.check(value, format);
            if (problem.isPresent()) {
                return Optional.of("invalid format - " + problem.get() + "\n");
            }
        } else if (format.isTextual()) {
            Optional<String> problem = Formats.check(format.asText(), value);
            if (problem.isPresent()) {
                return Optional.of("invalid format - " + problem.get() + "\n");
            }
        }
        return checkRange(value, schema, type);
    }

    private static Optional<String> checkRange(String value, JsonNode schema, String type) {
        if (type.equals("integer") || type.equals("number")) {
            double number = Double.parseDouble(value);
            if (schema.has("minimum") && number < schema.get("minimum").asDouble()) {
                return Optional.of("value must have a minimum value of " + schema.get("minimum").asText());
            }
            if (schema.has("maximum") && number > schema.get("maximum").asDouble()) {
                return Optional.of("value must have a maximum value of " + schema.get("maximum").asText());
            }
        }
        if (schema.has("maxLength") && value.length() > schema.get("maxLength").asInt()) {
            return Optional.of("value may only be " + schema.get("maxLength").asInt() + " characters long");
        }
        if (schema.has("minLength") && value.length() < schema.get("minLength").asInt()) {
            return Optional.of("value must be at least " + schema.get("minLength").asInt() + " characters long");
        }
        if (schema.has("enum")) {
            List<String> allowed = new ArrayList<>();
            schema.get("enum").forEach(e -> allowed.add(e.asText()));
            if (!allowed.contains(value)) {
                return Optional.of("value '" + value + "' does not have a value in the enumeration '"
                        + String.join(", ", allowed) + "'");
            }
        }
        if (schema.has("pattern") && !perlPattern(schema.get("pattern").asText()).matcher(value).matches()) {
            return Optional.of("value does not match the regex pattern");
        }
        return Optional.empty();
    }

    /** Schema patterns are Perl regexes, sometimes stringified as (?^:...); Proxmox anchors them. */
    static Pattern perlPattern(String perl) {
        return Pattern.compile(perl.replace("(?^:", "(?:"));
    }

    /**
     * Checks a response's {@code data} against the endpoint's {@code returns}. Returns the problems found (JSON
     * path and reason); empty when the shape fits. Integers may arrive as numeric strings because the Perl JSON
     * serialiser keeps a scalar's last use (e.g. /cluster/nextid), and booleans are 0/1.
     */
    public List<String> validateReturns(Endpoint endpoint, JsonNode data) {
        List<String> problems = new ArrayList<>();
        checkReturn("data", endpoint.returns(), data, problems);
        return problems;
    }

    private static void checkReturn(String where, JsonNode schema, JsonNode value, List<String> problems) {
        if (value == null || value.isNull()) {
            if (!schema.path("type").asText("null").equals("null") && schema.path("optional").asInt(0) != 1) {
                problems.add(where + ": null, expected " + schema.path("type").asText());
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(where + ": expected object, got " + value.getNodeType());
                    return;
                }
                JsonNode properties = schema.path("properties");
                properties.fields().forEachRemaining(p -> {
                    if (!p.getKey().endsWith("[n]") && p.getValue().path("optional").asInt(0) != 1 && !value.has(p.getKey())) {
                        problems.add(where + "." + p.getKey() + ": missing");
                    }
                });
                value.fields().forEachRemaining(f -> property(properties, f.getKey())
                        .ifPresent(s -> checkReturn(where + "." + f.getKey(), s, f.getValue(), problems)));
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(where + ": expected array, got " + value.getNodeType());
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    checkReturn(where + "[" + i + "]", schema.path("items"), value.get(i), problems);
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber() && !(value.isTextual() && value.asText().matches("-?\\d+"))) {
                    problems.add(where + ": expected integer, got " + value);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add(where + ": expected number, got " + value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean() && !(value.isIntegralNumber() && (value.asInt() == 0 || value.asInt() == 1))) {
                    problems.add(where + ": expected boolean (0/1), got " + value);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(where + ": expected string, got " + value);
                } else if (schema.has("enum")) {
                    List<String> allowed = new ArrayList<>();
                    schema.get("enum").forEach(e -> allowed.add(e.asText()));
                    if (!allowed.contains(value.asText())) {
                        problems.add(where + ": '" + value.asText() + "' not in " + allowed);
                    }
                } else if (schema.has("pattern") && !perlPattern(schema.get("pattern").asText()).matcher(value.asText()).matches()) {
                    problems.add(where + ": '" + value.asText() + "' does not match " + schema.get("pattern").asText());
                }
            }
            default -> {
                // "null" or an untyped return: nothing to check
            }
        }
    }
}
