package io.traefikha.domain;

/**
 * What one request to an entry point on the VIP got: an HTTP status (any status counts as answered: a 404 from Traefik
 * is Traefik serving), or why none came (refused, timed out, closed, a TLS failure).
 *
 * @param statusCode    the HTTP status, or 0 when nothing answered
 * @param error         why nothing answered, or null when something did
 * @param latencyMillis from the start of the connection to the status line, or until the request gave up
 */
public record VipAnswer(int statusCode, String error, long latencyMillis) {

    public static VipAnswer answered(int statusCode, long latencyMillis) {
        return new VipAnswer(statusCode, null, latencyMillis);
    }

    public static VipAnswer failed(String error, long latencyMillis) {
        return new VipAnswer(0, error, latencyMillis);
    }

    public boolean answered() {
        return error == null;
    }

    /** "answered 200 in 3 ms" or "timed out after 2000 ms", for messages. */
    public String describe() {
        return answered() ? "answered " + statusCode + " in " + latencyMillis + " ms"
                : error + " (after " + latencyMillis + " ms)";
    }
}
