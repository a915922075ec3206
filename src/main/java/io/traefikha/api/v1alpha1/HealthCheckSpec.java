package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.net.URI;

/** keepalived's view of Traefik's health on a node. */
@ValidationRule(value = "[duration(self.interval), duration(self.timeout)].all(d, d >= duration('1s') && "
        + CelRules.WHOLE_SECONDS + ")",
        message = "healthCheck.interval and healthCheck.timeout must be whole seconds, at least 1s (keepalived accepts nothing finer)")
public class HealthCheckSpec {

    @Default("http://127.0.0.1:8080/ping")
    @Pattern(Patterns.HTTP_URL)
    @JsonPropertyDescription("Traefik ping URL as seen from inside the container (entryPoint with ping enabled). https is"
            + " checked as healthCheck.tls says.")
    public String url = "http://127.0.0.1:8080/ping";

    @Default("http://127.0.0.1:8080/api/rawdata")
    @Pattern(Patterns.HTTP_URL)
    @JsonPropertyDescription("Traefik API URL listing loaded routers, used to count them (api enabled on the same entryPoint).")
    public String apiUrl = "http://127.0.0.1:8080/api/rawdata";

    @Default("1s")
    @Size(max = 16)
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("How often keepalived runs the check script; whole seconds (keepalived 2.2 allows nothing finer).")
    public String interval = "1s";

    @Default("1s")
    @Size(max = 16)
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("How long one check may take before it counts as failed; whole seconds.")
    public String timeout = "1s";

    @Default("2")
    @Min(1)
    @Max(255)
    @JsonPropertyDescription("Consecutive failures before the node is unhealthy.")
    public int fall = 2;

    @Default("2")
    @Min(1)
    @Max(255)
    @JsonPropertyDescription("Consecutive successes before an unhealthy node is healthy again.")
    public int rise = 2;

    @Default("0")
    @Min(-253)
    @Max(253)
    @JsonPropertyDescription("keepalived weight of the check. 0 (default) puts a failing node in FAULT at once, which always"
            + " hands the VIP over. Otherwise its magnitude must exceed the priority gap, or a failing check never moves the VIP.")
    public int weight = 0;

    @Default("1")
    @Min(0)
    @JsonPropertyDescription("Minimum number of routers Traefik must have loaded to count as healthy (0 disables the count).")
    public int minRouters = 1;

    @Default("true")
    @JsonPropertyDescription("Hand the VIP over the moment Traefik's unit stops (crash, kill, OOM kill or stop), without"
            + " polling: a systemd drop-in on traefik.serviceName writes a file keepalived watches (track_file, same weight as"
            + " the check). A hung Traefik is still found by the check. (keepalived's track_process cannot be used: it needs"
            + " the kernel's process event connector, which a container's network namespace does not have.)")
    public boolean trackProcess = true;

    @JsonPropertyDescription("Certificate verification for https health URLs (url, apiUrl, traefik.versionUrl). Without it"
            + " https is allowed to the loopback only, unverified.")
    public HealthCheckTlsSpec tls;

    /** Whether the URL's host is this node itself: 127.0.0.0/8, localhost or ::1. */
    public static boolean pointsAtLoopback(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && (host.equals("localhost") || host.equals("[::1]") || host.matches("127(\\.[0-9]{1,3}){3}"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
