package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.LoadedRouters;
import io.traefikha.domain.Role;
import io.traefikha.planner.RoutesPlanner;
import io.traefikha.simulator.node.SimulatedNodes;
import org.junit.jupiter.api.Test;

/**
 * RoutesMatch through the whole reconcile chain against the simulated nodes: a router the secondary's Traefik left out
 * while the files are the same turns the pair Degraded with a Warning Event naming it, and a reload makes it Ready
 * again with a Normal Event; a difference while the files just changed is not yet a failure.
 */
class RoutesMatchTest extends InMemoryChainTest {

    @Test
    void aRouterTheSecondaryDidNotLoadIsNamedUntilItReloads() {
        reconcileUntilReady();
        assertThat(condition(ConditionTypes.ROUTES_MATCH)).satisfies(c -> {
            assertThat(c.status).isEqualTo(Condition.TRUE);
            assertThat(c.message).startsWith("both nodes have loaded the same 3 routers");
        });
        String loaded = LoadedRouters.of(SimulatedNodes.DEFAULT_ROUTERS).sha256();
        assertThat(resource.getStatus().nodes).allSatisfy(node -> {
            assertThat(node.routers).isEqualTo(3);
            assertThat(node.routersHash).isEqualTo(loaded);
            assertThat(node.configHash).as("the synced tree, the memory of the next look").isEqualTo("same");
        });

        assertThat(nodes.dropRouter(Role.SECONDARY, "whoami@file")).isTrue();
        reconcile();

        assertThat(condition(ConditionTypes.ROUTES_MATCH)).satisfies(c -> {
            assertThat(c.status).isEqualTo(Condition.FALSE);
            assertThat(c.reason).isEqualTo(RoutesPlanner.DIFFER);
            assertThat(c.message).contains("the secondary lacks whoami@file (3 routers on the primary, 2 on the secondary)");
        });
        assertThat(resource.getStatus().phase).as("never Ready while the secondary would serve other routes")
                .isEqualTo(ClusterPhase.Degraded);
        assertThat(condition(ConditionTypes.READY).message).startsWith("RoutesMatch: ");
        assertThat(secondary().routers).isEqualTo(2);
        assertThat(secondary().routersHash).isNotEqualTo(loaded);
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("RoutesDiffer")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("the secondary lacks whoami@file"));

        reconcile();

        assertThat(events.reasons()).as("the same difference is told once").containsOnlyOnce("RoutesDiffer");

        nodes.reloadTraefik(Role.SECONDARY);
        reconcile();

        assertThat(condition(ConditionTypes.ROUTES_MATCH).status).isEqualTo(Condition.TRUE);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("RoutesMatch")).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo("Normal"));
    }

    @Test
    void aDifferenceRightAfterTheFilesChangedIsJudgedOnlyAtTheNextLook() {
        reconcileUntilReady();
        nodes.nodes.values().forEach(node -> node.configHash = "edited");
        nodes.dropRouter(Role.SECONDARY, "whoami@file");

        reconcile();

        assertThat(condition(ConditionTypes.ROUTES_MATCH)).satisfies(c -> {
            assertThat(c.status).isEqualTo(Condition.UNKNOWN);
            assertThat(c.reason).isEqualTo(RoutesPlanner.FILES_CHANGED);
        });
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(events.reasons()).doesNotContain("RoutesDiffer");

        reconcile();

        assertThat(condition(ConditionTypes.ROUTES_MATCH).reason).as("a period later, still different: a failure")
                .isEqualTo(RoutesPlanner.DIFFER);
    }

    private NodeStatus secondary() {
        return resource.getStatus().nodes.stream().filter(n -> "secondary".equals(n.role)).findFirst().orElseThrow();
    }
}
