package io.traefikha.domain;

import java.time.Instant;

/**
 * The last check of one moved name through the VIP (see {@code NameChecker}).
 *
 * @param served an HTTP answer came back over TLS
 * @param error why it was not served; null when it was
 * @param issuer the certificate's issuer; null when none was seen
 * @param notAfter the certificate's expiry; null when none was seen
 * @param certificateProblem why a client would refuse the certificate; null when it would not, or none was seen
 * @param checkedAt when the check was made
 */
public record ServedName(String name, boolean served, String error, String issuer, Instant notAfter,
        String certificateProblem, Instant checkedAt) {

    /** A certificate was presented and a client would accept it. */
    public boolean certificateValid() {
        return notAfter != null && certificateProblem == null;
    }
}
