package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where an operation wants the VIP, and whether it is there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HandoverStatus {

    @JsonPropertyDescription("The node (primary or secondary) the VIP is handed to and kept on.")
    public String to;

    @JsonPropertyDescription("Why: the operation that wants the VIP there (maintenance, a rolling upgrade or restart).")
    public String reason;

    @JsonPropertyDescription("Moving (the other node's priority is lowered, waiting for this node to take the VIP),"
            + " Held (it holds the VIP and answers), Displaced (it failed after taking the VIP and keepalived moved the"
            + " VIP away; it takes it back once healthy) or Refused (it was not healthy, the VIP did not move).")
    public String state;

    @JsonPropertyDescription("When this state began (RFC 3339).")
    public String since;

    @JsonPropertyDescription("After a maintenance: the node the VIP goes back to when the maintenance ends.")
    public String returnTo;
}
