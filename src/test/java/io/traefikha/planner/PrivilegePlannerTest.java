package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.BackupSpec;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.planner.PrivilegePlanner.Missing;
import io.traefikha.planner.PrivilegePlanner.Requirement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The privileges per path a spec needs, and what a token's grants leave missing, as tables. */
class PrivilegePlannerTest {

    private static final String TOKEN = "traefikha@pve!operator";

    private static TraefikHAClusterSpec spec(Consumer<TraefikHAClusterSpec> change) {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        change.accept(spec);
        return spec;
    }

    private static Set<String> pairs(List<Requirement> required) {
        return required.stream().map(r -> r.path() + " " + r.privilege()).collect(Collectors.toSet());
    }

    static Stream<Arguments> specs() {
        Set<String> homelab = Set.of("/vms/110 VM.Audit", "/vms/111 VM.Audit", "/vms/110 VM.Clone", "/vms/111 VM.Allocate",
                "/vms/110 VM.Snapshot", "/storage/local-lvm Datastore.AllocateSpace",
                "/sdn/zones/localnetwork/vmbr0 SDN.Use", "/vms/111 VM.Migrate", "/vms/111 VM.Config.Network",
                "/vms/111 VM.Config.Options", "/vms/111 VM.PowerMgmt", "/vms/110 VM.Config.Network", "/vms/110 VM.Backup",
                "/storage/local Datastore.AllocateSpace", "/nodes/proxmox2 Sys.Audit");
        return Stream.of(
                Arguments.of("the homelab: snapshot clone, migration, firewall", spec(s -> { }), homelab),
                Arguments.of("StopPrimary: power on the primary instead of a snapshot",
                        spec(s -> s.secondary.cloneStrategy = SecondarySpec.CloneStrategy.StopPrimary),
                        replace(homelab, "/vms/110 VM.Snapshot", "/vms/110 VM.PowerMgmt")),
                Arguments.of("same node: no migration, and that node's memory is read",
                        spec(s -> s.secondary.node = s.primary.node),
                        replace(replace(homelab, "/vms/111 VM.Migrate", null), "/nodes/proxmox2 Sys.Audit",
                                "/nodes/proxmox Sys.Audit")),
                Arguments.of("firewall left alone: no network change on the primary",
                        spec(s -> s.proxmox.manageFirewall = false), replace(homelab, "/vms/110 VM.Config.Network", null)),
                Arguments.of("a target storage replaces the primary's",
                        spec(s -> s.secondary.storage = "ceph"),
                        replace(replace(homelab, "/storage/local-lvm Datastore.AllocateSpace", "/storage/ceph Datastore.AllocateSpace"),
                                null, "/vms/111 VM.Config.Disk")),
                Arguments.of("a target storage on the same node: no migration, no disk move",
                        spec(s -> {
                            s.secondary.storage = "ceph";
                            s.secondary.node = s.primary.node;
                        }),
                        replace(replace(replace(homelab, "/storage/local-lvm Datastore.AllocateSpace",
                                "/storage/ceph Datastore.AllocateSpace"), "/vms/111 VM.Migrate", null),
                                "/nodes/proxmox2 Sys.Audit", "/nodes/proxmox Sys.Audit")),
                Arguments.of("the backup to another storage", spec(s -> s.backup.storage = "pbs"),
                        replace(homelab, "/storage/local Datastore.AllocateSpace", "/storage/pbs Datastore.AllocateSpace")),
                Arguments.of("no backup: neither VM.Backup nor space for it", spec(s -> s.backup.mode = BackupSpec.Mode.None),
                        replace(replace(homelab, "/storage/local Datastore.AllocateSpace", null), "/vms/110 VM.Backup", null)),
                Arguments.of("another bridge", spec(s -> s.network.bridge = "vmbr1"),
                        replace(homelab, "/sdn/zones/localnetwork/vmbr0 SDN.Use", "/sdn/zones/localnetwork/vmbr1 SDN.Use")),
                Arguments.of("three replicas: the third's own VMID and node as well",
                        spec(s -> ExampleSpecs.threeReplicas(s)), union(homelab, "/vms/112 VM.Audit", "/vms/112 VM.Allocate",
                                "/vms/112 VM.Migrate", "/vms/112 VM.Config.Network", "/vms/112 VM.Config.Options",
                                "/vms/112 VM.PowerMgmt", "/nodes/proxmox3 Sys.Audit")),
                Arguments.of("three replicas, the third on the primary's node with its own storage: no migration for it",
                        spec(s -> {
                            ExampleSpecs.threeReplicas(s);
                            s.secondaries.get(1).node = s.primary.node;
                            s.secondaries.get(1).storage = "ceph";
                        }), union(homelab, "/vms/112 VM.Audit", "/vms/112 VM.Allocate", "/vms/112 VM.Config.Network",
                                "/vms/112 VM.Config.Options", "/vms/112 VM.PowerMgmt", "/nodes/proxmox Sys.Audit",
                                "/storage/ceph Datastore.AllocateSpace")),
                Arguments.of("three replicas, the third with StopPrimary: the snapshot for one, the stop for the other",
                        spec(s -> ExampleSpecs.threeReplicas(s).secondaries.get(1).cloneStrategy
                                = SecondarySpec.CloneStrategy.StopPrimary),
                        union(homelab, "/vms/112 VM.Audit", "/vms/112 VM.Allocate", "/vms/112 VM.Migrate",
                                "/vms/112 VM.Config.Network", "/vms/112 VM.Config.Options", "/vms/112 VM.PowerMgmt",
                                "/nodes/proxmox3 Sys.Audit", "/vms/110 VM.PowerMgmt")));
    }

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> result = new HashSet<>(base);
        result.addAll(List.of(more));
        return result;
    }

    private static Set<String> replace(Set<String> base, String out, String in) {
        Set<String> result = new HashSet<>(base);
        result.remove(out);
        if (in != null) {
            result.add(in);
        }
        return result;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void requiredPrivilegesPerPath(String name, TraefikHAClusterSpec spec, Set<String> expected) {
        assertThat(pairs(PrivilegePlanner.required(spec, Set.of("local-lvm")))).isEqualTo(expected);
    }

    @Test
    void everyRequiredPrivilegeIsInTheRoleAndTheRoleHasNoOther() {
        Set<String> used = new HashSet<>();
        specs().forEach(args -> PrivilegePlanner.required((TraefikHAClusterSpec) args.get()[1], Set.of("local-lvm"))
                .forEach(r -> used.add(r.privilege())));
        assertThat(used).containsExactlyInAnyOrderElementsOf(PrivilegePlanner.ROLE_PRIVILEGES);
    }

    @Test
    void eachSecondaryIsNamedInItsPurposesAndNoPrivilegeIsAskedTwiceOnAPath() {
        TraefikHAClusterSpec sameNode = spec(s -> ExampleSpecs.threeReplicas(s).secondaries.get(1).node = "proxmox2");

        List<Requirement> required = PrivilegePlanner.required(sameNode, Set.of("local-lvm"));

        assertThat(required).extracting(r -> r.path() + " " + r.privilege()).doesNotHaveDuplicates();
        assertThat(required).extracting(r -> r.path() + " " + r.privilege() + ": " + r.purpose()).contains(
                "/vms/112 VM.Allocate: create the secondary-2 as CT 112",
                "/vms/112 VM.Migrate: migrate the secondary-2 to node proxmox2",
                "/vms/112 VM.PowerMgmt: start the secondary-2",
                "/storage/local-lvm Datastore.AllocateSpace: allocate the secondary's and the secondary-2's disk on local-lvm",
                "/sdn/zones/localnetwork/vmbr0 SDN.Use: attach the secondary and the secondary-2 to bridge vmbr0",
                "/nodes/proxmox2 Sys.Audit: read node proxmox2's free memory before the secondary and the secondary-2 go"
                        + " there (preflight)");
    }

    @Test
    void aPoolAlsoSatisfiesVmAllocate() {
        List<Requirement> required = PrivilegePlanner.required(spec(s -> s.secondary.pool = "traefik"), Set.of("local-lvm"));
        Map<String, Set<String>> granted = grantAll(required);
        granted.get("/vms/111").remove("VM.Allocate");
        assertThat(PrivilegePlanner.missing(required, granted, TOKEN)).extracting(m -> m.requirement().privilege())
                .containsExactly("VM.Allocate");
        granted.put("/pool/traefik", Set.of("VM.Allocate"));
        assertThat(PrivilegePlanner.missing(required, granted, TOKEN)).isEmpty();
        assertThat(PrivilegePlanner.paths(required)).contains("/pool/traefik", "/vms/111");
    }

    static Stream<Arguments> oneMissing() {
        return PrivilegePlanner.required(ExampleSpecs.homelab().getSpec(), Set.of("local-lvm")).stream()
                .map(r -> Arguments.of(r.path(), r.privilege()));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("oneMissing")
    void eachMissingPrivilegeIsNamedWithItsPathAndTheCommandThatGrantsIt(String path, String privilege) {
        List<Requirement> required = PrivilegePlanner.required(ExampleSpecs.homelab().getSpec(), Set.of("local-lvm"));
        Map<String, Set<String>> granted = grantAll(required);
        granted.get(path).remove(privilege);
        List<Missing> missing = PrivilegePlanner.missing(required, granted, TOKEN);
        assertThat(missing).isNotEmpty().allSatisfy(m -> {
            assertThat(m.requirement().path()).isEqualTo(path);
            assertThat(m.requirement().privilege()).isEqualTo(privilege);
            assertThat(m.describe()).startsWith(privilege + " on " + path + " (");
            assertThat(m.grantCommand()).isEqualTo("pveum role modify TraefikHA --append 1 --privs " + privilege
                    + " && pveum acl modify " + path + " --users traefikha@pve --tokens '" + TOKEN + "' --roles TraefikHA");
        });
    }

    @Test
    void nothingGrantedMissesEverythingGroupedByPath() {
        List<Requirement> required = PrivilegePlanner.required(ExampleSpecs.homelab().getSpec(), Set.of("local-lvm"));
        List<Missing> missing = PrivilegePlanner.missing(required, Map.of(), TOKEN);
        assertThat(missing).hasSameSizeAs(required);
        assertThat(PrivilegePlanner.byPath(missing).keySet()).containsExactly("/vms/110", "/vms/111", "/storage/local-lvm",
                "/sdn/zones/localnetwork/vmbr0", "/nodes/proxmox2", "/storage/local");
    }

    private static Map<String, Set<String>> grantAll(List<Requirement> required) {
        Map<String, Set<String>> granted = new HashMap<>();
        required.forEach(r -> granted.computeIfAbsent(r.path(), p -> new HashSet<>()).add(r.privilege()));
        return granted;
    }
}
