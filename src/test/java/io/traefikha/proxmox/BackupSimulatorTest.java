package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.domain.BackupVolume;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.http.TlsTrust;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * vzdump as the Proxmox simulator models it, through the real client and gateway: the task (its UPID, PVE's log lines,
 * the lock "backup" while it runs), the archive on its storage's content, its deletion, and what PVE refuses: a storage
 * without content backup (in the task), a token without VM.Backup or Datastore.AllocateSpace (403 before any task).
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class BackupSimulatorTest {

    private static final String USER = "traefikha@pve";

    private ProxmoxSimulator simulator;
    private ProxmoxClient client;
    private ProxmoxApiGateway gateway;
    private int checkedExchanges;

    @BeforeEach
    void start() {
        simulator = ProxmoxSimulator.homelab().storage("nfs-backup", true, false, false)
                .taskDuration(Duration.ofMillis(30)).statsInterval(Duration.ZERO)
                .access(access -> access.userAdd(USER)).start();
        simulator.access().aclModifyUser("/", USER, "Administrator", true);
        client = client(simulator.tokenId());
        gateway = new ProxmoxApiGateway(client, new TaskWaiter(client, Duration.ofMillis(20), Duration.ofMillis(100), 10),
                ExampleSpecs.homelab().getSpec(), Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        SimulatorContract.check(simulator, checkedExchanges);
        simulator.close();
    }

    @Test
    void aVzdumpTaskLocksTheContainerLogsAsPveAndListsItsArchiveOnTheStorage() {
        simulator.holdTasks(true);
        Instant before = Instant.now().minusSeconds(1);
        String upid = gateway.startBackup("proxmox", 110, "local", "{{guestname}}: before traefik-ha-operator's first change");

        assertThat(Upid.parse(upid)).satisfies(task -> {
            assertThat(task.type()).isEqualTo("vzdump");
            assertThat(task.id()).isEqualTo("110");
            assertThat(task.node()).isEqualTo("proxmox");
        });
        assertThat(simulator.config(110)).containsEntry("lock", "backup");
        assertThat(client.backups("proxmox", "local", 110)).isEmpty();
        simulator.releaseHeldTasks();

        BackupVolume archive = gateway.awaitBackup(upid, "local", 110).volume();

        assertThat(archive.volid()).matches("local:backup/vzdump-lxc-110-\\d{4}_\\d{2}_\\d{2}-\\d{2}_\\d{2}_\\d{2}\\.tar\\.zst");
        assertThat(archive.created()).isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(simulator.config(110)).doesNotContainKey("lock");
        List<String> log = client.taskLog(Upid.parse(upid), 0, 500).texts();
        assertThat(log).contains("INFO: Starting Backup of VM 110 (lxc)", "INFO: backup mode: snapshot",
                "INFO: creating vzdump archive '/var/lib/vz/dump/" + archive.volid().substring("local:backup/".length()) + "'",
                "INFO: Backup job finished successfully", "TASK OK");
        assertThat(client.backups("proxmox", "local", 110)).singleElement().satisfies(listed -> {
            assertThat(listed.volid()).isEqualTo(archive.volid());
            assertThat(listed.content()).isEqualTo("backup");
            assertThat(listed.format()).isEqualTo("tar.zst");
            assertThat(listed.size()).isPositive();
            assertThat(listed.vmid()).isEqualTo(110);
            assertThat(listed.notes()).isEqualTo("traefik: before traefik-ha-operator's first change");
        });
        // local is each node's own store: proxmox2 does not have the archive
        assertThat(client.backups("proxmox2", "local", 110)).isEmpty();
        assertThat(client.backups("proxmox", "local", 111)).isEmpty();
    }

    @Test
    void theArchiveOnASharedStorageIsSeenFromEveryNodeAndDeletionRemovesIt() {
        BackupVolume archive = gateway.awaitBackup(gateway.startBackup("proxmox", 110, "nfs-backup", null), "nfs-backup", 110)
                .volume();
        assertThat(client.backups("proxmox3", "nfs-backup", 110)).extracting(BackupContent::volid)
                .containsExactly(archive.volid());
        assertThat(client.taskLog(Upid.parse(lastVzdumpUpid()), 0, 500).texts())
                .contains("INFO: creating vzdump archive '/mnt/pve/nfs-backup/dump/"
                        + archive.volid().substring("nfs-backup:backup/".length()) + "'");

        gateway.apply(new ProxmoxAction.DeleteBackup("proxmox", "nfs-backup", archive.volid()));

        assertThat(client.backups("proxmox", "nfs-backup", 110)).isEmpty();
        assertThat(simulator.backupVolids("nfs-backup")).isEmpty();
        assertThatThrownBy(() -> gateway.apply(new ProxmoxAction.DeleteBackup("proxmox", "nfs-backup", archive.volid())))
                .isInstanceOf(ExternalSystemException.class).hasMessageContaining("No such file or directory");
    }

    @Test
    void aStorageWithoutContentBackupFailsTheTaskWithPvesWords() {
        String upid = gateway.startBackup("proxmox", 110, "local-lvm", null);

        assertThat(gateway.awaitBackup(upid, "local-lvm", 110).failure()).contains("could not get storage information for 'local-lvm': can't use storage 'local-lvm'"
                        + " for backups - wrong content type");
        assertThat(simulator.config(110)).doesNotContainKey("lock");
        assertThat(simulator.backupVolids("local-lvm")).isEmpty();
    }

    @Test
    void aContainerLockedByAnotherTaskFailsTheBackupAndKeepsThatLock() {
        simulator.setLock(110, "snapshot");

        String upid = gateway.startBackup("proxmox", 110, "local", null);

        assertThat(gateway.awaitBackup(upid, "local", 110).failure()).contains("job errors",
                "ERROR: Backup of VM 110 failed - CT is locked (snapshot)");
        assertThat(simulator.config(110)).containsEntry("lock", "snapshot");
    }

    @Test
    void aTokenWithoutVmBackupOrDatastoreAllocateSpaceIsRefusedBeforeAnyTask() {
        simulator.access().roleAdd("NoBackup", "VM.Audit,Datastore.AllocateSpace,Datastore.Audit");
        simulator.access().roleAdd("NoSpace", "VM.Audit,VM.Backup,Datastore.Audit");
        ProxmoxClient noBackup = tokenWith("nobackup", "NoBackup");
        ProxmoxClient noSpace = tokenWith("nospace", "NoSpace");

        assertThatThrownBy(() -> noBackup.vzdump("proxmox", 110, "local", null)).isInstanceOfSatisfying(ProxmoxException.class,
                e -> assertThat(e.reason()).isEqualTo("Permission check failed (/vms/110, VM.Backup)"));
        assertThatThrownBy(() -> noSpace.vzdump("proxmox", 110, "local", null)).isInstanceOfSatisfying(ProxmoxException.class,
                e -> assertThat(e.reason()).isEqualTo("Permission check failed (/storage/local, Datastore.AllocateSpace)"));
        assertThat(simulator.tasksRunning()).isFalse();
        assertThat(simulator.config(110)).doesNotContainKey("lock");
    }

    @Test
    void aBackupIsListedAndDeletableOnlyWithVmBackupOnItsGuest() {
        BackupVolume archive = gateway.awaitBackup(gateway.startBackup("proxmox", 110, "local", null), "local", 110).volume();
        simulator.access().roleAdd("SpaceOnly", "VM.Audit,Datastore.AllocateSpace,Datastore.Audit");
        ProxmoxClient spaceOnly = tokenWith("spaceonly", "SpaceOnly");

        assertThat(spaceOnly.backups("proxmox", "local", 110)).isEmpty();
        assertThatThrownBy(() -> spaceOnly.deleteVolume("proxmox", "local", archive.volid()))
                .isInstanceOfSatisfying(ProxmoxException.class,
                        e -> assertThat(e.reason()).isEqualTo("Permission check failed (/vms/110, VM.Backup)"));
        assertThat(simulator.backupVolids("local")).containsExactly(archive.volid());
    }

    private String lastVzdumpUpid() {
        return simulator.exchanges().stream().filter(x -> "POST /nodes/{node}/vzdump".equals(x.method() + " " + x.template()))
                .reduce((a, b) -> b).map(x -> x.data().asText()).orElseThrow();
    }

    private ProxmoxClient tokenWith(String name, String role) {
        String tokenId = simulator.access().tokenAdd(USER, name, true);
        simulator.access().aclModifyToken("/", tokenId, role, true);
        return client(tokenId);
    }

    private ProxmoxClient client(String tokenId) {
        return ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), tokenId, simulator.access().tokenSecret(tokenId),
                TlsTrust.fingerprint(simulator.fingerprint())).withRetries(0, Duration.ofMillis(10))
                .withRequestTimeout(Duration.ofSeconds(5)));
    }
}
