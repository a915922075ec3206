package io.traefikha.reconciler.plan;

/** The two containers of a TraefikHACluster. */
public enum Role {
    PRIMARY,
    SECONDARY;

    /** As written in status.nodes[].role and in messages. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public Role other() {
        return this == PRIMARY ? SECONDARY : PRIMARY;
    }
}
