package io.traefikha.simulator.proxmox;

import java.util.Map;

/**
 * An error as Proxmox reports it: 500 for a plain die in the handler, 400 with per-parameter errors, 5xx/59x for
 * transport-level failures. Inside a task the message becomes the exitstatus instead.
 */
final class PveError extends RuntimeException {

    final int status;
    final Map<String, String> errors;

    private PveError(int status, String message, Map<String, String> errors) {
        super(message);
        this.status = status;
        this.errors = Map.copyOf(errors);
    }

    /** What a plain {@code die "...\n"} in a Proxmox API handler produces. */
    static PveError fail(String message) {
        return new PveError(500, message, Map.of());
    }

    static PveError status(int status, String message) {
        return new PveError(status, message, Map.of());
    }

    /** 400 "Parameter verification failed." with the given per-parameter reasons. */
    static PveError parameters(Map<String, String> errors) {
        return new PveError(400, "Parameter verification failed.", errors);
    }

    static PveError parameter(String name, String reason) {
        return parameters(Map.of(name, reason));
    }
}
