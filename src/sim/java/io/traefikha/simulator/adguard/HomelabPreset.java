package io.traefikha.simulator.adguard;

import java.util.List;

/**
 * The seed runbook's homelab (its fixture {@code homelab-fixture.yaml}): 26 service names that AdGuard Home rewrote to
 * the primary Traefik container before the migration to the VIP.
 */
public final class HomelabPreset {

    public static final String DOMAIN = "internal.lakehouse.wtf";
    public static final String PRIMARY_ADDRESS = "192.168.1.110";
    public static final String VIP_ADDRESS = "192.168.1.100";
    public static final List<String> NAMES = List.of("adguard", "adguard-2", "uptime-kuma", "influxdb", "kea-1", "kea-2",
            "myspeed", "omada", "pairdrop", "proxmox", "proxmox2", "proxmox3", "pulse", "watchyourlan", "wiki", "esphome",
            "zigbee2mqtt", "zwave-js-ui", "netbox", "stork", "truenas", "traefik", "grafana", "hoarder", "memos", "gitops");

    private HomelabPreset() {
    }

    /** The rewrites as they were before the migration: every name to the primary. */
    public static List<Rewrite> rewrites() {
        return NAMES.stream().map(n -> new Rewrite(n + "." + DOMAIN, PRIMARY_ADDRESS)).toList();
    }
}
