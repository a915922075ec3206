package io.traefikha.node;

import java.util.Objects;

/** Where a node's sshd listens and whom to log in as. */
public record NodeEndpoint(String host, int port, String user) {

    public NodeEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
