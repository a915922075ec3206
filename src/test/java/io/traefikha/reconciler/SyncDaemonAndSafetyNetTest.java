package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.traefikha.api.ClusterPhase;
import io.traefikha.api.Condition;
import io.traefikha.api.DeletionPolicy;
import io.traefikha.api.ExampleSpecs;
import io.traefikha.api.SyncSpec.SyncMode;
import io.traefikha.api.TraefikHACluster;
import io.traefikha.keepalived.Role;
import io.traefikha.node.RemoteFile;
import io.traefikha.reconciler.plan.ManagedFile;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.sync.LsyncdRenderer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcile chain's sync daemon (lsyncd kept running in Lsyncd mode, repaired when stopped, stopped when the mode
 * changes) and the safety net (files the operator wrote put back on Rollback), against in-memory Proxmox and nodes.
 */
class SyncDaemonAndSafetyNetTest {

    private static final Duration PERIOD = Duration.ofSeconds(15);
    private static final String CONF = "/etc/keepalived/keepalived.conf";
    private static final Map<Role, List<ManagedFile>> FILES = Map.of(
            Role.PRIMARY, List.of(new ManagedFile(RemoteFile.rootOwned(CONF, "state MASTER", 0644), true)),
            Role.SECONDARY, List.of(new ManagedFile(RemoteFile.rootOwned(CONF, "state BACKUP", 0644), true)));

    private final FakeProxmox proxmox = new FakeProxmox();
    private final SimulatedNodes nodes = new SimulatedNodes();
    private final RecordingEvents events = new RecordingEvents();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events, new ReconcileMetrics(registry),
            Clock.fixed(Instant.parse("2026-11-25T08:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(5));
    private TraefikHACluster resource;

    @BeforeEach
    void resource() {
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid("5f1e0c3a-0000-4000-8000-000000000002");
        resource.getMetadata().setGeneration(1L);
    }

    @Test
    void lsyncdIsInstalledOnceBothNodesAnswerAndThenLeftAlone() {
        reconcileUntilReady();

        SimulatedNodes.Node primary = nodes.nodes.get(Role.PRIMARY);
        assertThat(primary.lsyncdActive).isTrue();
        assertThat(primary.lsyncdEnabled).isTrue();
        assertThat(primary.files).containsKey(LsyncdRenderer.CONFIG_PATH);
        assertThat(nodes.nodes.get(Role.SECONDARY).syncKey).isEqualTo(connections().syncKey().publicKey());
        assertThat(condition(ConditionTypes.LSYNCD_RUNNING).status).isEqualTo(Condition.TRUE);
        assertThat(events.reasons()).containsOnlyOnce("LsyncdConfigured");

        int rounds = nodes.lsyncdRounds;
        reconcile();

        assertThat(nodes.lsyncdRounds).as("probed every period").isEqualTo(rounds + 1);
        assertThat(events.reasons()).containsOnlyOnce("LsyncdConfigured").doesNotContain("LsyncdRepaired");
    }

    @Test
    void aStoppedLsyncdIsStartedAgainWithAnEventAndAMetric() {
        reconcileUntilReady();
        nodes.nodes.get(Role.PRIMARY).lsyncdActive = false;

        reconcile();

        assertThat(nodes.nodes.get(Role.PRIMARY).lsyncdActive).isTrue();
        assertThat(events.recorded).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("LsyncdRepaired");
        });
        assertThat(condition(ConditionTypes.LSYNCD_RUNNING).reason).isEqualTo("Repaired");
        assertThat(registry.get("traefikha.repairs").tag("kind", "LsyncdStart").counter().count()).isEqualTo(1);
    }

    @Test
    void aChangedDelayRewritesTheConfigurationAndRestartsLsyncd() {
        reconcileUntilReady();
        String before = nodes.nodes.get(Role.PRIMARY).files.get(LsyncdRenderer.CONFIG_PATH);
        resource.getSpec().sync.delay = "3s";

        reconcile();

        assertThat(nodes.nodes.get(Role.PRIMARY).files.get(LsyncdRenderer.CONFIG_PATH)).isNotEqualTo(before);
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("LsyncdConfigured")).last()
                .satisfies(e -> assertThat(e.message()).contains(LsyncdRenderer.CONFIG_PATH).endsWith("and restarted"));
    }

    @Test
    void pushModeRunsNoDaemonAndStopsTheLsyncdTheOperatorRanBefore() {
        reconcileUntilReady();
        resource.getSpec().sync.mode = SyncMode.Push;

        reconcile();
        reconcile();

        assertThat(nodes.nodes.get(Role.PRIMARY).lsyncdActive).isFalse();
        assertThat(nodes.nodes.get(Role.PRIMARY).lsyncdEnabled).isFalse();
        assertThat(condition(ConditionTypes.LSYNCD_RUNNING).reason).isEqualTo("NotUsed");
        assertThat(events.reasons()).containsOnlyOnce("LsyncdStopped");
    }

    @Test
    void pushModeFromTheStartNeverTouchesLsyncd() {
        resource.getSpec().sync.mode = SyncMode.Push;

        reconcileUntilReady();

        assertThat(nodes.lsyncdRounds).isZero();
        assertThat(condition(ConditionTypes.LSYNCD_RUNNING)).isNull();
    }

    @Test
    void dryRunPlansLsyncdWithoutInstallingIt() {
        reconcileUntilReady();
        resource.getSpec().dryRun = true;
        nodes.nodes.get(Role.PRIMARY).lsyncdActive = false;
        int rounds = nodes.lsyncdRounds;

        reconcile();

        assertThat(nodes.lsyncdRounds).isEqualTo(rounds);
        assertThat(resource.getStatus().plannedActions).anySatisfy(a -> assertThat(a).startsWith("install lsyncd"));
    }

    @Test
    void rollbackPutsBackTheFilesTheOperatorChangedAndRemovesTheOnesItCreated() {
        SimulatedNodes.Node primary = nodes.nodes.get(Role.PRIMARY);
        primary.files.put(CONF, "the seed's hand-made keepalived.conf");
        reconcileUntilReady();
        assertThat(primary.files.get(CONF)).isEqualTo(FILES.get(Role.PRIMARY).get(0).sha256());
        resource.getSpec().deletionPolicy = DeletionPolicy.Rollback;

        assertThat(reconciliation.cleanup(resource, new StatusAggregator(resource, Clock.systemUTC()), connections())).isTrue();

        assertThat(primary.files).containsEntry(CONF, "the seed's hand-made keepalived.conf")
                .doesNotContainKeys(LsyncdRenderer.CONFIG_PATH, LsyncdRenderer.KEY_PATH);
        assertThat(nodes.nodes.get(Role.SECONDARY).files).doesNotContainKey(CONF);
        assertThat(nodes.nodes.get(Role.SECONDARY).syncKey).isNull();
        assertThat(primary.lsyncdActive).isFalse();
        assertThat(primary.active).isFalse();
        assertThat(proxmox.primary.running()).isTrue();
    }

    private void reconcileUntilReady() {
        for (int round = 1; round <= 10; round++) {
            reconcile();
            if (resource.getStatus().phase == ClusterPhase.Ready) {
                return;
            }
        }
        throw new AssertionError("not Ready after 10 rounds: " + resource.getStatus().conditions.stream()
                .map(c -> c.type + "=" + c.status + " " + c.message).toList());
    }

    private void reconcile() {
        StatusAggregator status = new StatusAggregator(resource, Clock.systemUTC());
        status.condition(ConditionTypes.VALID, true, "SpecValid", "ok");
        reconciliation.run(resource, status, connections(), PERIOD);
        resource.setStatus(status.build());
    }

    private ClusterConnections connections() {
        return new FixedConnections(proxmox, nodes, FILES, Optional.empty(), new FixedConnections.MemoryRegistry());
    }

    private Condition condition(String type) {
        return StatusAggregator.find(resource.getStatus().conditions, type);
    }
}
