package io.traefikha.keepalived;

import io.traefikha.api.v1alpha1.NetworkSpec;
import io.traefikha.api.v1alpha1.PrimarySpec;
import io.traefikha.api.v1alpha1.ProxmoxSpec;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.SshSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.api.v1alpha1.VipSpec;

/** Specs for rendering tests. Addresses are data only: nothing here is ever dialled. */
public final class ClusterSpecs {

    private ClusterSpecs() {
    }

    /** The homelab fixture with the project's defaults (VRRPv3, 100 ms adverts, weight 0, unicast). */
    public static TraefikHAClusterSpec homelab() {
        return withAddresses("192.168.1.110/24", "192.168.1.111/24", "192.168.1.100/24");
    }

    /** The same cluster with other addresses, e.g. the test bed's namespaced ones. */
    public static TraefikHAClusterSpec withAddresses(String primaryAddress, String secondaryAddress, String vipAddress) {
        TraefikHAClusterSpec spec = new TraefikHAClusterSpec();
        spec.proxmox = new ProxmoxSpec();
        spec.proxmox.url = "https://proxmox:8006";
        spec.proxmox.credentialsSecretRef = new SecretRef("proxmox-credentials");
        spec.primary = new PrimarySpec();
        spec.primary.node = "proxmox";
        spec.primary.vmid = 110;
        spec.primary.hostname = "traefik";
        spec.primary.address = primaryAddress;
        spec.secondary = new SecondarySpec();
        spec.secondary.node = "proxmox2";
        spec.secondary.vmid = 111;
        spec.secondary.hostname = "traefik-2";
        spec.secondary.address = secondaryAddress;
        spec.network = new NetworkSpec();
        spec.network.gateway = "192.168.1.1";
        spec.ssh = new SshSpec();
        spec.ssh.secretRef = new SecretRef("traefik-ssh");
        spec.vip = new VipSpec();
        spec.vip.address = vipAddress;
        spec.vip.virtualRouterId = 51;
        return spec;
    }

    /** An IPv6 VIP beside the IPv4 one, with the nodes' IPv6 addresses as unicast peers. */
    public static TraefikHAClusterSpec dualStack(TraefikHAClusterSpec spec) {
        spec.vip.addresses = new java.util.ArrayList<>(java.util.List.of(spec.vip.address, "fd00:1::100/64"));
        spec.primary.address6 = "fd00:1::110/64";
        spec.secondary.address6 = "fd00:1::111/64";
        return spec;
    }

    /**
     * The seed runbook's timing (VRRPv2, advert 1 s, priorities 200/100, check every 2 s with timeout 3 s, fall 2, rise
     * 2) with a weight that really hands over (the runbook's -20 does not, see KNOWN-DEFECTS.md).
     */
    public static TraefikHAClusterSpec seedTiming(TraefikHAClusterSpec spec) {
        spec.vip.version = 2;
        spec.vip.priorities.primary = 200;
        spec.vip.priorities.secondary = 100;
        spec.vip.advertInterval = "1s";
        spec.healthCheck.interval = "2s";
        spec.healthCheck.timeout = "3s";
        spec.healthCheck.fall = 2;
        spec.healthCheck.rise = 2;
        spec.healthCheck.weight = -120;
        return spec;
    }
}
