package io.traefikha.api.v1alpha1;

/** The one-word summary shown in the PHASE column. */
public enum ClusterPhase {
    Pending,
    Provisioning,
    Ready,
    Degraded,
    Failed,
    /** spec.maintenance is declared: the VIP is kept on the other node. */
    Maintenance
}
