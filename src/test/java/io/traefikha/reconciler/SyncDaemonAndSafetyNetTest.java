package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.StatusAggregator;
import io.traefikha.sync.LsyncdRenderer;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * The reconcile chain's sync daemon (lsyncd kept running in Lsyncd mode, repaired when stopped, stopped when the mode
 * changes) and the safety net (files the operator wrote put back on Rollback), against in-memory Proxmox and nodes.
 */
class SyncDaemonAndSafetyNetTest extends InMemoryChainTest {

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
}
