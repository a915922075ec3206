package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last check of one DNS name moved to the VIP: requested through the VIP with its SNI and Host header. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServedNameStatus {

    @JsonPropertyDescription("The fully qualified name.")
    public String name;

    @JsonPropertyDescription("Whether an HTTP answer (any status) came back over TLS through the VIP at the last check.")
    public Boolean served;

    @JsonPropertyDescription("Why it was not served (connection refused, no answer in time, TLS handshake failed).")
    public String error;

    @JsonPropertyDescription("Issuer of the certificate presented for the name (RFC 2253).")
    public String issuer;

    @JsonPropertyDescription("When that certificate expires (RFC 3339).")
    public String notAfter;

    @JsonPropertyDescription("Why a client would refuse that certificate: expired, does not cover the name, or does not"
            + " chain to a CA the operator's JVM trusts. Absent when it would accept it.")
    public String certificateProblem;

    @JsonPropertyDescription("When the name was last checked (RFC 3339); each is checked about every four reconcile"
            + " periods, every period while it is not served.")
    public String checkedAt;
}
