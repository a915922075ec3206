package io.traefikha.demo.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/**
 * A field selector ({@code involvedObject.name=traefik,type!=Normal}) evaluated on the stored JSON, for any field:
 * the mock only knows metadata.name and metadata.namespace. As in Kubernetes, a missing field compares as "".
 */
record FieldSelector(List<Term> terms) {

    record Term(JsonPath field, boolean equal, String value) {
    }

    static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    static FieldSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        return new FieldSelector(Arrays.stream(selector.split(",")).map(String::strip).filter(t -> !t.isEmpty())
                .map(FieldSelector::term).toList());
    }

    private static Term term(String requirement) {
        for (String operator : List.of("!=", "==", "=")) {
            int at = requirement.indexOf(operator);
            if (at > 0) {
                return new Term(JsonPath.parse("." + requirement.substring(0, at).strip()), !operator.equals("!="),
                        requirement.substring(at + operator.length()).strip());
            }
        }
        throw new IllegalArgumentException("unsupported field selector requirement: " + requirement);
    }

    boolean matches(JsonNode object) {
        return terms.stream().allMatch(term -> {
            List<JsonNode> found = term.field().select(object);
            String actual = found.isEmpty() ? "" : found.get(0).asText();
            return actual.equals(term.value()) == term.equal();
        });
    }
}
