package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.http.TlsTrust;
import io.traefikha.planner.ClusterMemory;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.SecondaryPlan;
import io.traefikha.planner.SecondaryPlanner;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the secondary's disks go, carried out on the Proxmox simulator through the real client: the same local storage
 * id on both nodes (clone beside the primary, migrate), a local storage only the target node has (migrate with
 * target-storage), shared storage (clone straight onto the node, no migration), and a node without the storage
 * (refused by the simulator with PVE's words, and by the planner before anything is done).
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class StoragePlacementSimulatorTest {

    private static final String UID = "7c0ffee0-0000-4000-8000-000000000111";
    private static final String MIGRATE = "POST /nodes/{node}/lxc/{vmid}/migrate";
    private static final String CLONE = "POST /nodes/{node}/lxc/{vmid}/clone";

    private ProxmoxSimulator simulator;
    private final TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
    private ProxmoxApiGateway gateway;
    private ProxmoxClient client;
    private TaskWaiter tasks;

    /** local-lvm on every node (each its own), zfs2 only on proxmox2, zfs3 only on proxmox3, ceph shared by all. */
    @BeforeEach
    void start() {
        simulator = ProxmoxSimulator.builder().node("proxmox").node("proxmox2").node("proxmox3")
                .storage("local", false, false, false).storage("local-lvm", false, true, true)
                .storage("zfs2", false, true, true, "proxmox2").storage("zfs3", false, true, true, "proxmox3")
                .storage("ceph", true, true, true)
                .container(110, "proxmox", true, traefik("local-lvm:vm-110-disk-0,size=20G"))
                .container(120, "proxmox3", false, traefik("zfs3:vm-120-disk-0,size=8G"))
                .taskDuration(Duration.ofMillis(30)).statsInterval(Duration.ZERO).start();
        client = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(),
                simulator.tokenSecret(), TlsTrust.fingerprint(simulator.fingerprint())).withRequestTimeout(Duration.ofSeconds(5)));
        tasks = new TaskWaiter(client, Duration.ofMillis(20), Duration.ofMillis(100), 10);
        gateway = new ProxmoxApiGateway(client, tasks, spec, Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void theSameLocalStorageIdOnBothNodesClonesBesideThePrimaryAndMigratesWithoutAMap() {
        List<ProxmoxAction> done = provision();

        assertThat(done).extracting(a -> a.getClass().getSimpleName()).containsSubsequence("CloneContainer",
                "MigrateContainer", "StartContainer");
        assertThat(simulator.nodeOf(111)).isEqualTo("proxmox2");
        assertThat(simulator.config(111).get("rootfs")).startsWith("local-lvm:vm-111-disk-0");
        assertThat(requests(MIGRATE)).singleElement().satisfies(p -> assertThat(p).doesNotContainKey("target-storage"));
    }

    @Test
    void aLocalStorageOnlyTheTargetHasIsReachedByMigratingWithTargetStorage() {
        spec.secondary.storage = "zfs2";

        provision();

        assertThat(simulator.nodeOf(111)).isEqualTo("proxmox2");
        assertThat(simulator.config(111).get("rootfs")).startsWith("zfs2:vm-111-disk-0");
        assertThat(requests(CLONE)).singleElement().satisfies(p -> assertThat(p).doesNotContainKey("storage"));
        assertThat(requests(MIGRATE)).singleElement().satisfies(p -> assertThat(p).containsEntry("target-storage", "zfs2"));
    }

    @Test
    void sharedStorageClonesStraightOntoTheNodeWithNoMigration() {
        spec.secondary.storage = "ceph";

        List<ProxmoxAction> done = provision();

        assertThat(done).noneMatch(ProxmoxAction.MigrateContainer.class::isInstance);
        assertThat(requests(MIGRATE)).isEmpty();
        assertThat(requests(CLONE)).singleElement().satisfies(p -> assertThat(p).containsEntry("target", "proxmox2")
                .containsEntry("storage", "ceph"));
        assertThat(simulator.nodeOf(111)).isEqualTo("proxmox2");
        assertThat(simulator.config(111).get("rootfs")).startsWith("ceph:vm-111-disk-0");
        assertThat(simulator.isRunning(111)).isTrue();
    }

    @Test
    void aNodeWithoutTheStorageIsReportedAndNothingIsChanged() {
        spec.secondary.storage = "zfs3";

        SecondaryPlan plan = SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY);

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.findings().get(0).reason()).isEqualTo("StorageUnavailable");
        assertThat(plan.findings().get(0).message()).contains("'zfs3' is not available on node proxmox2")
                .contains("it is on proxmox3").contains("(ceph, local-lvm, zfs2)");
        assertThat(simulator.exchanges()).allMatch(e -> e.method().equals("GET"));
    }

    @Test
    void theSimulatorRefusesWhatProxmoxRefusesInItsOwnWords() {
        // a migration whose disks would land on a storage the target lacks: refused before the worker starts
        assertThatThrownBy(() -> client.migrate("proxmox", 110, "proxmox2", true, "zfs3"))
                .hasMessageContaining("storage 'zfs3' is not available on node 'proxmox2'");
        // without a map, a local volume needs the same storage id on the target: the task aborts, the CT stays
        assertThatThrownBy(() -> tasks.await(client.migrate("proxmox3", 120, "proxmox2", false), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(ProxmoxTaskException.class, e -> {
                    assertThat(e.exitStatus()).isEqualTo("migration aborted");
                    assertThat(e.lastLogLines()).anyMatch(l -> l.contains("storage 'zfs3' is not available on node 'proxmox2'"));
                });
        assertThat(simulator.nodeOf(120)).isEqualTo("proxmox3");
        assertThat(simulator.config(120)).doesNotContainKey("lock");
        tasks.await(client.createSnapshot("proxmox", 110, "before_test", "for the test"), Duration.ofSeconds(5));
        // a clone onto a storage the source node lacks, and onto local storage of another node
        assertThatThrownBy(() -> client.cloneContainer("proxmox", 110, CloneRequest.of(121).fromSnapshot("before_test").withStorage("zfs2")))
                .hasMessageContaining("storage 'zfs2' is not available on node 'proxmox'");
        assertThatThrownBy(() -> client.cloneContainer("proxmox", 110, CloneRequest.of(121).fromSnapshot("before_test")
                .withStorage("local-lvm").withTarget("proxmox2"))).hasMessageContaining("can't clone to non-shared storage 'local-lvm'");
        assertThatThrownBy(() -> client.cloneContainer("proxmox", 110, CloneRequest.of(121).fromSnapshot("before_test")
                .withTarget("proxmox2"))).hasMessageContaining("can't clone CT to node 'proxmox2' (CT uses local storage)");
        assertThat(simulator.exists(121)).isFalse();
    }

    @Test
    void theClusterViewListsEachStorageOnTheNodesItIsEnabledOn() {
        List<StorageResource> storages = client.clusterStorages();

        assertThat(storages).filteredOn(s -> s.storage().equals("zfs2")).extracting(StorageResource::node)
                .containsExactly("proxmox2");
        assertThat(storages).filteredOn(s -> s.storage().equals("ceph")).hasSize(3).allMatch(StorageResource::isShared);
        assertThat(storages).filteredOn(s -> s.storage().equals("local-lvm")).hasSize(3)
                .allMatch(s -> !s.isShared() && s.holdsContainers());
        assertThat(storages).filteredOn(s -> s.storage().equals("local")).noneMatch(StorageResource::holdsContainers);
    }

    /** Plans and acts until the secondary is provisioned, as reconciles would. */
    private List<ProxmoxAction> provision() {
        List<ProxmoxAction> done = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            SecondaryPlan plan = SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY);
            if (plan.actions().isEmpty() && !plan.waiting()) {
                assertThat(plan.findings().get(0).reason()).isEqualTo("Provisioned");
                return done;
            }
            plan.actions().forEach(gateway::apply);
            done.addAll(plan.actions());
        }
        throw new AssertionError("not provisioned after 10 rounds: " + done);
    }

    private List<Map<String, String>> requests(String endpoint) {
        return simulator.exchanges().stream().filter(e -> (e.method() + " " + e.template()).equals(endpoint))
                .map(ProxmoxSimulator.Exchange::params).toList();
    }

    private static Map<String, String> traefik(String rootfs) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("arch", "amd64");
        config.put("hostname", "traefik");
        config.put("memory", "2048");
        config.put("net0", "name=eth0,bridge=vmbr0,gw=192.168.1.1,hwaddr=BC:24:11:5E:7A:10,ip=192.168.1.110/24,type=veth");
        config.put("ostype", "debian");
        config.put("rootfs", rootfs);
        return config;
    }
}
