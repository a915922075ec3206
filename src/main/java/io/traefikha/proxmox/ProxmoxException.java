package io.traefikha.proxmox;

import java.util.Map;
import java.util.Optional;

/**
 * A request Proxmox refused or that never got an answer. Proxmox puts the error's first line in the HTTP reason
 * phrase, the full text in the body's {@code message} (PVE 8.3+) and per-parameter problems in {@code errors} (400).
 * Status 0 means no HTTP answer at all (connection or TLS failure).
 */
public class ProxmoxException extends RuntimeException {

    private final int status;
    private final String reason;
    private final String bodyMessage;
    private final Map<String, String> errors;

    public ProxmoxException(String request, int status, String reason, String bodyMessage, Map<String, String> errors) {
        super(describe(request, status, reason, bodyMessage, errors));
        this.status = status;
        this.reason = reason;
        this.bodyMessage = bodyMessage;
        this.errors = Map.copyOf(errors);
    }

    public ProxmoxException(String request, String failure, Throwable cause) {
        super(request + ": " + failure, cause);
        this.status = 0;
        this.reason = failure;
        this.bodyMessage = null;
        this.errors = Map.of();
    }

    private static String describe(String request, int status, String reason, String bodyMessage,
            Map<String, String> errors) {
        StringBuilder text = new StringBuilder(request).append(": HTTP ").append(status).append(' ').append(reason);
        if (bodyMessage != null && !bodyMessage.strip().equals(reason.strip())) {
            text.append(" - ").append(bodyMessage.strip());
        }
        errors.forEach((param, why) -> text.append("; ").append(param).append(": ").append(why.strip()));
        return text.toString();
    }

    /** HTTP status, or 0 when the request got no HTTP answer. */
    public int status() {
        return status;
    }

    /** The reason phrase: Proxmox puts the first line of the error there. */
    public String reason() {
        return reason;
    }

    /** The full error text from the body, when the server sent one (PVE 8.3+). */
    public Optional<String> bodyMessage() {
        return Optional.ofNullable(bodyMessage);
    }

    /** Per-parameter validation errors of a 400, parameter name to reason. */
    public Map<String, String> errors() {
        return errors;
    }

    /** The best available error text: the body message, else the reason phrase. */
    public String errorText() {
        return (bodyMessage != null ? bodyMessage : reason).strip();
    }

    public boolean isParameterError() {
        return status == 400;
    }

    public boolean isAuthenticationFailure() {
        return status == 401;
    }

    /** 59x: the node that should answer is unreachable from the node we asked (cluster proxying). */
    public boolean isNodeUnreachable() {
        return status >= 590 && status <= 599;
    }

    /** Proxmox reports a locked guest as a plain 500 with "CT is locked (...)". */
    public boolean isLocked() {
        return status == 500 && errorText().startsWith("CT is locked");
    }

    /** The optimistic-lock failure of PUT config with a stale digest. */
    public boolean isDigestMismatch() {
        return status == 500 && errorText().startsWith("detected modified configuration");
    }
}
