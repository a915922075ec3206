package io.traefikha.api.v1alpha1;

/** What deleting a TraefikHACluster does to the world it manages. */
public enum DeletionPolicy {
    Retain,
    Rollback,
    Delete
}
