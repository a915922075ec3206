package io.traefikha.api.v1alpha1;

/** What a failover drill breaks on the node holding the VIP; the drill always restores it afterwards. */
public enum DrillScenario {
    /** Stop Traefik: keepalived's health check puts the node in FAULT and the other node takes the VIP. */
    StopTraefik,
    /** Stop keepalived cleanly: it sends a priority-0 advert and the other node takes the VIP at once. */
    StopKeepalived,
    /**
     * Stop the whole container through the Proxmox API, as the runbook's {@code pct stop 110}: a hard failure, no
     * goodbye advert; the other node takes the VIP once the adverts are missed. The container is started again.
     */
    StopContainer
}
