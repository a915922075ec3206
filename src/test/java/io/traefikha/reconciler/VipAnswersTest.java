package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.planner.VipAnswerPlanner;
import org.junit.jupiter.api.Test;

/**
 * VIPHealthy from what the VIP answers, through the whole reconcile chain against the simulated nodes: a VIP that is held
 * by a healthy node but hangs is NotAnswering with one Warning Event, answering again is told once; the entry points'
 * answers are in status.vip; with no holder the message says which part of the health check fails on each node.
 */
class VipAnswersTest extends InMemoryChainTest {

    @Test
    void aHeldVipThatHangsIsNotAnsweringUntilItAnswersAgain() {
        reconcileUntilReady();
        assertThat(resource.getStatus().vip.entryPoints).extracting(e -> e.name + ":" + e.port + ":" + e.answered + ":"
                + e.statusCode).containsExactly("http:80:true:404", "https:443:true:404");
        assertThat(resource.getStatus().vip.entryPoints).allSatisfy(e -> assertThat(e.checkedAt).isNotNull());
        assertThat(condition(ConditionTypes.VIP_HEALTHY).status).isEqualTo(Condition.TRUE);

        nodes.hangVip(true);
        reconcile();

        assertThat(condition(ConditionTypes.VIP_HEALTHY)).satisfies(c -> {
            assertThat(c.status).isEqualTo(Condition.FALSE);
            assertThat(c.reason).isEqualTo(VipAnswerPlanner.NOT_ANSWERING);
            assertThat(c.message).isEqualTo("the primary holds the VIP but it does not answer clients: http (port 80): no"
                    + " answer within 2000 ms (after 2000 ms); https (port 443): no answer within 2000 ms (after 2000 ms)");
        });
        assertThat(resource.getStatus().phase).isNotEqualTo(ClusterPhase.Ready);
        assertThat(resource.getStatus().vip.holder).as("keepalived keeps it: the health check passes").isNotEmpty();
        assertThat(resource.getStatus().vip.entryPoints).allSatisfy(e -> {
            assertThat(e.answered).isFalse();
            assertThat(e.statusCode).isNull();
            assertThat(e.error).isEqualTo("no answer within 2000 ms");
        });
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("VIPNotAnswering")).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo("Warning"));

        reconcile();
        assertThat(events.reasons()).as("told once while it lasts").containsOnlyOnce("VIPNotAnswering");

        nodes.hangVip(false);
        reconcile();

        assertThat(condition(ConditionTypes.VIP_HEALTHY).status).isEqualTo(Condition.TRUE);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("VIPAnswering")).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("the VIP answers clients again: http (port 80) answered"
                        + " 404 in 1 ms"));
        reconcile();
        assertThat(events.reasons()).containsOnlyOnce("VIPAnswering");
    }

    @Test
    void withNoHolderTheMessageSaysWhyOnEachNode() {
        reconcileUntilReady();
        nodes.traefikDies(Role.PRIMARY);
        nodes.traefikDies(Role.SECONDARY);
        reconcile();

        assertThat(condition(ConditionTypes.VIP_HEALTHY)).satisfies(c -> {
            assertThat(c.status).isEqualTo(Condition.FALSE);
            assertThat(c.reason).isEqualTo(VipAnswerPlanner.NO_HOLDER);
            assertThat(c.message).startsWith("no node holds the VIP: the health check fails on both nodes (the primary: ");
        });
        assertThat(resource.getStatus().vip.entryPoints).allSatisfy(e -> assertThat(e.error).isEqualTo("connection refused"));
        assertThat(events.reasons()).as("no holder is a failover's business, not this check's").doesNotContain("VIPNotAnswering");
    }
}
