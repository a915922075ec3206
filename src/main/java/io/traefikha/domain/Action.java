package io.traefikha.domain;

/**
 * One planned change to the outside world: on Proxmox, in a container's Proxmox firewall, or inside a container over
 * SSH. Every action describes itself for status.plannedActions and Events, names its Event reason, and is carried out
 * by the gateway of its kind through {@link #carryOut}; a new kind of action does not compile until each of these is
 * answered for it.
 */
public sealed interface Action permits ProxmoxAction, FirewallAction, NodeAction {

    /** In words a homelab owner understands. */
    String describe();

    /** The reason of the Event told when the action succeeded: what kind of change the operator made. */
    String eventReason();

    /** Hands the action to the executor of its kind. */
    void carryOut(Executor executor) throws ExternalSystemException;

    /** Carries out actions, one method per kind of action. */
    interface Executor {
        void proxmox(ProxmoxAction action) throws ExternalSystemException;

        void firewall(FirewallAction action) throws ExternalSystemException;

        void node(NodeAction action) throws ExternalSystemException;
    }
}
