package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.traefikha.domain.Role;

/**
 * A heartbeat each node pushes by itself (from keepalived's health check), independent of the operator and of
 * Kubernetes: to an Uptime Kuma push monitor per node, or any URL.
 */
@ValidationRule(value = "[duration(self.interval)].all(d, d >= duration('10s') && d <= duration('1h') && "
        + CelRules.WHOLE_SECONDS + ")", message = "heartbeat.interval must be whole seconds from 10s to 1h")
public class HeartbeatSpec {

    /** The Secret keys holding each node's URL (see {@link #key}). */
    public static final String PRIMARY_KEY = "primaryUrl";
    public static final String SECONDARY_KEY = "secondaryUrl";

    /** The Secret key of this replica's URL: primaryUrl, secondaryUrl, then secondary2Url, secondary3Url, ... */
    public static String key(Role role) {
        return role.index() <= 1 ? (role == Role.PRIMARY ? PRIMARY_KEY : SECONDARY_KEY)
                : "secondary" + role.index() + "Url";
    }

    @Required
    @JsonPropertyDescription("Secret whose keys 'primaryUrl' and 'secondaryUrl' (then 'secondary2Url', 'secondary3Url', ..."
            + " for further secondaries) hold each node's push URL (an Uptime Kuma"
            + " push monitor's URL without its query, e.g. https://kuma.example.com/api/push/TOKEN). On the nodes a URL lives"
            + " only in a root-only (0600) curl config file, never in a script, keepalived.conf, a command line, a log or"
            + " status.")
    public SecretRef secretRef;

    @Default("60s")
    @Size(max = 16)
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("How often each node pushes while nothing changes (a change of up/down is pushed at once). Set"
            + " the push monitor's heartbeat interval a little above it.")
    public String interval = "60s";
}
