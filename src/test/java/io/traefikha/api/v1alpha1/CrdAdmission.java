package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The checked-in CRD judging a create the way kube-apiserver does, for tests (the test API server judges nothing):
 * <ol>
 * <li>unknown fields are refused, as kubectl's default strict field validation asks the server to;</li>
 * <li>a null in a field that is not nullable is pruned, then OpenAPI defaults are applied where a field is absent, top
 * down and only inside objects that are present (apiextensions-apiserver's structural defaulting);</li>
 * <li>the OpenAPI v3 schema: type, enum, pattern (found anywhere, as Go's regexp does; every pattern here is anchored),
 * minimum and maximum, minLength and maxLength, minItems and maxItems, required;</li>
 * <li>unless a type or enum error blocks them (as in the API server's strategy), every CEL rule
 * (x-kubernetes-validations) where its value is present, with the strings extension; a rule that errs (such as "no such
 * key") refuses the object as a false one does.</li>
 * </ol>
 * Only {@code spec} is judged: metadata is the API server's own, status goes through its own subresource.
 */
final class CrdAdmission {

    static final Path CHECKED_IN = Path.of("crds/traefikhaclusters.traefikha.io-v1.yml");

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .build();

    /** Where a CEL rule sits (e.g. spec.vip) and what it says. */
    record Rule(String path, String expression, String message) {
    }

    /** The API server's answer: the errors it would list, none when it admits the object. */
    record Verdict(List<String> errors) {

        boolean refused() {
            return !errors.isEmpty();
        }
    }

    private final JSONSchemaProps spec;
    private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

    private CrdAdmission(JSONSchemaProps spec) {
        this.spec = spec;
    }

    static CrdAdmission checkedIn() {
        try (InputStream in = Files.newInputStream(CHECKED_IN)) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            return new CrdAdmission(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every CEL rule of the spec, with where it sits. */
    List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        collectRules(spec, "spec", rules);
        return rules;
    }

    /** What the API server answers to a create of a resource with this spec (as JSON or YAML parsed to a tree). */
    Verdict admit(JsonNode specNode) {
        Object value = plain(specNode);
        List<String> errors = new ArrayList<>();
        unknownFields(value, spec, "spec", errors);
        value = defaulted(value, spec);
        boolean blocking = schema(value, spec, "spec", errors);
        if (blocking) {
            errors.add("some validation rules were not checked because the object was invalid");
        } else {
            cel(value, spec, "spec", errors);
        }
        return new Verdict(errors);
    }

    /**
     * The spec without the fields the schema does not know: what any API server stores (it prunes them even when the
     * client does not ask for strict field validation), so what the operator reads.
     */
    JsonNode pruned(JsonNode specNode) {
        JsonNode copy = specNode.deepCopy();
        prune(copy, spec);
        return copy;
    }

    private static void prune(JsonNode node, JSONSchemaProps schema) {
        if (Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
            return;
        }
        if (node instanceof ObjectNode object && schema.getProperties() != null) {
            object.retain(schema.getProperties().keySet());
            object.fields().forEachRemaining(field -> prune(field.getValue(), schema.getProperties().get(field.getKey())));
        } else if (node.isArray() && schema.getItems() != null) {
            node.forEach(item -> prune(item, schema.getItems().getSchema()));
        }
    }

    /** The OpenAPI schema of spec. */
    JSONSchemaProps specSchema() {
        return spec;
    }

    private static void unknownFields(Object value, JSONSchemaProps schema, String path, List<String> errors) {
        if (Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
            return;
        }
        if (value instanceof Map<?, ?> map && schema.getProperties() != null) {
            map.forEach((key, child) -> {
                JSONSchemaProps childSchema = schema.getProperties().get((String) key);
                if (childSchema == null) {
                    errors.add(path + "." + key + ": unknown field");
                } else {
                    unknownFields(child, childSchema, path + "." + key, errors);
                }
            });
        } else if (value instanceof List<?> list && schema.getItems() != null) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), schema.getItems().getSchema(), path + "[" + i + "]", errors);
            }
        }
    }

    /** Nulls of non-nullable fields pruned, then defaults where a field is absent, recursing into what is present. */
    @SuppressWarnings("unchecked")
    private static Object defaulted(Object value, JSONSchemaProps schema) {
        if (value instanceof Map<?, ?> raw && schema.getProperties() != null) {
            Map<String, Object> map = (Map<String, Object>) raw;
            schema.getProperties().forEach((key, child) -> {
                boolean nonNullableNull = map.containsKey(key) && map.get(key) == null && !Boolean.TRUE.equals(child.getNullable());
                if (nonNullableNull) {
                    map.remove(key);
                }
                if (!map.containsKey(key) && child.getDefault() != null) {
                    map.put(key, plain(child.getDefault()));
                }
            });
            map.replaceAll((key, child) -> schema.getProperties().containsKey(key)
                    ? defaulted(child, schema.getProperties().get(key)) : child);
        } else if (value instanceof List<?> raw && schema.getItems() != null) {
            List<Object> list = (List<Object>) raw;
            list.replaceAll(item -> defaulted(item, schema.getItems().getSchema()));
        }
        return value;
    }

    /** @return whether an error blocks the CEL rules (a wrong type or a value outside an enum) */
    private static boolean schema(Object value, JSONSchemaProps schema, String path, List<String> errors) {
        if (value == null) {
            return false;
        }
        if (!hasType(value, schema.getType())) {
            errors.add(path + ": Invalid type: expected " + schema.getType());
            return true;
        }
        boolean blocking = false;
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()
                && schema.getEnum().stream().map(CrdAdmission::plain).noneMatch(value::equals)) {
            errors.add(path + ": Unsupported value: " + value + ", supported values: " + schema.getEnum());
            blocking = true;
        }
        if (value instanceof String text) {
            int length = text.codePointCount(0, text.length());
            if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(text).find()) {
                errors.add(path + ": Invalid value: '" + text + "' should match '" + schema.getPattern() + "'");
            }
            if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
                errors.add(path + ": Too long: may not be more than " + schema.getMaxLength() + " bytes");
            }
            if (schema.getMinLength() != null && length < schema.getMinLength()) {
                errors.add(path + ": Invalid value: should be at least " + schema.getMinLength() + " chars long");
            }
        }
        if (value instanceof Number number) {
            if (schema.getMinimum() != null && number.doubleValue() < schema.getMinimum()) {
                errors.add(path + ": Invalid value: " + number + ": should be greater than or equal to " + schema.getMinimum());
            }
            if (schema.getMaximum() != null && number.doubleValue() > schema.getMaximum()) {
                errors.add(path + ": Invalid value: " + number + ": should be less than or equal to " + schema.getMaximum());
            }
        }
        if (value instanceof List<?> list) {
            if (schema.getMaxItems() != null && list.size() > schema.getMaxItems()) {
                errors.add(path + ": Too many: " + list.size() + ": must have at most " + schema.getMaxItems() + " items");
            }
            if (schema.getMinItems() != null && list.size() < schema.getMinItems()) {
                errors.add(path + ": Invalid value: should have at least " + schema.getMinItems() + " items");
            }
            for (int i = 0; i < list.size() && schema.getItems() != null; i++) {
                blocking |= schema(list.get(i), schema.getItems().getSchema(), path + "[" + i + "]", errors);
            }
        }
        if (value instanceof Map<?, ?> map) {
            for (String required : schema.getRequired() == null ? List.<String>of() : schema.getRequired()) {
                if (!map.containsKey(required)) {
                    errors.add(path + "." + required + ": Required value");
                }
            }
            if (schema.getProperties() != null) {
                for (Map.Entry<String, JSONSchemaProps> child : schema.getProperties().entrySet()) {
                    blocking |= schema(map.get(child.getKey()), child.getValue(), path + "." + child.getKey(), errors);
                }
            }
        }
        return blocking;
    }

    private static boolean hasType(Object value, String type) {
        return switch (type == null ? "" : type) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "integer" -> value instanceof Long;
            case "number" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            default -> true;
        };
    }

    private void cel(Object value, JSONSchemaProps schema, String path, List<String> errors) {
        if (value == null) {
            return; // the API server runs a rule only where its value is present
        }
        for (ValidationRule rule : schema.getXKubernetesValidations() == null ? List.<ValidationRule>of()
                : schema.getXKubernetesValidations()) {
            try {
                Object result = compile(rule.getRule()).eval(Map.of("self", value));
                if (!Boolean.TRUE.equals(result)) {
                    errors.add(path + ": Invalid value: " + rule.getMessage());
                }
            } catch (Exception e) {
                errors.add(path + ": Invalid value: rule error: " + e.getMessage() + " (" + rule.getMessage() + ")");
            }
        }
        if (value instanceof Map<?, ?> map && schema.getProperties() != null) {
            schema.getProperties().forEach((key, child) -> cel(map.get(key), child, path + "." + key, errors));
        } else if (value instanceof List<?> list && schema.getItems() != null) {
            for (int i = 0; i < list.size(); i++) {
                cel(list.get(i), schema.getItems().getSchema(), path + "[" + i + "]", errors);
            }
        }
    }

    /** @throws AssertionError naming the rule when it does not compile */
    CelRuntime.Program compile(String expression) {
        return programs.computeIfAbsent(expression, e -> {
            try {
                return CEL.createProgram(CEL.compile(e).getAst());
            } catch (Exception failed) {
                throw new AssertionError("CEL rule does not compile: " + e, failed);
            }
        });
    }

    private static void collectRules(JSONSchemaProps schema, String path, List<Rule> into) {
        if (schema.getXKubernetesValidations() != null) {
            schema.getXKubernetesValidations().forEach(v -> into.add(new Rule(path, v.getRule(), v.getMessage())));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> collectRules(child, path + "." + name, into));
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            collectRules(schema.getItems().getSchema(), path + "[]", into);
        }
    }

    /** JSON as the API server decodes it: integers int64, other numbers double, nulls kept (pruned per schema). */
    static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
