package io.traefikha.keepalived;

/** Which of the two containers a node is. */
public enum Role {
    PRIMARY, SECONDARY;

    public Role peer() {
        return this == PRIMARY ? SECONDARY : PRIMARY;
    }
}
