package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.http.TlsTrust;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.proxmox.ProxmoxApiGateway;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.step.ClusterConnections;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.step.StatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backup before the first change, reconciled against the Proxmox simulator: one vzdump, awaited, before any other
 * write to Proxmox, recorded in status and in the state object; a failing one blocks provisioning with Proxmox's words
 * and nothing else is written; a dry run only plans it; deletion keeps or deletes it as spec.backup.keepOnDelete says.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class BackupReconcileTest {

    private static final String VZDUMP = "POST /nodes/{node}/vzdump";
    private static final Duration BUSY = Duration.ofMillis(10);

    private ProxmoxSimulator proxmox;
    private final MemoryStateStore state = new MemoryStateStore();
    private final RecordingEvents events = new RecordingEvents();
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events,
            new ReconcileMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), BUSY);
    private TraefikHACluster resource;
    private ClusterConnections connections;

    @BeforeEach
    void start() {
        proxmox = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(10)).statsInterval(Duration.ZERO).start();
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid(UUID.randomUUID().toString());
        resource.getMetadata().setGeneration(1L);
        ProxmoxClient client = ProxmoxClient.create(ProxmoxConnection.of(proxmox.baseUrl(), proxmox.tokenId(),
                proxmox.tokenSecret(), TlsTrust.fingerprint(proxmox.fingerprint())).withRequestTimeout(Duration.ofSeconds(5)));
        ProxmoxApiGateway gateway = new ProxmoxApiGateway(client, new TaskWaiter(client, Duration.ofMillis(5),
                Duration.ofMillis(20), 10), resource.getSpec(), Duration.ofSeconds(10));
        SimulatedNodes nodes = new SimulatedNodes();
        connections = new FixedConnections(gateway, nodes, pin -> KeepalivedNodeFiles.render(resource.getSpec(), "test", null,
                pin), Optional.empty(), new FixedConnections.MemoryRegistry(), nodes::vipAnswers, running -> { }, state);
    }

    @AfterEach
    void stop() {
        proxmox.close();
    }

    @Test
    void oneBackupIsTakenAndAwaitedBeforeAnyOtherWriteAndRecorded() {
        rounds(12);

        List<String> writes = writes();
        assertThat(writes).as("the vzdump first, then the clone's snapshot").startsWith(VZDUMP,
                "POST /nodes/{node}/lxc/{vmid}/snapshot");
        assertThat(writes).filteredOn(VZDUMP::equals).hasSize(1);
        assertThat(proxmox.exists(111)).as("provisioning went on after the backup").isTrue();
        List<String> archives = proxmox.backupVolids("local");
        assertThat(archives).singleElement().asString().matches("local:backup/vzdump-lxc-110-.*\\.tar\\.zst");
        assertThat(resource.getStatus().backup).satisfies(b -> {
            assertThat(b.volid).isEqualTo(archives.get(0));
            assertThat(b.storage).isEqualTo("local");
            assertThat(b.node).isEqualTo("proxmox");
            assertThat(b.upid).contains(":vzdump:110:");
            assertThat(b.takenAt).isNotBlank();
        });
        assertThat(resource.getStatus().condition(ConditionTypes.BACKUP_TAKEN).reason).isEqualTo("Taken");
        assertThat(state.stored().backup().volid()).isEqualTo(archives.get(0));
        assertThat(events.reasons()).contains("BackupStarted", "BackupTaken");
    }

    @Test
    void aFailingBackupBlocksProvisioningWithPvesWordsAndWritesNothingElse() {
        resource.getSpec().backup.storage = "local-lvm"; // container disks only: no content backup

        rounds(3);

        Condition backup = resource.getStatus().condition(ConditionTypes.BACKUP_TAKEN);
        assertThat(backup.status).isEqualTo(Condition.FALSE);
        assertThat(backup.reason).isEqualTo("BackupFailed");
        assertThat(backup.message).contains("can't use storage 'local-lvm' for backups - wrong content type")
                .contains("spec.backup.storage").contains("spec.backup.mode: None");
        assertThat(writes()).as("only the vzdumps, tried again each round").containsOnly(VZDUMP).hasSize(3);
        assertThat(proxmox.exists(111)).isFalse();
        assertThat(proxmox.config(110)).doesNotContainKeys("lock", "parent");
        assertThat(resource.getStatus().backup).isNull();
        assertThat(state.stored().backup()).isNull();
    }

    @Test
    void aDryRunOnlyPlansTheBackup() {
        resource.getSpec().dryRun = true;

        rounds(2);

        assertThat(writes()).isEmpty();
        assertThat(resource.getStatus().plannedActions).first().asString()
                .startsWith("back up CT 110 on proxmox with vzdump to storage local");
        assertThat(resource.getStatus().condition(ConditionTypes.BACKUP_TAKEN).reason).isEqualTo("DryRun");
    }

    @Test
    void aRollbackKeepsTheBackupByDefault() {
        rounds(12);
        String archive = proxmox.backupVolids("local").get(0);
        resource.getSpec().deletionPolicy = DeletionPolicy.Rollback;

        assertThat(deleteResource()).isTrue();

        assertThat(proxmox.backupVolids("local")).containsExactly(archive);
        assertThat(events.reasons()).contains("BackupKept");
        assertThat(state.stored().backup()).as("forgotten: a re-created resource takes its own").isNull();
    }

    @Test
    void withKeepOnDeleteFalseARollbackDeletesTheBackupItTookAndNoOther() throws InterruptedException {
        rounds(12);
        Thread.sleep(1_100); // vzdump names archives by the second
        String theirs = someoneElsesBackup();
        resource.getSpec().deletionPolicy = DeletionPolicy.Rollback;
        resource.getSpec().backup.keepOnDelete = false;

        assertThat(deleteResource()).isTrue();

        assertThat(proxmox.backupVolids("local")).containsExactly(theirs);
        assertThat(writes()).contains("DELETE /nodes/{node}/storage/{storage}/content/{volume}");
    }

    /** A backup of the same CT on the same storage taken by someone else (the homelab's own job), through the API. */
    private String someoneElsesBackup() {
        return connections.proxmox().awaitBackup(connections.proxmox().startBackup("proxmox", 110, "local", null), "local",
                110).volume().volid();
    }

    private boolean deleteResource() {
        for (int attempt = 0; attempt < 10; attempt++) {
            StatusAggregator status = new StatusAggregator(resource, Clock.systemUTC());
            if (reconciliation.cleanup(resource, status, connections)) {
                return true;
            }
            resource.setStatus(status.build());
            sleep();
        }
        return false;
    }

    private void rounds(int count) {
        for (int i = 0; i < count; i++) {
            Rounds.run(reconciliation, resource, connections, Duration.ofSeconds(15));
            sleep();
        }
    }

    /** Every request that changes something on Proxmox, in order, by endpoint. */
    private List<String> writes() {
        return proxmox.exchanges().stream().filter(e -> !e.method().equals("GET")).map(e -> e.method() + " " + e.template())
                .toList();
    }

    private static void sleep() {
        try {
            Thread.sleep(BUSY.toMillis() * 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
