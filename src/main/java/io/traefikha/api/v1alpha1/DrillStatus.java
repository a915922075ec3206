package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last failover drill: what was broken, the service gaps a client saw, and how it ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DrillStatus {

    /** Written before the service is stopped; still there on the next reconcile means the drill was cut short. */
    public static final String RUNNING = "Running";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    /** The operator stopped mid-drill; the next reconcile started the service again. */
    public static final String INTERRUPTED = "Interrupted";

    @JsonPropertyDescription("When the drill started (RFC 3339).")
    public String when;

    @JsonPropertyDescription("What was drilled: StopTraefik, StopKeepalived or StopContainer.")
    public DrillScenario scenario;

    @JsonPropertyDescription("What started it: 'schedule' or 'annotation:<value of traefikha.io/drill>'.")
    public String trigger;

    @JsonPropertyDescription("The role (primary or secondary) of the node that held the VIP and was drilled.")
    public String node;

    @JsonPropertyDescription("Running (under way), Succeeded, Failed, or Interrupted (the operator stopped mid-drill; the"
            + " service was started again on the next reconcile).")
    public String result;

    @JsonPropertyDescription("Longest time in milliseconds the VIP did not answer after the service was stopped: from the last"
            + " answer before to the first answer after, probed every 10 ms.")
    public Long gapMillis;

    @JsonPropertyDescription("Longest time in milliseconds the VIP did not answer after the service was started again (the"
            + " failback, with vip.preempt).")
    public Long failbackGapMillis;

    @JsonPropertyDescription("The last value of the annotation traefikha.io/drill that was acted on, so it starts one drill"
            + " only; set a new value to drill again.")
    public String annotation;

    @JsonPropertyDescription("What happened, in words.")
    public String message;
}
