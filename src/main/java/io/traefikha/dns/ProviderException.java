package io.traefikha.dns;

/** A DNS server could not be read or changed; the message says which server, which call and why, never a secret. */
public class ProviderException extends RuntimeException {

    /** What went wrong, so that callers can decide whether to retry, back off or alarm. */
    public enum Kind {
        /** Credentials or TSIG key refused. Retrying soon does not help (AdGuard Home even blocks the IP after a few). */
        AUTHENTICATION,
        /** Someone else changed the record between our read and our write; re-read and plan again. */
        CONCURRENT_CHANGE,
        /** The server understood the request and refused it. */
        REJECTED,
        /** The server could not be reached or answered with a server error or something unexpected. */
        UNAVAILABLE
    }

    private final Kind kind;

    public ProviderException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ProviderException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
