package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** The last rolling operation on Traefik (an upgrade or a restart for a static configuration change). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStatus {

    @JsonPropertyDescription("Upgrade (spec.traefik.upgrade) or Restart (the static configuration changed).")
    public String kind;

    @JsonPropertyDescription("What is rolled out: the version of an upgrade, the static configuration hash of a restart.")
    public String target;

    @JsonPropertyDescription("Pending (waiting to start safely), InProgress, Succeeded or Failed.")
    public String phase;

    @JsonPropertyDescription("The current (or failed) step: Apply (the command runs on node), Verify (waiting for node to"
            + " be healthy), HandOver (the VIP moves to node), FailBack (the VIP returns to the primary).")
    public String step;

    @JsonPropertyDescription("The node of the current step: primary, secondary, secondary-2, ...")
    public String node;

    @JsonPropertyDescription("The node that went first (the first, in role order, without the VIP at the start).")
    public String first;

    @JsonPropertyDescription("The node that goes last: the one serving the VIP at the start. The others go one at a time"
            + " in role order while it keeps the VIP; then the VIP moves to the first and this node goes.")
    public String last;

    @JsonPropertyDescription("Routers each node had loaded when the rollout started; a verified node has at least as many.")
    public Map<String, Integer> routersBefore;

    @JsonPropertyDescription("Identifier of the command run for the current step (the node reports its exit under it).")
    public String jobId;

    @JsonPropertyDescription("When the current step began (RFC 3339).")
    public String stepSince;

    @JsonPropertyDescription("When the rollout started (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When the rollout succeeded or failed (RFC 3339).")
    public String finishedAt;

    @JsonPropertyDescription("What happened last; after a failure, which step failed on which node and why.")
    public String message;
}
