package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One of Traefik's entry points on the VIP as the operator's last request found it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EntryPointStatus {

    @JsonPropertyDescription("http or https.")
    public String name;

    @JsonPropertyDescription("The TCP port on the VIP.")
    public Integer port;

    @JsonPropertyDescription("The SNI and Host header sent over TLS (a name moved to the VIP); absent for http.")
    public String serverName;

    @JsonPropertyDescription("True when an HTTP status came back (any status: a 404 is Traefik serving).")
    public Boolean answered;

    @JsonPropertyDescription("The HTTP status that came back.")
    public Integer statusCode;

    @JsonPropertyDescription("Why nothing answered: connection refused, no answer within the timeout, closed, a TLS failure.")
    public String error;

    @JsonPropertyDescription("Milliseconds from the start of the connection to the status line, or until the request gave up.")
    public Long latencyMillis;

    @JsonPropertyDescription("When the request was sent (RFC 3339).")
    public String checkedAt;
}
