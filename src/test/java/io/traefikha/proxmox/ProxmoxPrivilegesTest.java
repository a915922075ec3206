package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.http.TlsTrust;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator enforces privileges per path as PVE 8 does, seen through the client with privilege-separated API
 * tokens: each endpoint refuses a token missing one privilege it checks with 403 and PVE's own message, listings
 * are filtered to what the token may see, and GET /access/permissions answers what the token may do.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class ProxmoxPrivilegesTest {

    private static final String USER = "traefikha@pve";
    /** What the calls below need between them; each case takes one away. */
    private static final Set<String> ALL_NEEDED = Set.of("VM.Audit", "VM.Clone", "VM.Allocate", "VM.Snapshot", "VM.Migrate",
            "VM.PowerMgmt", "VM.Config.Network", "VM.Config.Options", "VM.Config.Memory", "VM.Config.CPU",
            "Datastore.AllocateSpace", "Datastore.Audit", "SDN.Use", "Sys.Audit");
    private static final AtomicInteger TOKENS = new AtomicInteger();

    private static ProxmoxSimulator simulator;
    private int checkedExchanges;

    @BeforeAll
    static void startSimulator() {
        simulator = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(20)).statsInterval(Duration.ZERO)
                .access(access -> access.userAdd(USER)).start();
        // the user may do everything; what a token may do is then its own ACLs' business (privilege separation)
        simulator.access().aclModifyUser("/", USER, "Administrator", true);
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void rememberExchanges() {
        checkedExchanges = simulator.exchanges().size();
    }

    @AfterEach
    void everyExchangeFitsTheSchema() {
        SimulatorContract.check(simulator, checkedExchanges);
    }

    /** A fresh privilege-separated token of USER whose role on / holds exactly {@code privileges}. */
    private static ProxmoxClient tokenWith(Set<String> privileges) {
        String name = "t" + TOKENS.incrementAndGet();
        String role = "Role-" + name;
        simulator.access().roleAdd(role, String.join(",", privileges));
        String tokenId = simulator.access().tokenAdd(USER, name, true);
        simulator.access().aclModifyToken("/", tokenId, role, true);
        return client(tokenId);
    }

    private static ProxmoxClient client(String tokenId) {
        return ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), tokenId, simulator.access().tokenSecret(tokenId),
                TlsTrust.fingerprint(simulator.fingerprint())).withRetries(0, Duration.ofMillis(10))
                .withRequestTimeout(Duration.ofSeconds(5)));
    }

    private static Set<String> without(String privilege) {
        Set<String> rest = new LinkedHashSet<>(ALL_NEEDED);
        rest.remove(privilege);
        return rest;
    }

    static Stream<Arguments> oneMissingPrivilege() {
        return Stream.of(
                refused("VM.Clone", "/vms/110", c -> c.cloneContainer("proxmox", 110, CloneRequest.of(111))),
                refused("VM.Allocate", "/vms/111", c -> c.cloneContainer("proxmox", 110, CloneRequest.of(111))),
                refused("SDN.Use", "/sdn/zones/localnetwork/vmbr0", c -> c.cloneContainer("proxmox", 110, CloneRequest.of(111))),
                refused("Datastore.AllocateSpace", "/storage/local-lvm",
                        c -> c.cloneContainer("proxmox", 110, CloneRequest.of(111))),
                refused("VM.Snapshot", "/vms/110", c -> c.createSnapshot("proxmox", 110, "pre", "before")),
                refused("VM.Migrate", "/vms/110", c -> c.migrate("proxmox", 110, "proxmox2", true)),
                refused("VM.PowerMgmt", "/vms/110", c -> c.stop("proxmox", 110)),
                refused("VM.Audit", "/vms/110", c -> c.config("proxmox", 110)),
                refused("VM.Config.Network", "/vms/110", c -> c.updateConfig("proxmox", 110,
                        ConfigUpdate.create().set("net0", "name=eth0,bridge=vmbr0,ip=192.168.1.110/24,gw=192.168.1.1"))),
                refused("VM.Config.Network", "/vms/110", c -> c.updateConfig("proxmox", 110,
                        ConfigUpdate.create().set("hostname", "traefik"))),
                refused("VM.Config.Options", "/vms/110", c -> c.updateConfig("proxmox", 110,
                        ConfigUpdate.create().set("description", "x"))),
                refused("VM.Config.Memory", "/vms/110", c -> c.updateConfig("proxmox", 110,
                        ConfigUpdate.create().set("memory", "2048"))),
                refused("VM.Config.Network", "/vms/110",
                        c -> c.createFirewallRule("proxmox", 110, FirewallRuleRequest.inbound(FirewallVerdict.ACCEPT))),
                refused("VM.Config.Network", "/vms/110", c -> c.createIpSet("proxmox", 110, "ipfilter-net0", null)));
    }

    private static Arguments refused(String privilege, String path, Consumer<ProxmoxClient> call) {
        return Arguments.of(privilege, path, call);
    }

    @ParameterizedTest(name = "without {0}: 403 on {1}")
    @MethodSource("oneMissingPrivilege")
    void aTokenMissingOnePrivilegeIsRefusedWithPvesMessage(String privilege, String path, Consumer<ProxmoxClient> call) {
        ProxmoxClient client = tokenWith(without(privilege));
        assertThatThrownBy(() -> call.accept(client)).isInstanceOfSatisfying(ProxmoxException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.reason()).isEqualTo("Permission check failed (" + path + ", " + privilege + ")");
        });
        assertThat(simulator.exists(111)).as("nothing created").isFalse();
        assertThat(simulator.isRunning(110)).isTrue();
    }

    @Test
    void theTokenWithEveryPrivilegeClonesFromASnapshotAndPutsTheCloneOnAnotherNode() {
        ProxmoxClient client = tokenWith(ALL_NEEDED);
        TaskWaiter tasks = new TaskWaiter(client, Duration.ofMillis(10), Duration.ofMillis(50), 10);
        tasks.await(client.createSnapshot("proxmox", 110, "clone", "for the secondary"), Duration.ofSeconds(5));
        tasks.await(client.cloneContainer("proxmox", 110, CloneRequest.of(111).fromSnapshot("clone").withHostname("traefik-2")),
                Duration.ofSeconds(5));
        tasks.await(client.migrate("proxmox", 111, "proxmox2", false), Duration.ofSeconds(5));
        client.updateConfig("proxmox2", 111, ConfigUpdate.create()
                .set("net0", "name=eth0,bridge=vmbr0,ip=192.168.1.111/24,gw=192.168.1.1"));
        tasks.await(client.start("proxmox2", 111), Duration.ofSeconds(5));
        tasks.await(client.deleteSnapshot("proxmox", 110, "clone"), Duration.ofSeconds(5));
        assertThat(simulator.isRunning(111)).isTrue();
        assertThat(simulator.nodeOf(111)).isEqualTo("proxmox2");
        // back to the homelab for the other tests
        ProxmoxClient root = client(simulator.tokenId());
        TaskWaiter rootTasks = new TaskWaiter(root, Duration.ofMillis(10), Duration.ofMillis(50), 10);
        rootTasks.await(root.deleteContainer("proxmox2", 111, true, true), Duration.ofSeconds(5));
    }

    @Test
    void aCloneIntoAPoolThatDoesNotExistIsRefused() {
        ProxmoxClient client = tokenWith(ALL_NEEDED);
        assertThatThrownBy(() -> client.cloneContainer("proxmox", 110, CloneRequest.of(111).withPool("nope")))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo("Permission check failed (pool 'nope' does not exist)");
                });
        assertThat(simulator.exists(111)).isFalse();
    }

    @Test
    void listingsShowOnlyWhatTheTokenMayAudit() {
        ProxmoxClient blind = tokenWith(without("VM.Audit"));
        assertThat(blind.clusterContainers()).isEmpty();
        assertThat(blind.containers("proxmox")).isEmpty();
        ProxmoxClient seeing = tokenWith(ALL_NEEDED);
        assertThat(seeing.clusterContainers()).extracting(ClusterResource::vmid).containsExactly(110);
        assertThat(seeing.containers("proxmox")).extracting(ContainerStatus::vmid).containsExactly(110);
        // and a guest can be hidden on its own path
        String tokenId = USER + "!t" + TOKENS.get();
        simulator.access().aclModifyToken("/vms/110", tokenId, "NoAccess", true);
        assertThat(seeing.clusterContainers()).isEmpty();
    }

    @Test
    void aTokensOwnTasksNeedNoSysAuditButAnothersDo() {
        ProxmoxClient owner = tokenWith(without("Sys.Audit"));
        Upid upid = owner.createSnapshot("proxmox", 110, "mine", "own task");
        new TaskWaiter(owner, Duration.ofMillis(10), Duration.ofMillis(50), 10).await(upid, Duration.ofSeconds(5));
        ProxmoxClient other = tokenWith(without("Sys.Audit"));
        assertThatThrownBy(() -> other.taskStatus(upid)).isInstanceOfSatisfying(ProxmoxException.class,
                e -> assertThat(e.reason()).isEqualTo("Permission check failed (/nodes/proxmox, Sys.Audit)"));
        assertThat(tokenWith(ALL_NEEDED).taskStatus(upid).exitstatus()).isEqualTo("OK");
        new TaskWaiter(owner, Duration.ofMillis(10), Duration.ofMillis(50), 10)
                .await(owner.deleteSnapshot("proxmox", 110, "mine"), Duration.ofSeconds(5));
    }

    @Test
    void permissionsAnswerWhatTheTokenMayDoOnAPathIntersectedWithItsUser() {
        ProxmoxClient client = tokenWith(Set.of("VM.Audit", "VM.Clone", "Sys.Modify"));
        String tokenId = USER + "!t" + TOKENS.get();
        assertThat(client.permissions(tokenId, "/vms/110")).containsOnlyKeys("VM.Audit", "VM.Clone", "Sys.Modify")
                .containsEntry("VM.Clone", true);
        // the user keeps only PVEVMAdmin on /vms/110: Sys.Modify is gone for the token there
        simulator.access().aclModifyUser("/vms/110", USER, "PVEVMAdmin", false);
        try {
            assertThat(client.permissions(tokenId, "/vms/110")).containsOnlyKeys("VM.Audit", "VM.Clone")
                    .containsEntry("VM.Clone", false);
        } finally {
            simulator.access().aclModifyUser("/vms/110", USER, "Administrator", true);
        }
        // another user's token needs Sys.Audit on /access
        assertThatThrownBy(() -> client.permissions("root@pam!operator", "/")).isInstanceOfSatisfying(ProxmoxException.class,
                e -> assertThat(e.reason()).isEqualTo("Permission check failed (/access, Sys.Audit)"));
    }

    @Test
    void anSdnVnetIsCheckedInItsZoneAndAVlanTagOnItsOwnPath() {
        ProxmoxClient client = tokenWith(without("SDN.Use"));
        String tokenId = USER + "!t" + TOKENS.get();
        simulator.access().aclModifyToken("/sdn/zones/localnetwork/vmbr0/20", tokenId, "PVESDNUser", true);
        simulator.access().aclModifyToken("/vms/110", tokenId, "PVEVMAdmin", true);
        assertThatThrownBy(() -> client.updateConfig("proxmox", 110,
                ConfigUpdate.create().set("net1", "name=eth1,bridge=vmbr0,tag=30")))
                .isInstanceOfSatisfying(ProxmoxException.class,
                        e -> assertThat(e.reason()).isEqualTo("Permission check failed (/sdn/zones/localnetwork/vmbr0/30, SDN.Use)"));
        client.updateConfig("proxmox", 110, ConfigUpdate.create().set("net1", "name=eth1,bridge=vmbr0,tag=20"));
        client.updateConfig("proxmox", 110, ConfigUpdate.create().delete("net1"));
    }
}
