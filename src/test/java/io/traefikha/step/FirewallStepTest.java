package io.traefikha.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.BackupVolume;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.FirewallAction;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.ProxmoxReadiness;
import io.traefikha.domain.Role;
import io.traefikha.domain.StorageView;
import io.traefikha.domain.TokenGrants;
import io.traefikha.gateway.ProxmoxGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whose firewalls the firewall step reads, and which peers each is judged for: every other replica. */
class FirewallStepTest {

    private final Firewalls proxmox = new Firewalls();

    @Test
    void eachOfThreeContainersIsJudgedForVrrpFromTheOtherTwo() {
        TraefikHAClusterSpec spec = ExampleSpecs.threeReplicas(ExampleSpecs.homelab().getSpec());

        List<FirewallObservation> firewalls = FirewallStep.all(spec, seen(running("proxmox3")), proxmox);

        assertThat(proxmox.read).containsExactly("proxmox/110", "proxmox2/111", "proxmox3/112");
        assertThat(firewalls).extracting(f -> f.vmid() + " " + f.peerAddresses()).containsExactly(
                "110 [192.168.1.111, 192.168.1.112]", "111 [192.168.1.110, 192.168.1.112]",
                "112 [192.168.1.110, 192.168.1.111]");
    }

    @Test
    void aReplicaNotMadeYetHasNoFirewallToReadButIsAPeerOfTheOthers() {
        TraefikHAClusterSpec spec = ExampleSpecs.threeReplicas(ExampleSpecs.homelab().getSpec());

        List<FirewallObservation> firewalls = FirewallStep.all(spec, seen(ContainerObservation.missing()), proxmox);

        assertThat(proxmox.read).containsExactly("proxmox/110", "proxmox2/111");
        assertThat(firewalls.get(0).peerAddresses()).containsExactly("192.168.1.111", "192.168.1.112");
    }

    @Test
    void withAnIpv6VipAndUnicastAdvertsTheOthersIpv6AddressesComeAfterTheirIpv4Ones() {
        TraefikHAClusterSpec spec = ExampleSpecs.threeReplicas(ExampleSpecs.homelab().getSpec());
        spec.vip.addresses = List.of(spec.vip.address, "fd00:1::100/64");
        spec.primary.address6 = "fd00:1::110/64";
        spec.secondaries.get(0).address6 = "fd00:1::111/64";
        spec.secondaries.get(1).address6 = "fd00:1::112/64";

        List<FirewallObservation> firewalls = FirewallStep.all(spec, seen(running("proxmox3")), proxmox);

        assertThat(firewalls.get(1).peerAddresses()).containsExactly("192.168.1.110", "192.168.1.112", "fd00:1::110",
                "fd00:1::112");
    }

    private static ProxmoxObservation seen(ContainerObservation third) {
        return new ProxmoxObservation(running("proxmox"), Map.of(Role.SECONDARY, running("proxmox2"), Role.of(2), third),
                StorageView.UNREAD);
    }

    private static ContainerObservation running(String node) {
        return new ContainerObservation(true, node, true, null, "ct", null, true, Set.of(), null, "d", List.of());
    }

    /** Proxmox as far as firewalls go: each read recorded, every firewall off. */
    private static final class Firewalls implements ProxmoxGateway {
        final List<String> read = new ArrayList<>();

        @Override
        public FirewallObservation observeFirewall(String node, int vmid) {
            read.add(node + "/" + vmid);
            return new FirewallObservation(node, vmid, false, "DROP", false, List.of(), null);
        }

        @Override
        public ProxmoxObservation observe() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void apply(ProxmoxAction action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void applyFirewall(FirewallAction action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ProxmoxReadiness readiness() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String startBackup(String node, int vmid, String storage, String notes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BackupTask awaitBackup(String upid, String storage, int vmid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<BackupVolume> backups(String node, String storage, int vmid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TokenGrants tokenGrants(Set<String> paths) {
            throw new UnsupportedOperationException();
        }
    }
}
