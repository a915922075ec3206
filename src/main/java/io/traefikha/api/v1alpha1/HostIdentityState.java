package io.traefikha.api.v1alpha1;

/** Whether a node has its own host identity (SSH host keys, machine id) or still the one its clone source had. */
public enum HostIdentityState {
    /** Its SSH host key differs from the other node's: the secondary's was regenerated, or it never was a copy. */
    Own,
    /** New host keys are recorded and being put in place with new machine ids. */
    Regenerating,
    /**
     * It presents the primary's host key, and the SSH Secret's knownHosts pins the keys, so the operator leaves them:
     * regenerate them by hand and update knownHosts.
     */
    CopiedFromPrimary
}
