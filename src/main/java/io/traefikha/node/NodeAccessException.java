package io.traefikha.node;

/** A node could not be reached, refused us, or a command could not be completed. */
public class NodeAccessException extends RuntimeException {

    public NodeAccessException(String message) {
        super(message);
    }

    public NodeAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
