package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** VIP moves between nodes as the operator observed them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailoverStatus {

    @JsonPropertyDescription("Number of times the VIP moved from one node to the other.")
    public long count;

    @JsonPropertyDescription("When the last move was observed (RFC 3339).")
    public String last;

    @JsonPropertyDescription("The last move, as 'from -> to'.")
    public String lastTransition;
}
