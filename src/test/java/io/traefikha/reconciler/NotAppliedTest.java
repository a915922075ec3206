package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.Role;
import io.traefikha.planner.NodePlanner;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.sync.LsyncdRenderer;
import org.junit.jupiter.api.Test;

/**
 * Written is not applied, through the whole reconcile chain against the simulated nodes: a configuration on disk that
 * keepalived or lsyncd has not taken up keeps its condition False with reason NotApplied until a later period has
 * reloaded (or restarted) the daemon, which is not rewritten for it.
 */
class NotAppliedTest extends InMemoryChainTest {

    private static final String OLDER = "0".repeat(64);

    @Test
    void aFailedReloadKeepsKeepalivedConfiguredFalseUntilTheNextPeriodReloads() {
        reconcileUntilReady();
        SimulatedNodes.Node secondary = nodes.nodes.get(Role.SECONDARY);
        secondary.files.put(CONF, "edited by hand");
        secondary.failingReloads = 1;

        reconcile();

        assertThat(condition(ConditionTypes.KEEPALIVED_CONFIGURED).reason).isEqualTo("Configuring");
        assertThat(condition(ConditionTypes.READY).reason).isEqualTo("ActionFailed");
        assertThat(secondary.loaded).as("the write voided the record; the failed reload recorded nothing").isEmpty();
        int writes = writes();

        reconcile();

        assertThat(condition(ConditionTypes.KEEPALIVED_CONFIGURED)).satisfies(c -> {
            assertThat(c.status).isEqualTo(Condition.FALSE);
            assertThat(c.reason).isEqualTo(NodePlanner.NOT_APPLIED);
            assertThat(c.message).isEqualTo("written to the secondary but keepalived runs an older configuration; reloading");
        });
        assertThat(nodes.applied).endsWith(new NodeAction.ReloadService(Role.SECONDARY, "keepalived", NodeAction.NOT_APPLIED));
        assertThat(writes()).as("reloaded, not rewritten").isEqualTo(writes);

        reconcile();

        assertThat(condition(ConditionTypes.KEEPALIVED_CONFIGURED).status).isEqualTo(Condition.TRUE);
        assertThat(condition(ConditionTypes.READY).status).isEqualTo(Condition.TRUE);
    }

    @Test
    void aConfigurationWrittenByAnOperatorThatStoppedBeforeTheReloadIsReloadedByTheNextPeriod() {
        reconcileUntilReady();
        nodes.nodes.get(Role.PRIMARY).loaded.put(CONF, OLDER); // the disk has what is wanted, keepalived runs the older
        int writes = writes();

        reconcile();

        assertThat(condition(ConditionTypes.KEEPALIVED_CONFIGURED).reason).isEqualTo(NodePlanner.NOT_APPLIED);
        assertThat(nodes.applied).endsWith(new NodeAction.ReloadService(Role.PRIMARY, "keepalived", NodeAction.NOT_APPLIED));
        assertThat(writes()).isEqualTo(writes);
        assertThat(events.recorded).anySatisfy(e -> assertThat(e.message())
                .isEqualTo("reload keepalived on the primary (" + NodeAction.NOT_APPLIED + ")"));

        reconcile();

        assertThat(condition(ConditionTypes.KEEPALIVED_CONFIGURED).status).isEqualTo(Condition.TRUE);
    }

    @Test
    void lsyncdRunningAnOlderConfigurationIsRestartedAndLsyncdRunningFalseUntilTheNextLook() {
        reconcileUntilReady();
        nodes.nodes.get(Role.PRIMARY).loaded.put(LsyncdRenderer.CONFIG_PATH, OLDER);

        reconcile();

        assertThat(condition(ConditionTypes.LSYNCD_RUNNING)).satisfies(c -> {
            assertThat(c.status).isEqualTo(Condition.FALSE);
            assertThat(c.reason).isEqualTo(NodePlanner.NOT_APPLIED);
            assertThat(c.message).contains("lsyncd ran an older configuration");
        });
        assertThat(registry.get("traefikha.repairs").tag("kind", "LsyncdApply").counter().count()).isEqualTo(1);
        assertThat(nodes.nodes.get(Role.PRIMARY).loaded.get(LsyncdRenderer.CONFIG_PATH)).isNotEqualTo(OLDER);

        reconcile();

        assertThat(condition(ConditionTypes.LSYNCD_RUNNING).status).isEqualTo(Condition.TRUE);
        assertThat(condition(ConditionTypes.LSYNCD_RUNNING).reason).isEqualTo("Running");
    }

    private int writes() {
        return (int) nodes.applied.stream().filter(a -> a instanceof NodeAction.WriteFile).count();
    }
}
