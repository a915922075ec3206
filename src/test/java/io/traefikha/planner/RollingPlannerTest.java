package io.traefikha.planner;

import static io.traefikha.domain.Role.PRIMARY;
import static io.traefikha.domain.Role.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import io.traefikha.planner.RollingPlanner.Decision;
import io.traefikha.planner.RollingPlanner.Kind;
import io.traefikha.planner.RollingPlanner.Memory;
import io.traefikha.planner.RollingPlanner.Phase;
import io.traefikha.planner.RollingPlanner.Request;
import io.traefikha.planner.RollingPlanner.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A rolling upgrade step by step, as successive reconciles see the nodes. */
class RollingPlannerTest {

    private static final Request UPGRADE = new Request(Kind.Upgrade, "3.2.0", "install-traefik 3.2.0");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    /** One node: holds the VIP or not, Traefik healthy or not, routers, version, job line. */
    private static NodeObservation node(Role role, boolean vip, boolean healthy, int routers, String version, String job) {
        return new NodeObservation(role, true, null, true, true, true, healthy, vip, vip ? "MASTER" : healthy ? "BACKUP" : "FAULT",
                Map.of(), routers, version, NodeObservation.Job.parse(job));
    }

    private static Map<Role, NodeObservation> nodes(NodeObservation primary, NodeObservation secondary) {
        Map<Role, NodeObservation> nodes = new TreeMap<>();
        nodes.put(PRIMARY, primary);
        nodes.put(SECONDARY, secondary);
        return nodes;
    }

    private static final Role SECONDARY_2 = Role.of(2);

    private static Map<Role, NodeObservation> nodes(NodeObservation primary, NodeObservation secondary,
            NodeObservation secondary2) {
        Map<Role, NodeObservation> nodes = nodes(primary, secondary);
        nodes.put(SECONDARY_2, secondary2);
        return nodes;
    }

    private static Decision next(Memory memory, Map<Role, NodeObservation> nodes, Instant now) {
        HandoverPlanner.Memory handover = null;
        return RollingPlanner.next(UPGRADE, memory, nodes, handover, true, now, TIMEOUT);
    }

    @Test
    void theNodeWithoutTheVipGoesFirstThenTheVipMovesThenTheOtherThenItFailsBack() {
        // Start: the primary serves, both on 3.1.0 with 5 routers. The secondary is upgraded first, the VIP stays put.
        Decision start = next(null, nodes(node(PRIMARY, true, true, 5, "3.1.0", null),
                node(SECONDARY, false, true, 5, "3.1.0", null)), T0);
        assertThat(start.memory().phase()).isEqualTo(Phase.InProgress);
        assertThat(start.memory().step()).isEqualTo(Step.Apply);
        assertThat(start.memory().node()).isEqualTo(SECONDARY);
        assertThat(start.actions()).containsExactly(new NodeAction.StartJob(SECONDARY, "upgrade-secondary-" + T0.getEpochSecond(),
                "install-traefik 3.2.0", "upgrade of Traefik to 3.2.0"));
        assertThat(start.placement().to()).isEqualTo(PRIMARY);
        String firstJob = start.memory().jobId();

        // The command still runs: wait, nothing new.
        Decision running = next(start.memory(), nodes(node(PRIMARY, true, true, 5, "3.1.0", null),
                node(SECONDARY, false, false, -1, null, firstJob + " running")), T0.plusSeconds(5));
        assertThat(running.actions()).isEmpty();
        assertThat(running.memory()).isEqualTo(start.memory());

        // Done and verified: the VIP is handed to the secondary (pinned there), nothing runs on the primary yet.
        Decision verified = next(running.memory(), nodes(node(PRIMARY, true, true, 5, "3.1.0", null),
                node(SECONDARY, false, true, 5, "3.2.0", firstJob + " exit=0")), T0.plusSeconds(10));
        assertThat(verified.memory().step()).isEqualTo(Step.HandOver);
        assertThat(verified.memory().node()).isEqualTo(SECONDARY);
        assertThat(verified.placement().to()).isEqualTo(SECONDARY);
        assertThat(verified.actions()).isEmpty();

        // The secondary holds the VIP: now the primary is upgraded, the VIP kept on the secondary.
        Decision second = next(verified.memory(), nodes(node(PRIMARY, false, true, 5, "3.1.0", null),
                node(SECONDARY, true, true, 5, "3.2.0", firstJob + " exit=0")), T0.plusSeconds(15));
        assertThat(second.memory().step()).isEqualTo(Step.Apply);
        assertThat(second.memory().node()).isEqualTo(PRIMARY);
        assertThat(second.actions()).singleElement().isInstanceOf(NodeAction.StartJob.class)
                .extracting(NodeAction::role).isEqualTo(PRIMARY);
        assertThat(second.placement().to()).isEqualTo(SECONDARY);

        // The primary is verified: with preemption the VIP goes back to it.
        String secondJob = second.memory().jobId();
        Decision failBack = next(second.memory(), nodes(node(PRIMARY, false, true, 6, "3.2.0", secondJob + " exit=0"),
                node(SECONDARY, true, true, 5, "3.2.0", firstJob + " exit=0")), T0.plusSeconds(20));
        assertThat(failBack.memory().step()).isEqualTo(Step.FailBack);
        assertThat(failBack.placement().to()).isEqualTo(PRIMARY);

        Decision done = next(failBack.memory(), nodes(node(PRIMARY, true, true, 6, "3.2.0", secondJob + " exit=0"),
                node(SECONDARY, false, true, 5, "3.2.0", firstJob + " exit=0")), T0.plusSeconds(25));
        assertThat(done.memory().phase()).isEqualTo(Phase.Succeeded);
        assertThat(done.placement()).as("the spec's own priorities again").isNull();
        assertThat(done.notes()).extracting(RollingPlanner.Note::reason).contains("RolloutSucceeded");

        // Finished stays finished.
        assertThat(next(done.memory(), nodes(node(PRIMARY, true, true, 6, "3.2.0", null),
                node(SECONDARY, false, true, 5, "3.2.0", null)), T0.plusSeconds(30)).actions()).isEmpty();
    }

    @Test
    void aNodeIsVerifiedOnlyOnceItsKeepalivedHasLeftFault() {
        Decision start = next(null, nodes(node(PRIMARY, true, true, 5, "3.1.0", null),
                node(SECONDARY, false, true, 5, "3.1.0", null)), T0);
        String job = start.memory().jobId();
        NodeObservation healthyButFault = new NodeObservation(SECONDARY, true, null, true, true, true, true, false, "FAULT",
                Map.of(), 5, "3.2.0", NodeObservation.Job.parse(job + " exit=0"));

        Decision waiting = next(start.memory(), nodes(node(PRIMARY, true, true, 5, "3.1.0", null), healthyButFault),
                T0.plusSeconds(5));
        assertThat(waiting.memory().step()).as("Traefik answers, keepalived's track script has not seen it yet")
                .isEqualTo(Step.Verify);
        assertThat(waiting.placement().to()).isEqualTo(PRIMARY);
        assertThat(waiting.notes()).extracting(RollingPlanner.Note::reason).doesNotContain("RolloutFailed");

        Decision late = next(waiting.memory(), nodes(node(PRIMARY, true, true, 5, "3.1.0", null), healthyButFault),
                T0.plusSeconds(306));
        assertThat(late.memory().phase()).isEqualTo(Phase.Failed);
        assertThat(late.memory().message()).contains("its keepalived is in FAULT");

        Decision verified = next(waiting.memory(), nodes(node(PRIMARY, true, true, 5, "3.1.0", null),
                node(SECONDARY, false, true, 5, "3.2.0", job + " exit=0")), T0.plusSeconds(8));
        assertThat(verified.memory().step()).isEqualTo(Step.HandOver);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ping fails after the upgrade       | false | 5 | 3.2.0 | 0 | 306 | Verify | not healthy after 300 s",
            "fewer routers than before          | true  | 4 | 3.2.0 | 0 | 306 | Verify | 4 routers loaded, fewer than the 5 before",
            "the command reports another version | true  | 5 | 3.1.9 | 0 | 306 | Verify | reports version 3.1.9, not 3.2.0",
            "the command fails                  | true  | 5 | 3.1.0 | 2 | 5   | Apply  | exited 2"})
    void aFailedFirstNodeStopsTheRolloutWithTheVipOnTheHealthyNode(String name, boolean healthy, int routers, String version,
            int exit, int after, Step failedStep, String why) {
        Decision start = next(null, nodes(node(PRIMARY, true, true, 5, "3.1.0", null),
                node(SECONDARY, false, true, 5, "3.1.0", null)), T0);
        Map<Role, NodeObservation> broken = nodes(node(PRIMARY, true, true, 5, "3.1.0", null),
                node(SECONDARY, false, healthy, routers, version, start.memory().jobId() + " exit=" + exit));

        Decision early = next(start.memory(), broken, T0.plusSeconds(5));
        Decision failed = exit != 0 ? early : next(early.memory(), broken, T0.plusSeconds(after));

        assertThat(failed.memory().phase()).isEqualTo(Phase.Failed);
        assertThat(failed.memory().step()).isEqualTo(failedStep);
        assertThat(failed.memory().node()).isEqualTo(SECONDARY);
        assertThat(failed.memory().message()).contains(why).contains("The VIP stays on the primary");
        assertThat(failed.placement().to()).isEqualTo(PRIMARY);
        assertThat(failed.notes()).extracting(RollingPlanner.Note::reason).containsExactly("RolloutFailed");
        // Later rounds: nothing more runs, the VIP stays pinned to the primary.
        Decision later = next(failed.memory(), broken, T0.plusSeconds(600));
        assertThat(later.actions()).isEmpty();
        assertThat(later.placement().to()).isEqualTo(PRIMARY);
    }

    @Test
    void aRolloutWaitsWhileANodeIsUnhealthyAndNeverStartsOnTheVipHolder() {
        Decision waiting = next(null, nodes(node(PRIMARY, true, true, 5, "3.1.0", null),
                node(SECONDARY, false, false, 5, "3.1.0", null)), T0);

        assertThat(waiting.memory().phase()).isEqualTo(Phase.Pending);
        assertThat(waiting.memory().message()).contains("the secondary is not ready: its Traefik is not healthy");
        assertThat(waiting.actions()).isEmpty();
        assertThat(waiting.placement()).isNull();
    }

    @Test
    void whenTheSecondaryServesThePrimaryGoesFirstAndNoFailBackIsNeeded() {
        Decision start = next(null, nodes(node(PRIMARY, false, true, 5, "3.1.0", null),
                node(SECONDARY, true, true, 5, "3.1.0", null)), T0);
        assertThat(start.memory().node()).isEqualTo(PRIMARY);
        Decision handOver = next(start.memory(), nodes(node(PRIMARY, false, true, 5, "3.2.0", start.memory().jobId() + " exit=0"),
                node(SECONDARY, true, true, 5, "3.1.0", null)), T0.plusSeconds(5));
        assertThat(handOver.memory().step()).isEqualTo(Step.HandOver);
        Decision second = next(handOver.memory(), nodes(node(PRIMARY, true, true, 5, "3.2.0", null),
                node(SECONDARY, false, true, 5, "3.1.0", null)), T0.plusSeconds(10));
        Decision done = next(second.memory(), nodes(node(PRIMARY, true, true, 5, "3.2.0", null),
                node(SECONDARY, false, true, 5, "3.2.0", second.memory().jobId() + " exit=0")), T0.plusSeconds(15));

        assertThat(done.memory().phase()).isEqualTo(Phase.Succeeded);
        assertThat(List.of(start, second)).extracting(d -> d.actions().get(0).role()).containsExactly(PRIMARY, SECONDARY);
    }

    @Test
    void anUpgradeRemovedMidwayIsCancelledAndMovesNothingMore() {
        Decision start = next(null, nodes(node(PRIMARY, true, true, 5, "3.1.0", null),
                node(SECONDARY, false, true, 5, "3.1.0", null)), T0);

        Decision cancelled = RollingPlanner.next(null, start.memory(), Map.of(), null, true, T0.plusSeconds(5), TIMEOUT);

        assertThat(cancelled.memory().phase()).isEqualTo(Phase.Failed);
        assertThat(cancelled.memory().message()).contains("cancelled");
        assertThat(cancelled.placement()).isNull();
    }

    @Test
    void withThreeReplicasTheOthersGoOneAtATimeWhileTheHolderServesThenTheHolderGoesLast() {
        NodeObservation primaryServes = node(PRIMARY, true, true, 5, "3.1.0", null);
        Decision start = next(null, nodes(primaryServes, node(SECONDARY, false, true, 5, "3.1.0", null),
                node(SECONDARY_2, false, true, 5, "3.1.0", null)), T0);
        assertThat(start.memory().first()).isEqualTo(SECONDARY);
        assertThat(start.memory().last()).isEqualTo(PRIMARY);
        assertThat(start.actions()).extracting(NodeAction::role).containsExactly(SECONDARY);
        assertThat(start.placement().to()).isEqualTo(PRIMARY);
        NodeObservation secondaryDone = node(SECONDARY, false, true, 5, "3.2.0", start.memory().jobId() + " exit=0");

        // The secondary verified: the second secondary next, the VIP still on the primary (no handover yet).
        Decision third = next(start.memory(), nodes(primaryServes, secondaryDone,
                node(SECONDARY_2, false, true, 5, "3.1.0", null)), T0.plusSeconds(5));
        assertThat(third.memory().step()).isEqualTo(Step.Apply);
        assertThat(third.actions()).extracting(NodeAction::role).containsExactly(SECONDARY_2);
        assertThat(third.placement().to()).isEqualTo(PRIMARY);
        assertThat(third.notes()).extracting(RollingPlanner.Note::message)
                .containsExactly("Traefik on the secondary verified after upgrade of Traefik to 3.2.0",
                        "upgrade of Traefik to 3.2.0 on the secondary-2 while the primary serves the VIP");
        NodeObservation secondary2Done = node(SECONDARY_2, false, true, 5, "3.2.0", third.memory().jobId() + " exit=0");

        // Both secondaries done: the VIP goes to the one that went first before the primary is touched.
        Decision handOver = next(third.memory(), nodes(primaryServes, secondaryDone, secondary2Done), T0.plusSeconds(10));
        assertThat(handOver.memory().step()).isEqualTo(Step.HandOver);
        assertThat(handOver.placement().to()).isEqualTo(SECONDARY);
        assertThat(handOver.actions()).isEmpty();

        NodeObservation secondaryServes = node(SECONDARY, true, true, 5, "3.2.0", null);
        Decision last = next(handOver.memory(), nodes(node(PRIMARY, false, true, 5, "3.1.0", null), secondaryServes,
                secondary2Done), T0.plusSeconds(15));
        assertThat(last.actions()).extracting(NodeAction::role).containsExactly(PRIMARY);
        assertThat(last.placement().to()).isEqualTo(SECONDARY);

        Decision failBack = next(last.memory(), nodes(node(PRIMARY, false, true, 5, "3.2.0", last.memory().jobId()
                + " exit=0"), secondaryServes, secondary2Done), T0.plusSeconds(20));
        assertThat(failBack.memory().step()).isEqualTo(Step.FailBack);
        assertThat(failBack.placement().to()).isEqualTo(PRIMARY);

        Decision done = next(failBack.memory(), nodes(node(PRIMARY, true, true, 5, "3.2.0", null),
                node(SECONDARY, false, true, 5, "3.2.0", null), secondary2Done), T0.plusSeconds(25));
        assertThat(done.memory().phase()).isEqualTo(Phase.Succeeded);
        assertThat(done.memory().message()).isEqualTo("Upgrade 3.2.0 done on all 3 nodes");
    }

    @Test
    void withThreeReplicasAFailedMiddleNodeKeepsTheVipOnTheHolderAndTouchesNoOtherNode() {
        NodeObservation primaryServes = node(PRIMARY, true, true, 5, "3.1.0", null);
        Decision start = next(null, nodes(primaryServes, node(SECONDARY, false, true, 5, "3.1.0", null),
                node(SECONDARY_2, false, true, 5, "3.1.0", null)), T0);
        NodeObservation secondaryDone = node(SECONDARY, false, true, 5, "3.2.0", start.memory().jobId() + " exit=0");
        Decision third = next(start.memory(), nodes(primaryServes, secondaryDone,
                node(SECONDARY_2, false, true, 5, "3.1.0", null)), T0.plusSeconds(5));

        Map<Role, NodeObservation> broken = nodes(primaryServes, secondaryDone,
                node(SECONDARY_2, false, true, 5, "3.1.0", third.memory().jobId() + " exit=3"));
        Decision failed = next(third.memory(), broken, T0.plusSeconds(10));

        assertThat(failed.memory().phase()).isEqualTo(Phase.Failed);
        assertThat(failed.memory().message()).contains("step Apply on the secondary-2 failed: 'install-traefik 3.2.0'"
                + " exited 3").contains("The VIP stays on the primary");
        assertThat(failed.placement().to()).isEqualTo(PRIMARY);
        assertThat(next(failed.memory(), broken, T0.plusSeconds(600)).actions()).isEmpty();
    }

    @Test
    void withThreeReplicasAndTheSecondaryServingThePrimaryAndTheSecondSecondaryGoFirstAndThePrimaryTakesTheVip() {
        NodeObservation secondaryServes = node(SECONDARY, true, true, 5, "3.1.0", null);
        Decision start = next(null, nodes(node(PRIMARY, false, true, 5, "3.1.0", null), secondaryServes,
                node(SECONDARY_2, false, true, 5, "3.1.0", null)), T0);
        assertThat(start.actions()).extracting(NodeAction::role).containsExactly(PRIMARY);
        NodeObservation primaryDone = node(PRIMARY, false, true, 5, "3.2.0", start.memory().jobId() + " exit=0");
        Decision third = next(start.memory(), nodes(primaryDone, secondaryServes,
                node(SECONDARY_2, false, true, 5, "3.1.0", null)), T0.plusSeconds(5));
        assertThat(third.actions()).extracting(NodeAction::role).containsExactly(SECONDARY_2);
        Decision handOver = next(third.memory(), nodes(primaryDone, secondaryServes,
                node(SECONDARY_2, false, true, 5, "3.2.0", third.memory().jobId() + " exit=0")), T0.plusSeconds(10));
        assertThat(handOver.placement().to()).as("the primary went first and takes the VIP").isEqualTo(PRIMARY);
        Decision last = next(handOver.memory(), nodes(node(PRIMARY, true, true, 5, "3.2.0", null),
                node(SECONDARY, false, true, 5, "3.1.0", null), node(SECONDARY_2, false, true, 5, "3.2.0", null)),
                T0.plusSeconds(15));
        assertThat(last.actions()).extracting(NodeAction::role).containsExactly(SECONDARY);
        Decision done = next(last.memory(), nodes(node(PRIMARY, true, true, 5, "3.2.0", null),
                node(SECONDARY, false, true, 5, "3.2.0", last.memory().jobId() + " exit=0"),
                node(SECONDARY_2, false, true, 5, "3.2.0", null)), T0.plusSeconds(20));
        assertThat(done.memory().phase()).as("the VIP is already on the primary: no fail-back").isEqualTo(Phase.Succeeded);
    }
}
