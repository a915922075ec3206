package io.traefikha.api.v1alpha1;

/** What a failover drill breaks on the node holding the VIP, and which service it starts again afterwards. */
public enum DrillScenario {
    /** Stop Traefik: keepalived's health check puts the node in FAULT and the other node takes the VIP. */
    StopTraefik,
    /** Stop keepalived cleanly: it sends a priority-0 advert and the other node takes the VIP at once. */
    StopKeepalived;

    /** The systemd unit the drill stops and starts again: Traefik's is spec.traefik.serviceName. */
    public String service(String traefikService) {
        return this == StopTraefik ? traefikService : "keepalived";
    }
}
