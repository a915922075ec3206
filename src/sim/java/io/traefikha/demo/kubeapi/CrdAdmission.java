package io.traefikha.demo.kubeapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A CRD version's OpenAPI v3 schema judging a write the way kube-apiserver (apiextensions-apiserver) does, for the
 * embedded API and for tests (the fabric8 test API server judges nothing):
 * <ol>
 * <li>fields the schema does not know are listed (kubectl's default strict field validation asks the server to refuse
 * them; otherwise it drops them) and pruned;</li>
 * <li>a null in a field that is not nullable is pruned, then OpenAPI defaults are applied where a field is absent, top
 * down and only inside objects that are present (structural defaulting);</li>
 * <li>the schema: type, enum, pattern (found anywhere, as Go's regexp does; every pattern here is anchored), minimum
 * and maximum, minLength and maxLength, minItems and maxItems, required;</li>
 * <li>unless a type or enum error blocks them (as in the API server's strategy), every CEL rule
 * (x-kubernetes-validations) where its value is present, with the strings extension; a rule that errs (such as "no such
 * key") refuses the object as a false one does.</li>
 * </ol>
 * apiVersion, kind and metadata are the API server's own and not judged here. Errors are worded as kube-apiserver's
 * field errors ({@code spec.vip.address: Invalid value: "...": ...}).
 */
public final class CrdAdmission {

    public static final Path CHECKED_IN = Path.of("crds/traefikhaclusters.traefikha.io-v1.yml");
    /** What the API server sets itself: never judged against the schema. */
    private static final Set<String> SERVER_FIELDS = Set.of("apiVersion", "kind", "metadata");
    private static final String NOT_CHECKED = "some validation rules were not checked because the object was invalid;"
            + " correct the existing errors to complete validation";

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .build();
    /** Compiled rules by expression: the CEL environment is the same for every schema. */
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    /** Where a CEL rule sits (e.g. spec.vip) and what it says. */
    public record Rule(String path, String expression, String message) {
    }

    /** kube-apiserver's field error types: the cause type of a Status and how a message spells it. */
    public enum ErrorType {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        TYPE_INVALID("FieldValueTypeInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many");

        private final String causeType;
        private final String label;

        ErrorType(String causeType, String label) {
            this.causeType = causeType;
            this.label = label;
        }

        public String causeType() {
            return causeType;
        }
    }

    /**
     * One refusal, as kube-apiserver's field.Error: the field (null for the object as a whole, printed {@code <nil>}),
     * the type, and the body, e.g. {@code Invalid value: 0: spec.ssh.port in body should be greater than or equal to 1}.
     */
    public record FieldError(String field, ErrorType type, String body) {

        public String fieldName() {
            return field == null ? "<nil>" : field;
        }

        @Override
        public String toString() {
            return fieldName() + ": " + body;
        }
    }

    /**
     * The API server's answer.
     *
     * @param unknownFields paths of the fields the schema does not know
     * @param errors        why the object is invalid; empty when it is valid
     * @param admitted      the object as it would be stored: unknown fields pruned, defaults applied
     */
    public record Verdict(List<String> unknownFields, List<FieldError> errors, JsonNode admitted) {

        /** Refused as under kubectl's default (strict) field validation: an unknown field or an invalid value. */
        public boolean refused() {
            return !unknownFields.isEmpty() || !errors.isEmpty();
        }

        /** Every reason for a refusal, worded as kube-apiserver words it. */
        public List<String> messages() {
            return Stream.concat(unknownFields.stream().map(CrdAdmission::unknownField), errors.stream().map(FieldError::toString))
                    .toList();
        }
    }

    private final JSONSchemaProps root;

    private CrdAdmission(JSONSchemaProps root) {
        this.root = root;
    }

    /** The checked-in CRD's (only) version, read from the working directory (the clone's root). */
    public static CrdAdmission checkedIn() {
        try (InputStream in = Files.newInputStream(CHECKED_IN)) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            return of(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Judges objects against a CRD version's openAPIV3Schema. */
    public static CrdAdmission of(JSONSchemaProps openApiV3Schema) {
        return new CrdAdmission(openApiV3Schema);
    }

    /** Every CEL rule of the schema, with where it sits. */
    public List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        collectRules(root, "", rules);
        return rules;
    }

    /** The OpenAPI schema of spec. */
    public JSONSchemaProps specSchema() {
        return root.getProperties().get("spec");
    }

    /** What the API server answers to a write of this object (as JSON or YAML parsed to a tree), as it would store it. */
    @SuppressWarnings("unchecked")
    public Verdict admit(JsonNode object) {
        Map<String, Object> judged = (Map<String, Object>) plain(object);
        judged.keySet().removeAll(SERVER_FIELDS);
        List<String> unknown = new ArrayList<>();
        prune(judged, root, "", unknown);
        defaulted(judged, root);
        List<FieldError> errors = new ArrayList<>();
        boolean blocking = schema(judged, root, "", errors);
        if (blocking) {
            errors.add(new FieldError(null, ErrorType.INVALID, body(ErrorType.INVALID, "null", NOT_CHECKED)));
        } else {
            cel(judged, root, "", errors);
        }
        ObjectNode admitted = JsonNodeFactory.instance.objectNode();
        SERVER_FIELDS.stream().sorted().filter(object::has).forEach(name -> admitted.set(name, object.get(name).deepCopy()));
        admitted.setAll((ObjectNode) Json.MAPPER.valueToTree(judged));
        return new Verdict(List.copyOf(unknown), List.copyOf(errors), admitted);
    }

    /** What the API server answers to a write of a resource with this spec. */
    public Verdict admitSpec(JsonNode spec) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.set("spec", spec);
        return admit(object);
    }

    /**
     * The spec without the fields the schema does not know, not defaulted: what any API server stores (it prunes them
     * even when the client does not ask for strict field validation), and all that the test API server does.
     */
    public JsonNode pruned(JsonNode spec) {
        Object value = plain(spec);
        prune(value, specSchema(), "spec", new ArrayList<>());
        return Json.MAPPER.valueToTree(value);
    }

    /**
     * Compiles every CEL rule now rather than at the first write: the first compilation loads CEL and takes seconds,
     * which the embedded API's event loop should not spend.
     */
    public CrdAdmission precompiled() {
        rules().forEach(rule -> compile(rule.expression()));
        return this;
    }

    /** @throws IllegalArgumentException naming the rule when it does not compile */
    public static CelRuntime.Program compile(String expression) {
        return PROGRAMS.computeIfAbsent(expression, e -> {
            try {
                return CEL.createProgram(CEL.compile(e).getAst());
            } catch (Exception failed) {
                throw new IllegalArgumentException("CEL rule does not compile: " + e, failed);
            }
        });
    }

    static String unknownField(String path) {
        return "unknown field \"" + path + "\"";
    }

    /** The schema of an object's member: its property's, else additionalProperties'; null when the schema has none. */
    private static JSONSchemaProps memberSchema(JSONSchemaProps schema, String name) {
        if (schema.getProperties() != null && schema.getProperties().containsKey(name)) {
            return schema.getProperties().get(name);
        }
        return schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema();
    }

    private static JSONSchemaProps itemSchema(JSONSchemaProps schema) {
        return schema.getItems() == null ? null : schema.getItems().getSchema();
    }

    private static String member(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Removes the members the schema does not know, noting their paths. */
    private static void prune(Object value, JSONSchemaProps schema, String path, List<String> unknown) {
        if (Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Iterator<? extends Map.Entry<?, ?>> members = map.entrySet().iterator(); members.hasNext(); ) {
                Map.Entry<?, ?> entry = members.next();
                String name = (String) entry.getKey();
                JSONSchemaProps child = memberSchema(schema, name);
                if (child == null) {
                    unknown.add(member(path, name));
                    members.remove();
                } else {
                    prune(entry.getValue(), child, member(path, name), unknown);
                }
            }
        } else if (value instanceof List<?> list && itemSchema(schema) != null) {
            for (int i = 0; i < list.size(); i++) {
                prune(list.get(i), itemSchema(schema), path + "[" + i + "]", unknown);
            }
        }
    }

    /** Nulls of non-nullable fields pruned, then defaults where a field is absent, recursing into what is present. */
    @SuppressWarnings("unchecked")
    private static void defaulted(Object value, JSONSchemaProps schema) {
        if (schema == null) {
            return; // a field kept by x-kubernetes-preserve-unknown-fields: no schema, no defaults
        }
        if (value instanceof Map<?, ?> raw) {
            Map<String, Object> map = (Map<String, Object>) raw;
            map.entrySet().removeIf(entry -> entry.getValue() == null && memberSchema(schema, entry.getKey()) != null
                    && !Boolean.TRUE.equals(memberSchema(schema, entry.getKey()).getNullable()));
            if (schema.getProperties() != null) {
                schema.getProperties().forEach((name, child) -> {
                    if (!map.containsKey(name) && child.getDefault() != null) {
                        map.put(name, plain(child.getDefault()));
                    }
                });
            }
            map.forEach((name, child) -> defaulted(child, memberSchema(schema, name)));
        } else if (value instanceof List<?> list && itemSchema(schema) != null) {
            list.forEach(item -> defaulted(item, itemSchema(schema)));
        }
    }

    /** @return whether an error blocks the CEL rules (a wrong type or a value outside an enum) */
    private static boolean schema(Object value, JSONSchemaProps schema, String path, List<FieldError> errors) {
        if (value == null) {
            return false;
        }
        if (!hasType(value, schema.getType())) {
            errors.add(error(path, ErrorType.TYPE_INVALID, value,
                    path + " in body must be of type " + schema.getType() + ": \"" + typeOf(value) + "\""));
            return true;
        }
        boolean blocking = false;
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()
                && schema.getEnum().stream().map(CrdAdmission::plain).noneMatch(value::equals)) {
            errors.add(error(path, ErrorType.NOT_SUPPORTED, value, "supported values: " + schema.getEnum().stream()
                    .map(CrdAdmission::plain).map(CrdAdmission::goValue).collect(Collectors.joining(", "))));
            blocking = true;
        }
        if (value instanceof String text) {
            int length = text.codePointCount(0, text.length());
            if (schema.getPattern() != null && !PATTERNS.computeIfAbsent(schema.getPattern(), Pattern::compile).matcher(text).find()) {
                errors.add(error(path, ErrorType.INVALID, text, path + " in body should match '" + schema.getPattern() + "'"));
            }
            if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
                errors.add(new FieldError(path, ErrorType.TOO_LONG,
                        ErrorType.TOO_LONG.label + ": may not be more than " + schema.getMaxLength() + " bytes"));
            }
            if (schema.getMinLength() != null && length < schema.getMinLength()) {
                errors.add(error(path, ErrorType.INVALID, text,
                        path + " in body should be at least " + schema.getMinLength() + " chars long"));
            }
        }
        if (value instanceof Number number) {
            if (schema.getMinimum() != null && number.doubleValue() < schema.getMinimum()) {
                errors.add(error(path, ErrorType.INVALID, number,
                        path + " in body should be greater than or equal to " + goValue(schema.getMinimum())));
            }
            if (schema.getMaximum() != null && number.doubleValue() > schema.getMaximum()) {
                errors.add(error(path, ErrorType.INVALID, number,
                        path + " in body should be less than or equal to " + goValue(schema.getMaximum())));
            }
        }
        if (value instanceof List<?> list) {
            if (schema.getMaxItems() != null && list.size() > schema.getMaxItems()) {
                errors.add(error(path, ErrorType.TOO_MANY, (long) list.size(),
                        "must have at most " + schema.getMaxItems() + " items"));
            }
            if (schema.getMinItems() != null && list.size() < schema.getMinItems()) {
                errors.add(error(path, ErrorType.INVALID, (long) list.size(),
                        path + " in body should have at least " + schema.getMinItems() + " items"));
            }
            for (int i = 0; i < list.size() && itemSchema(schema) != null; i++) {
                blocking |= schema(list.get(i), itemSchema(schema), path + "[" + i + "]", errors);
            }
        }
        if (value instanceof Map<?, ?> map) {
            for (String required : schema.getRequired() == null ? List.<String>of() : schema.getRequired()) {
                if (!map.containsKey(required)) {
                    errors.add(new FieldError(member(path, required), ErrorType.REQUIRED, ErrorType.REQUIRED.label));
                }
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = (String) entry.getKey();
                JSONSchemaProps child = memberSchema(schema, name);
                if (child != null) {
                    blocking |= schema(entry.getValue(), child, member(path, name), errors);
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

    /** The JSON type of a value, as the schema names types. */
    private static String typeOf(Object value) {
        return Stream.of("object", "array", "string", "integer", "number", "boolean")
                .filter(type -> hasType(value, type)).findFirst().orElse("null");
    }

    private static void cel(Object value, JSONSchemaProps schema, String path, List<FieldError> errors) {
        if (value == null) {
            return; // the API server runs a rule only where its value is present
        }
        for (ValidationRule rule : schema.getXKubernetesValidations() == null ? List.<ValidationRule>of()
                : schema.getXKubernetesValidations()) {
            boolean hasMessage = rule.getMessage() != null && !rule.getMessage().isBlank();
            try {
                Object result = compile(rule.getRule()).eval(Map.of("self", value));
                if (!Boolean.TRUE.equals(result)) {
                    errors.add(error(path, ErrorType.INVALID, schema.getType(),
                            hasMessage ? rule.getMessage().strip() : "failed rule: " + rule.getRule().strip()));
                }
            } catch (Exception e) {
                errors.add(error(path, ErrorType.INVALID, schema.getType(), e.getMessage() + " evaluating rule: "
                        + (hasMessage ? rule.getMessage() : rule.getRule()).strip()));
            }
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((name, child) -> {
                JSONSchemaProps childSchema = memberSchema(schema, (String) name);
                if (childSchema != null) {
                    cel(child, childSchema, member(path, (String) name), errors);
                }
            });
        } else if (value instanceof List<?> list && itemSchema(schema) != null) {
            for (int i = 0; i < list.size(); i++) {
                cel(list.get(i), itemSchema(schema), path + "[" + i + "]", errors);
            }
        }
    }

    private static void collectRules(JSONSchemaProps schema, String path, List<Rule> into) {
        if (schema.getXKubernetesValidations() != null) {
            schema.getXKubernetesValidations().forEach(v -> into.add(new Rule(path, v.getRule(), v.getMessage())));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> collectRules(child, member(path, name), into));
        }
        if (itemSchema(schema) != null) {
            collectRules(itemSchema(schema), path + "[]", into);
        }
    }

    private static FieldError error(String path, ErrorType type, Object value, String detail) {
        return new FieldError(path, type, body(type, value, detail));
    }

    /** "Invalid value: VALUE: DETAIL", the value printed as Go's field errors print it. */
    private static String body(ErrorType type, Object value, String detail) {
        return type.label + ": " + goValue(value) + ": " + detail;
    }

    /** Strings quoted, whole numbers without a fraction (Go's %v of a float64), anything else as JSON. */
    private static String goValue(Object value) {
        if (value instanceof Double number && number == Math.rint(number) && !Double.isInfinite(number)) {
            return String.valueOf(number.longValue());
        }
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** JSON as the API server decodes it: integers int64, other numbers double, nulls kept (pruned per schema). */
    private static Object plain(JsonNode node) {
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
