package io.traefikha.domain;

/**
 * A system outside Kubernetes (Proxmox, a node, a DNS server) could not do what was asked, or its answer was not
 * trustworthy. The message says what and where, for a condition and an Event; it never contains a secret.
 */
public class ExternalSystemException extends RuntimeException {

    private final String system;

    public ExternalSystemException(String system, String message, Throwable cause) {
        super(message, cause);
        this.system = system;
    }

    public ExternalSystemException(String system, String message) {
        this(system, message, null);
    }

    /** Which system: "proxmox", "primary", "secondary", "dns", "secret", "state" (the resource's state object). */
    public String system() {
        return system;
    }
}
