package io.traefikha.domain;

/** Which of the two containers a node is. */
public enum Role {
    PRIMARY, SECONDARY;

    /** As written in status.nodes[].role and in messages. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public Role peer() {
        return this == PRIMARY ? SECONDARY : PRIMARY;
    }
}
