package io.traefikha.api.v1alpha1;

/** One reason a spec is invalid: the field path as in kubectl explain (e.g. spec.vip.address) and what is wrong. */
public record Violation(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
