package io.traefikha.gateway;

import java.time.Duration;
import java.time.Instant;

/**
 * A name requested through the VIP as a client that resolved it there would: HTTPS to the VIP with the name's SNI and
 * Host header. The operator dials the VIP itself ({@link io.traefikha.reconciler.HttpsNameChecker}); tests and the demo plug
 * in checkers that run where their VIP is.
 */
@FunctionalInterface
public interface NameChecker {

    /**
     * One request, bounded by {@code timeout} (connect, handshake and the status line together). Never throws for a
     * name that does not answer: that is an {@link Answer} with served false.
     */
    Answer check(String name, Duration timeout);

    /**
     * What came back.
     *
     * @param served an HTTP status line came back over TLS (any status: a 404 is Traefik serving)
     * @param error why it was not served (connection refused, timed out, handshake failed); null when served
     * @param issuer the issuer of the certificate presented (RFC 2253); null when none was seen
     * @param notAfter when that certificate expires; null when none was seen
     * @param certificateProblem why the certificate would not satisfy a client (expired, does not cover the name, does not
     *        chain to a trusted CA); null when it would or none was seen
     */
    record Answer(boolean served, String error, String issuer, Instant notAfter, String certificateProblem) {

        public static Answer notServed(String error) {
            return new Answer(false, error, null, null, null);
        }
    }
}
