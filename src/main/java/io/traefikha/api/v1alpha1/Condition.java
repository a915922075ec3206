package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A Kubernetes-style condition (same shape as metav1.Condition). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    @Required
    @JsonPropertyDescription("Condition type, e.g. Ready or Valid.")
    public String type;

    @Required
    @JsonPropertyDescription("True, False or Unknown.")
    public String status;

    @JsonPropertyDescription("One CamelCase word saying why, e.g. InvalidSpec.")
    public String reason;

    @JsonPropertyDescription("What a person needs to know, naming the field or object concerned.")
    public String message;

    @JsonPropertyDescription("When status last changed (RFC 3339).")
    public String lastTransitionTime;

    @JsonPropertyDescription("metadata.generation the condition was computed from.")
    public Long observedGeneration;

    public Condition() {
    }

    public Condition(String type, String status, String reason, String message) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
    }
}
