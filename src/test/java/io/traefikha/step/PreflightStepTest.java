package io.traefikha.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.planner.PrivilegePlanner;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When preflight runs again (the spec hash), and what its failure message tells a person. */
class PreflightStepTest {

    private static String hash(Consumer<TraefikHAClusterSpec> change) {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        change.accept(spec);
        return PreflightStep.specHash(spec);
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("secondary address", true, (Consumer<TraefikHAClusterSpec>) s -> s.secondary.address = "192.168.1.121/24"),
                Arguments.of("secondary node", true, (Consumer<TraefikHAClusterSpec>) s -> s.secondary.node = "proxmox3"),
                Arguments.of("primary node", true, (Consumer<TraefikHAClusterSpec>) s -> s.primary.node = "proxmox3"),
                Arguments.of("storage", true, (Consumer<TraefikHAClusterSpec>) s -> s.secondary.storage = "ceph"),
                Arguments.of("VIP", true, (Consumer<TraefikHAClusterSpec>) s -> s.vip.address = "192.168.1.99/24"),
                Arguments.of("bridge", true, (Consumer<TraefikHAClusterSpec>) s -> s.network.bridge = "vmbr1"),
                Arguments.of("Proxmox URL", true, (Consumer<TraefikHAClusterSpec>) s -> s.proxmox.url = "https://10.0.0.2:8006"),
                Arguments.of("interface", true, (Consumer<TraefikHAClusterSpec>) s -> s.network.interfaceName = "eth1"),
                Arguments.of("minRouters", true, (Consumer<TraefikHAClusterSpec>) s -> s.healthCheck.minRouters = 0),
                Arguments.of("DNS records", false, (Consumer<TraefikHAClusterSpec>) s -> s.dns.records = java.util.List.of("x")),
                Arguments.of("dry run", false, (Consumer<TraefikHAClusterSpec>) s -> s.dryRun = true));
    }

    @ParameterizedTest(name = "{0} changed: runs again = {1}")
    @MethodSource("changes")
    void preflightRunsAgainWhenAnAddressNodeStorageOrTheConnectionChanges(String what, boolean again,
            Consumer<TraefikHAClusterSpec> change) {
        assertThat(!hash(change).equals(hash(s -> { }))).isEqualTo(again);
    }

    @Test
    void preflightRunsAgainWhenAThirdReplicasNodeOrStorageChangesOrOneIsAdded() {
        String three = hash(s -> ExampleSpecs.threeReplicas(s));

        assertThat(hash(s -> ExampleSpecs.threeReplicas(s).secondaries.get(1).node = "proxmox4")).isNotEqualTo(three);
        assertThat(hash(s -> ExampleSpecs.threeReplicas(s).secondaries.get(1).storage = "ceph")).isNotEqualTo(three);
        assertThat(three).as("a replica added").isNotEqualTo(hash(s -> { }));
        assertThat(hash(s -> ExampleSpecs.threeReplicas(s).dryRun = true)).isEqualTo(three);
    }

    @Test
    void theFailureNamesEachPathItsPrivilegesAndTheCommands() {
        var required = PrivilegePlanner.required(ExampleSpecs.homelab().getSpec(), Set.of("local-lvm"));
        Map<String, Set<String>> granted = Map.of("/vms/110", Set.of("VM.Audit", "VM.Clone", "VM.Snapshot", "VM.Config.Network",
                        "VM.Backup"), "/storage/local", Set.of("Datastore.AllocateSpace"),
                "/vms/111", Set.of("VM.Audit", "VM.Allocate", "VM.Config.Network", "VM.Config.Options", "VM.PowerMgmt"),
                "/storage/local-lvm", Set.of("Datastore.AllocateSpace"));
        var missing = PrivilegePlanner.missing(required, granted, "traefikha@pve!operator");
        String message = PreflightStep.failureMessage("traefikha@pve!operator", missing);
        assertThat(message).startsWith("the API token traefikha@pve!operator lacks 3 privilege(s), nothing is changed on Proxmox")
                .contains("/vms/111: VM.Migrate (migrate the secondary to node proxmox2)")
                .contains("/nodes/proxmox2: Sys.Audit (read node proxmox2's free memory")
                .contains("/sdn/zones/localnetwork/vmbr0: SDN.Use (attach the secondary to bridge vmbr0)")
                .contains("pveum role modify TraefikHA --append 1 --privs SDN.Use && pveum acl modify"
                        + " /sdn/zones/localnetwork/vmbr0 --users traefikha@pve --tokens 'traefikha@pve!operator' --roles TraefikHA");
    }
}
