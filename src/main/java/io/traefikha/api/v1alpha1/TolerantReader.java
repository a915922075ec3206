package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Reads the spec or the status of a TraefikHACluster without ever throwing. The controller's informer deserializes
 * every stored resource; one that does not fit the model (an unknown enum value, a string where an object belongs)
 * would make fabric8 close the watch, and the informer stops for all resources for good. Instead the part that does
 * not fit becomes an {@link UnreadableSpec} or {@link UnreadableStatus} naming the field and what was found there.
 */
abstract class TolerantReader<T> extends JsonDeserializer<T> {

    private static final int MAX_QUOTED = 60;

    private final String root;
    private final Class<T> type;
    private final BiFunction<JsonNode, Unreadable, T> unreadable;

    TolerantReader(String root, Class<T> type, BiFunction<JsonNode, Unreadable, T> unreadable) {
        this.root = root;
        this.type = type;
        this.unreadable = unreadable;
    }

    @Override
    public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode json = context.readTree(parser);
        try {
            return context.readTreeAsValue(json, type);
        } catch (JsonMappingException e) {
            return unreadable.apply(json, describe(root, json, e));
        }
    }

    /** The field Jackson failed on, as a path below {@code root}, and what it expected there against what it found. */
    static Unreadable describe(String root, JsonNode json, JsonMappingException e) {
        StringBuilder field = new StringBuilder(root);
        JsonNode found = json;
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                field.append('.').append(step.getFieldName());
                found = found.path(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                field.append('[').append(step.getIndex()).append(']');
                found = found.path(step.getIndex());
            }
        }
        String problem = e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                ? "expected " + expected(mismatch.getTargetType()) + ", found " + found(found)
                : e.getOriginalMessage();
        return new Unreadable(field.toString(), problem);
    }

    private static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(", "));
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return Map.class.isAssignableFrom(type) ? "a map" : "an object";
    }

    private static String found(JsonNode node) {
        if (node.isTextual()) {
            String text = node.asText();
            return "the string \"" + (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text) + "\"";
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        if (node.isBoolean() || node.isNull()) {
            return node.asText();
        }
        if (node.isMissingNode()) {
            return "nothing";
        }
        return node.isArray() ? "a list" : "an object";
    }

    /** For {@link TraefikHACluster#setSpec}. */
    static final class Spec extends TolerantReader<TraefikHAClusterSpec> {
        Spec() {
            super("spec", TraefikHAClusterSpec.class, UnreadableSpec::new);
        }
    }

    /** For {@link TraefikHACluster#setStatus}. */
    static final class Status extends TolerantReader<TraefikHAClusterStatus> {
        Status() {
            super("status", TraefikHAClusterStatus.class, UnreadableStatus::new);
        }
    }
}
