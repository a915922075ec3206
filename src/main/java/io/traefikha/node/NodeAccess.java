package io.traefikha.node;

/** Opens sessions to nodes. The reconciler opens one per node per reconcile and closes it at the end. */
public interface NodeAccess {

    /**
     * Connects and authenticates.
     *
     * @throws HostKeyRejectedException when the host key does not match the policy (nothing was sent)
     * @throws NodeAccessException      when the node cannot be reached or refuses the key
     */
    NodeSession open(NodeEndpoint endpoint, SshKey key, HostKeyPolicy hostKeyPolicy);
}
