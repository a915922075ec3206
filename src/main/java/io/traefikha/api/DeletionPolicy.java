package io.traefikha.api;

/** What deleting a TraefikHACluster does to the world it manages. */
public enum DeletionPolicy {
    Retain,
    Rollback,
    Delete
}
