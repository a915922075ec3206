package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * How the health check verifies Traefik's certificate when its URLs are https. Without this block an https URL must
 * point at the loopback (127.0.0.0/8, localhost, ::1) and the certificate is not verified: nothing off the node can
 * come between the check and Traefik there, and a certificate made for the services' names never names 127.0.0.1.
 */
public class HealthCheckTlsSpec {

    @Size(max = 253)
    @Pattern(Patterns.DNS_NAME)
    @JsonPropertyDescription("The name Traefik's certificate carries (e.g. traefik.home.example). The check still connects"
            + " to the URL's address (curl --connect-to) but verifies the certificate for this name. Default: the URL's host.")
    public String serverName;

    @Size(max = 65536)
    @Pattern(Patterns.PEM_CERTIFICATES)
    @JsonPropertyDescription("PEM certificate(s) of the CA that signed Traefik's certificate, written to every node for the"
            + " check (public, so it may stand in the resource). Default: the container's system trust store.")
    public String caCertificate;
}
