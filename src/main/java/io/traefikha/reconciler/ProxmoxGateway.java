package io.traefikha.reconciler;

import io.traefikha.reconciler.plan.FirewallAction;
import io.traefikha.reconciler.plan.FirewallObservation;
import io.traefikha.reconciler.plan.ProxmoxAction;
import io.traefikha.reconciler.plan.ProxmoxObservation;

/** Proxmox as the reconciler needs it: one observation of both containers, and actions that wait for their task. */
public interface ProxmoxGateway {

    /** Reads the primary and the CT with the secondary's VMID; read-only. */
    ProxmoxObservation observe() throws ExternalSystemException;

    /** Carries out one planned action and waits until Proxmox has finished it (task stopped, OK or WARNINGS). */
    void apply(ProxmoxAction action) throws ExternalSystemException;

    /** One container's firewall (options, rules, the ipfilter set), for the firewall planner; read-only. */
    FirewallObservation observeFirewall(String node, int vmid, String peerAddress) throws ExternalSystemException;

    void applyFirewall(FirewallAction action) throws ExternalSystemException;
}
