package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.simulator.proxmox.ContainerEvent;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.traefikha.http.TlsTrust;

/** The client against the homelab simulator, endpoint by endpoint, with the errors where Proxmox puts them. */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class ProxmoxClientSimulatorTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";

    private static ProxmoxSimulator simulator;
    private static ProxmoxClient client;
    private static TaskWaiter tasks;
    private static final List<ContainerEvent> events = new CopyOnWriteArrayList<>();
    private int checkedExchanges;

    @BeforeAll
    static void startSimulator() {
        simulator = ProxmoxSimulator.homelab().qemuVm(100, "proxmox2").taskDuration(Duration.ofMillis(40))
                .statsInterval(Duration.ZERO).start();
        simulator.addListener(events::add);
        client = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(), simulator.tokenSecret(),
                TlsTrust.fingerprint(simulator.fingerprint())).withRetries(2, Duration.ofMillis(20))
                .withRequestTimeout(Duration.ofSeconds(5)));
        tasks = new TaskWaiter(client, Duration.ofMillis(20), Duration.ofMillis(100), 10);
    }

    @AfterAll
    static void stopSimulator() {
        client.close();
        simulator.close();
    }

    @BeforeEach
    void rememberExchanges() {
        checkedExchanges = simulator.exchanges().size();
        events.clear();
    }

    @AfterEach
    void everyExchangeFitsTheSchema() {
        SimulatorContract.check(simulator, checkedExchanges);
    }

    @Test
    void versionNodesAndNextId() {
        assertThat(client.version().release()).isEqualTo("8.4");
        assertThat(client.nodes()).extracting(NodeInfo::node).containsExactly("proxmox", "proxmox2", "proxmox3");
        assertThat(client.nodes().get(0).sslFingerprint()).isEqualTo(simulator.fingerprint());
        assertThat(client.nextId()).as("100 is a VM, 110 the CT; nextid arrives as a string").isEqualTo(101);
        assertThat(client.isVmidFree(110)).isFalse();
        assertThat(client.isVmidFree(100)).as("VMs and CTs share the registry").isFalse();
        assertThat(client.isVmidFree(111)).isTrue();
    }

    @Test
    void listsContainersAndTheirAuthoritativeState() {
        assertThat(client.clusterContainers()).filteredOn(ct -> ct.vmid() == 110).singleElement().satisfies(ct -> {
            assertThat(ct.type()).isEqualTo("lxc");
            assertThat(ct.node()).isEqualTo("proxmox");
            assertThat(ct.name()).isEqualTo("traefik");
        });
        assertThat(client.containers("proxmox")).extracting(ContainerStatus::vmid).contains(110);
        ContainerStatus status = client.containerStatus("proxmox", 110);
        assertThat(status.running()).isTrue();
        assertThat(status.haManaged()).isFalse();
        assertThat(client.containers("proxmox2")).isEmpty();
    }

    @Test
    void fullCloneOfARunningContainerNeedsASnapshot() {
        assertThatThrownBy(() -> client.cloneContainer("proxmox", 110, CloneRequest.of(120)))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.reason()).isEqualTo("Cannot do full clones on a running container without snapshots");
                });
        assertThat(simulator.exists(120)).as("a refused clone leaves nothing").isFalse();
        assertThat(simulator.config(110)).doesNotContainKey("lock");
    }

    @Test
    void cloneFromSnapshotLocksBothUntilTheTaskEndsAndKeepsTheStaticIp() {
        tasks.await(client.createSnapshot("proxmox", 110, "clonebase", "for the clone"), WAIT);
        assertThat(client.snapshots("proxmox", 110)).extracting(SnapshotInfo::name).containsExactly("clonebase");

        simulator.setTaskDuration(Duration.ofMillis(500));
        Upid upid = client.cloneContainer("proxmox", 110, CloneRequest.of(121).fromSnapshot("clonebase").withHostname("traefik-2"));
        simulator.setTaskDuration(Duration.ofMillis(40));
        assertThat(upid.type()).isEqualTo("vzclone");
        assertThat(upid.id()).as("clone tasks carry the source vmid").isEqualTo("110");
        assertThat(simulator.config(110)).containsEntry("lock", "disk");
        assertThat(client.config("proxmox", 121).lock()).contains("create");
        assertThat(client.clusterContainers()).filteredOn(c -> c.vmid() == 121).singleElement()
                .satisfies(c -> assertThat(c.status()).as("status lags behind the config").isEqualTo("unknown"));
        tasks.await(upid, WAIT);

        ContainerConfig clone = client.config("proxmox", 121);
        ContainerConfig primary = client.config("proxmox", 110);
        assertThat(clone.lock()).isEmpty();
        assertThat(primary.lock()).isEmpty();
        assertThat(clone.hostname()).contains("traefik-2");
        assertThat(clone.net(0).orElseThrow().ip()).as("clone copies the IP").contains("192.168.1.110/24");
        assertThat(clone.net(0).orElseThrow().hwaddr()).isNotEqualTo(primary.net(0).orElseThrow().hwaddr());
        assertThat(client.containerStatus("proxmox", 121).running()).isFalse();
        assertThat(events).extracting(ContainerEvent::type).contains(ContainerEvent.Type.CREATED);

        NetConfig readdressed = clone.net(0).orElseThrow().withIpv4("192.168.1.111/24", "192.168.1.1");
        client.updateConfig("proxmox", 121, ConfigUpdate.create().net(0, readdressed).digest(clone.digest()));
        NetConfig stored = client.config("proxmox", 121).net(0).orElseThrow();
        assertThat(stored.ip()).contains("192.168.1.111/24");
        assertThat(stored.hwaddr()).isEqualTo(clone.net(0).orElseThrow().hwaddr());

        tasks.await(client.deleteSnapshot("proxmox", 110, "clonebase"), WAIT);
        assertThat(client.snapshots("proxmox", 110)).isEmpty();
    }

    @Test
    void cloneOntoAUsedVmidIsRefusedSynchronously() {
        assertThatThrownBy(() -> client.cloneContainer("proxmox", 110, CloneRequest.of(100)))
                .isInstanceOfSatisfying(ProxmoxException.class,
                        e -> assertThat(e.errorText()).isEqualTo("VM 100 already exists on node 'proxmox2'"));
    }

    @Test
    void aFailedCloneTaskLeavesNoOrphanAndReportsTheLog() {
        Upid snap = client.createSnapshot("proxmox", 110, "failbase", null);
        tasks.await(snap, WAIT);
        simulator.failNextTask("vzclone", "clone failed: lvcreate 'pve/vm-122-disk-0' error: insufficient free space");
        // long enough that a loaded machine still looks while the clone runs
        simulator.setTaskDuration(Duration.ofMillis(500));
        Upid upid = client.cloneContainer("proxmox", 110, CloneRequest.of(122).fromSnapshot("failbase"));
        assertThat(simulator.exists(122)).as("visible while cloning").isTrue();
        simulator.setTaskDuration(Duration.ofMillis(40));

        assertThatThrownBy(() -> tasks.await(upid, WAIT)).isInstanceOfSatisfying(ProxmoxTaskException.class, e -> {
            assertThat(e.exitStatus()).startsWith("clone failed: lvcreate");
            assertThat(e.lastLogLines()).last().asString().startsWith("TASK ERROR: clone failed");
            assertThat(e.timedOut()).isFalse();
        });
        assertThat(simulator.exists(122)).isFalse();
        assertThat(simulator.config(110)).doesNotContainKey("lock");
        tasks.await(client.deleteSnapshot("proxmox", 110, "failbase"), WAIT);
    }

    @Test
    void theClientSaysWhichParameterWasWrong() {
        assertThatThrownBy(() -> client.cloneContainer("proxmox", 110, CloneRequest.of(123).withHostname("traefik_2")))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> {
                    assertThat(e.isParameterError()).isTrue();
                    assertThat(e.reason()).isEqualTo("Parameter verification failed.");
                    assertThat(e.errors()).containsOnlyKeys("hostname");
                    assertThat(e.errors().get("hostname")).contains("valid DNS name");
                    assertThat(e.getMessage()).contains("hostname");
                });
        assertThat(simulator.exists(123)).isFalse();
    }

    @Test
    void staleDigestIsRefused() {
        ContainerConfig before = client.config("proxmox", 110);
        client.updateConfig("proxmox", 110, ConfigUpdate.create().set("description", "primary\nmanaged").digest(before.digest()));
        ContainerConfig after = client.config("proxmox", 110);
        assertThat(after.digest()).isNotEqualTo(before.digest());
        assertThat(after.description()).contains("primary\nmanaged");

        assertThatThrownBy(() -> client.updateConfig("proxmox", 110, ConfigUpdate.create().set("cores", 4).digest(before.digest())))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> {
                    assertThat(e.isDigestMismatch()).isTrue();
                    assertThat(e.reason()).isEqualTo("detected modified configuration - file changed by other user? Try again.");
                });
        client.updateConfig("proxmox", 110, ConfigUpdate.create().delete("description"));
        assertThat(client.config("proxmox", 110).description()).isEmpty();
    }

    @Test
    void configErrorsArePlacedAsProxmoxDoes() {
        assertThatThrownBy(() -> client.updateConfig("proxmox", 110, ConfigUpdate.create().delete("memory")))
                .isInstanceOfSatisfying(ProxmoxException.class,
                        e -> assertThat(e.reason()).isEqualTo("unable to delete required option 'memory'"));
        assertThatThrownBy(() -> client.updateConfig("proxmox", 110, ConfigUpdate.create().delete("bogus")))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.errors()).containsKey("delete"));
        assertThatThrownBy(() -> client.updateConfig("proxmox", 110, ConfigUpdate.create().set("cores", "many")))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.errors()).containsOnlyKeys("cores"));
        assertThatThrownBy(() -> client.config("proxmox2", 110))
                .isInstanceOfSatisfying(ProxmoxException.class,
                        e -> assertThat(e.reason()).isEqualTo("Configuration file 'nodes/proxmox2/lxc/110.conf' does not exist"));
    }

    @Test
    void locksFailSynchronouslyForConfigAndInsideTheTaskForPower() {
        Upid created = client.createContainer("proxmox", CreateRequest.of(130, TEMPLATE).rootfs("local-lvm:8"));
        tasks.await(created, WAIT);
        simulator.setLock(130, "backup");
        try {
            assertThatThrownBy(() -> client.updateConfig("proxmox", 130, ConfigUpdate.create().set("cores", 2)))
                    .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.isLocked()).isTrue());
            Upid start = client.start("proxmox", 130);
            assertThatThrownBy(() -> tasks.await(start, WAIT)).isInstanceOfSatisfying(ProxmoxTaskException.class,
                    e -> assertThat(e.exitStatus()).isEqualTo("CT is locked (backup)"));
        } finally {
            simulator.setLock(130, null);
        }
        tasks.await(client.deleteContainer("proxmox", 130, true, false), WAIT);
    }

    @Test
    void powerCycleAndItsSynchronousErrors() {
        tasks.await(client.createContainer("proxmox2", CreateRequest.of(131, TEMPLATE).rootfs("local-lvm:4").hostname("power")), WAIT);
        assertThatThrownBy(() -> client.stop("proxmox2", 131))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.reason()).isEqualTo("CT 131 not running"));
        assertThatThrownBy(() -> client.reboot("proxmox2", 131))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.reason()).isEqualTo("VM 131 not running"));

        tasks.await(client.start("proxmox2", 131), WAIT);
        assertThat(client.containerStatus("proxmox2", 131).running()).isTrue();
        assertThatThrownBy(() -> client.start("proxmox2", 131))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.reason()).isEqualTo("CT 131 already running"));
        tasks.await(client.reboot("proxmox2", 131), WAIT);
        tasks.await(client.shutdown("proxmox2", 131, 10, true), WAIT);
        assertThat(client.containerStatus("proxmox2", 131).running()).isFalse();
        tasks.await(client.start("proxmox2", 131), WAIT);
        tasks.await(client.stop("proxmox2", 131), WAIT);
        assertThat(events).extracting(ContainerEvent::type).contains(ContainerEvent.Type.STARTED, ContainerEvent.Type.STOPPED);

        simulator.broadcastStats();
        assertThat(client.clusterContainers()).filteredOn(c -> c.vmid() == 131).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo("stopped"));
        tasks.await(client.deleteContainer("proxmox2", 131, true, false), WAIT);
    }

    @Test
    void createValidatesStorageKeysAndNetwork() {
        assertThatThrownBy(() -> client.createContainer("proxmox", CreateRequest.of(140, TEMPLATE)))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.errors())
                        .containsEntry("storage", "storage 'local' does not support container directories"));
        assertThatThrownBy(() -> client.createContainer("proxmox", CreateRequest.of(140, TEMPLATE).rootfs("local-lvm:4")
                .sshPublicKeys("not a key")))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.reason()).isEqualTo("SSH public key validation error"));
        assertThat(simulator.exists(140)).isFalse();

        String keys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOperatorKey operator@traefik-ha\nssh-rsa AAAAB3NzaC1yc2E admin@lab";
        Upid upid = client.createContainer("proxmox", CreateRequest.of(140, TEMPLATE).rootfs("local-lvm:8").hostname("web-1")
                .net(0, NetConfig.staticIpv4("eth0", "vmbr0", "192.168.1.140/24", "192.168.1.1")).sshPublicKeys(keys)
                .option("memory", 256).option("unprivileged", true).option("start", true));
        assertThat(upid.type()).isEqualTo("vzcreate");
        tasks.await(upid, WAIT);
        ContainerConfig config = client.config("proxmox", 140);
        assertThat(config.hostname()).contains("web-1");
        assertThat(config.values()).containsEntry("memory", 256).containsEntry("unprivileged", 1);
        assertThat(config.string("net0")).get().asString()
                .matches("name=eth0,bridge=vmbr0,gw=192\\.168\\.1\\.1,hwaddr=BC:24:11:[0-9A-F:]{8},ip=192\\.168\\.1\\.140/24,type=veth");
        assertThat(client.containerStatus("proxmox", 140).running()).isTrue();

        assertThatThrownBy(() -> client.deleteContainer("proxmox", 140, false, false))
                .isInstanceOfSatisfying(ProxmoxException.class,
                        e -> assertThat(e.reason()).isEqualTo("unable to destroy CT 140 - container is running"));
        tasks.await(client.deleteContainer("proxmox", 140, true, true), WAIT);
        assertThat(simulator.exists(140)).isFalse();
        assertThat(events).extracting(ContainerEvent::type).contains(ContainerEvent.Type.DESTROYED);
    }

    @Test
    void migrateNeedsRestartForARunningContainer() {
        tasks.await(client.createContainer("proxmox", CreateRequest.of(150, TEMPLATE).rootfs("local-lvm:4").option("start", true)), WAIT);
        assertThatThrownBy(() -> client.migrate("proxmox", 150, "proxmox", false))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.errors()).containsEntry("target", "target is local node."));
        assertThatThrownBy(() -> client.migrate("proxmox", 150, "proxmox3", false))
                .isInstanceOfSatisfying(ProxmoxException.class,
                        e -> assertThat(e.reason()).isEqualTo("can't migrate running container without --online or --restart"));
        tasks.await(client.migrate("proxmox", 150, "proxmox3", true), WAIT);
        assertThat(simulator.nodeOf(150)).isEqualTo("proxmox3");
        assertThat(client.containerStatus("proxmox3", 150).running()).isTrue();
        tasks.await(client.deleteContainer("proxmox3", 150, true, true), WAIT);
    }

    @Test
    void taskStatusAndLogArePagedOnTheTasksNode() {
        Upid upid = client.createSnapshot("proxmox", 110, "logtest", "x");
        TaskStatus done = tasks.await(upid, WAIT);
        assertThat(done.exitstatus()).isEqualTo("OK");
        assertThat(done.node()).isEqualTo("proxmox");
        TaskLog log = client.taskLog(upid, 0, 0);
        assertThat(log.texts()).last().isEqualTo("TASK OK");
        assertThat(client.taskLog(upid, log.total() - 1, 5).lines()).singleElement()
                .satisfies(line -> assertThat(line.n()).isEqualTo(log.total()));
        Upid elsewhere = Upid.parse(upid.value().replace("UPID:proxmox:", "UPID:proxmox2:"));
        assertThatThrownBy(() -> client.taskStatus(elsewhere))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.errors()).containsEntry("upid", "no such task"));
        tasks.await(client.deleteSnapshot("proxmox", 110, "logtest"), WAIT);
    }

    @Test
    void listenerFailureIsAWarningAndStillSuccess() {
        simulator.addListener(event -> {
            if (event.vmid() == 160 && event.type() == ContainerEvent.Type.CREATED) {
                throw new IllegalStateException("netns busy");
            }
        });
        TaskStatus status = tasks.await(client.createContainer("proxmox", CreateRequest.of(160, TEMPLATE).rootfs("local-lvm:4")), WAIT);
        assertThat(status.exitstatus()).isEqualTo("WARNINGS: 1");
        assertThat(status.succeeded()).isTrue();
        tasks.await(client.deleteContainer("proxmox", 160, true, false), WAIT);
    }

    @Test
    void offlineNodeGets595AndOnlyGetIsRetried() {
        simulator.setNodeOnline("proxmox3", false);
        try {
            int before = simulator.exchanges().size();
            assertThatThrownBy(() -> client.containers("proxmox3"))
                    .isInstanceOfSatisfying(ProxmoxException.class, e -> {
                        assertThat(e.isNodeUnreachable()).isTrue();
                        assertThat(e.reason()).isEqualTo("No route to host");
                    });
            assertThat(simulator.exchanges().size() - before).as("GET tried 1 + 2 times").isEqualTo(3);
            int afterGet = simulator.exchanges().size();
            assertThatThrownBy(() -> client.createContainer("proxmox3", CreateRequest.of(170, TEMPLATE).rootfs("local-lvm:4")))
                    .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.status()).isEqualTo(595));
            assertThat(simulator.exchanges().size() - afterGet).as("POST never retried").isEqualTo(1);
            assertThat(client.nodes()).filteredOn(n -> n.node().equals("proxmox3")).singleElement()
                    .satisfies(n -> assertThat(n.online()).isFalse());
        } finally {
            simulator.setNodeOnline("proxmox3", true);
        }
    }

    @Test
    void waitingGivesUpAtTheTimeoutWithTheLogSoFar() {
        simulator.setTaskDuration(Duration.ofSeconds(2));
        try {
            Upid upid = client.createSnapshot("proxmox", 110, "slow", null);
            assertThatThrownBy(() -> tasks.await(upid, Duration.ofMillis(150)))
                    .isInstanceOfSatisfying(ProxmoxTaskException.class, e -> {
                        assertThat(e.timedOut()).isTrue();
                        assertThat(e.lastLogLines()).containsExactly("no content");
                    });
            simulator.setTaskDuration(Duration.ofMillis(40));
            tasks.await(upid, WAIT);
        } finally {
            simulator.setTaskDuration(Duration.ofMillis(40));
        }
        tasks.await(client.deleteSnapshot("proxmox", 110, "slow"), WAIT);
    }
}
