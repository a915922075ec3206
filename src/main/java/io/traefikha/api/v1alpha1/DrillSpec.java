package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** Scheduled failover drills: a controlled failover and failback with the service gap measured from the operator. */
public class DrillSpec {

    @Size(max = 128)
    @JsonPropertyDescription("When to drill, as a Unix cron expression of five fields (minute hour day-of-month month"
            + " day-of-week, UTC), e.g. '0 4 1 * *' for 04:00 on the first of every month. Empty: only on demand, through"
            + " the annotation traefikha.io/drill. A drill that falls due while the cluster is not Ready waits until it is.")
    public String schedule;

    @Default("StopTraefik")
    @JsonPropertyDescription("What the drill breaks on the node holding the VIP: StopTraefik stops the traefik service"
            + " (the health check moves the VIP), StopKeepalived stops keepalived (a clean handover), StopContainer stops the"
            + " whole container through the Proxmox API like `pct stop` (a hard failure; needs VM.PowerMgmt on both"
            + " containers). What was stopped is always started again.")
    public DrillScenario scenario = DrillScenario.StopTraefik;

    @Default("80")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("TCP port of Traefik on the VIP that the operator sends HTTP requests to every 10 ms during the"
            + " drill; any HTTP answer counts as served.")
    public int probePort = 80;
}
