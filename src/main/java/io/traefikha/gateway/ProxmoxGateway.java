package io.traefikha.gateway;

import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.FirewallAction;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.ProxmoxReadiness;
import io.traefikha.domain.TokenGrants;
import java.util.Set;

/** Proxmox as the reconciler needs it: one observation of both containers, and actions that wait for their task. */
public interface ProxmoxGateway {

    /**
     * Reads the primary and the CT with the secondary's VMID; read-only. May reuse an earlier reconcile's reads while
     * the cluster view shows nothing changed (the Proxmox gateway decides, see ProxmoxReadPolicy).
     */
    ProxmoxObservation observe() throws ExternalSystemException;

    /** Carries out one planned action and waits until Proxmox has finished it (task stopped, OK or WARNINGS). */
    void apply(ProxmoxAction action) throws ExternalSystemException;

    /** One container's firewall (options, rules, the ipfilter set), for the firewall planner; read-only. */
    FirewallObservation observeFirewall(String node, int vmid, String peerAddress) throws ExternalSystemException;

    void applyFirewall(FirewallAction action) throws ExternalSystemException;

    /**
     * What preflight judges on Proxmox: the primary's size and kind, whether the secondary exists, and while it does
     * not, its target node (online, free memory, storages with their free space). Read-only; not for the steady state.
     */
    ProxmoxReadiness readiness() throws ExternalSystemException;

    /** What the API token may do on each of {@code paths}, as Proxmox computes it (GET /access/permissions). */
    TokenGrants tokenGrants(Set<String> paths) throws ExternalSystemException;

    /**
     * Something seen elsewhere (a node that stopped answering its probe) suggests Proxmox changed: the next
     * {@link #observe()} reads everything instead of trusting the cluster view. A gateway that always reads everything
     * ignores it.
     */
    default void recheck(String why) {
    }
}
