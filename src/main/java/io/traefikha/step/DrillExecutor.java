package io.traefikha.step;

import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.domain.Action;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.planner.DrillPlanner;
import io.traefikha.planner.DrillTimeline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Carries out one failover drill, bounded in time: record it as Running (write-ahead), start probing the VIP, stop the
 * service (or the whole container) on the node holding the VIP, wait until the other node holds it, start it again
 * (always, in a finally), wait for the failback when preemption is on, and measure both gaps from the probe's samples.
 * A stopped container answers no probe, which counts as not holding the VIP.
 *
 * <p>It runs on the reconcile thread on purpose: the reconcile of this resource is paused meanwhile, so the keepalived
 * repairs of the chain cannot undo a drill halfway (a stopped keepalived would be started again), and the SSH sessions
 * of this reconcile stay open for the restart. A drill takes seconds ({@link Timing}); only the 10 ms probe runs on a
 * thread of its own ({@link VipGapSampler}).
 */
public final class DrillExecutor {

    /**
     * How long a drill may take.
     *
     * @param failoverLimit how long the other node may take to hold the VIP (and the drilled one to take it back,
     *                      plus vip.preemptDelay)
     * @param settle        how long to keep probing after the VIP moved, so its new holder is seen answering
     * @param holderPoll    how often the nodes are asked who holds the VIP
     */
    public record Timing(Duration failoverLimit, Duration settle, Duration holderPoll) {

        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofMillis(100));
    }

    /** The drill's record, and the timeline when probing ran (for a test or a benchmark to look at). */
    public record Outcome(DrillStatus status, DrillTimeline timeline) {
    }

    private final Clock clock;
    private final Timing timing;

    public DrillExecutor(Clock clock, Timing timing) {
        this.clock = clock;
        this.timing = timing;
    }

    /**
     * @param nodes        probed to see who holds the VIP
     * @param act          carries out the drill's stop and start (over SSH, or through Proxmox for a container)
     * @param preemptDelay vip.preemptDelay (zero when unset); the failback is awaited only with {@code preempt}
     * @throws ExternalSystemException when the start could not be recorded: nothing was stopped then
     */
    public Outcome execute(DrillPlanner.Run run, NodeGateway nodes, Action.Executor act, Map<Role, List<ManagedFile>> files,
            VipProber prober, DrillJournal journal, boolean preempt, Duration preemptDelay) {
        DrillStatus record = new DrillStatus();
        record.when = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        record.scenario = run.scenario();
        record.trigger = run.trigger();
        record.annotation = run.annotation();
        record.node = run.node().label();
        record.result = DrillStatus.RUNNING;
        record.message = run.stop().describe();
        journal.begin(record);

        Duration failback = preempt ? timing.failoverLimit().plus(preemptDelay) : Duration.ZERO;
        VipGapSampler sampler = VipGapSampler.start(prober,
                timing.failoverLimit().plus(failback).plus(timing.settle().multipliedBy(2)).plusSeconds(5));
        long stoppedAt = sampler.now();
        long restartedAt;
        Optional<Role> movedTo = Optional.empty();
        String breakProblem = null;
        String restoreProblem = null;
        try {
            run.stop().carryOut(act);
            movedTo = awaitSoleHolder(role -> !role.equals(run.node()), nodes, files, timing.failoverLimit());
            pause(timing.settle());
        } catch (RuntimeException e) {
            breakProblem = "could not " + run.stop().describe() + ": " + e.getMessage();
        } finally {
            restartedAt = sampler.now();
            try {
                run.start().carryOut(act);
            } catch (RuntimeException e) {
                restoreProblem = e.getMessage();
            }
        }
        boolean returned = false;
        try {
            if (restoreProblem == null && preempt) {
                returned = awaitSoleHolder(run.node()::equals, nodes, files, failback).isPresent();
            }
            pause(timing.settle());
        } catch (RuntimeException e) {
            breakProblem = breakProblem != null ? breakProblem : "could not watch the failback: " + e.getMessage();
        }
        DrillTimeline timeline;
        try {
            timeline = sampler.stop();
        } catch (RuntimeException e) {
            return new Outcome(finish(record, restoreProblem, DrillStatus.FAILED, "the VIP probe broke: " + e.getMessage()),
                    null);
        }
        record.gapMillis = timeline.longestGapBetween(stoppedAt, restartedAt);
        record.failbackGapMillis = timeline.longestGapBetween(restartedAt, Long.MAX_VALUE);
        String other = movedTo.map(Role::label).orElse(null);
        if (breakProblem != null) {
            return new Outcome(finish(record, restoreProblem, DrillStatus.FAILED, breakProblem), timeline);
        }
        if (movedTo.isEmpty()) {
            return new Outcome(finish(record, restoreProblem, DrillStatus.FAILED, "the VIP did not move to "
                    + (files.size() == 2 ? "the other node" : "another node") + " within " + timing.failoverLimit().toSeconds() + "s"), timeline);
        }
        if (!timeline.answeredLastBefore(restartedAt)) {
            return new Outcome(finish(record, restoreProblem, DrillStatus.FAILED, "the VIP did not answer while "
                    + run.disruption().subject() + " was stopped on the " + run.node().label()), timeline);
        }
        if (preempt && restoreProblem == null && !returned) {
            return new Outcome(finish(record, null, DrillStatus.FAILED, run.disruption().subject() + " runs again on the "
                    + run.node().label() + " but the VIP did not return to it within " + failback.toSeconds() + "s"), timeline);
        }
        if (!timeline.answersAtEnd()) {
            return new Outcome(finish(record, restoreProblem, DrillStatus.FAILED, "the VIP did not answer at the end of the"
                    + " drill"), timeline);
        }
        return new Outcome(finish(record, restoreProblem, DrillStatus.SUCCEEDED, "the " + other + " took the VIP after "
                + record.gapMillis + " ms without an answer" + (preempt ? "; the " + run.node().label() + " took it back after "
                        + record.failbackGapMillis + " ms" : "; it keeps the VIP (vip.preempt is off)")), timeline);
    }

    /** A restart that failed leaves the drill Running, so the next reconcile starts the service again. */
    private static DrillStatus finish(DrillStatus record, String restoreProblem, String result, String message) {
        if (restoreProblem != null) {
            record.result = DrillStatus.RUNNING;
            record.message = message + "; starting the service again failed (" + restoreProblem + "), the next reconcile"
                    + " retries";
        } else {
            record.result = result;
            record.message = message;
        }
        return record;
    }

    /** Polls every node until one node alone holds the VIP and it is a wanted one; empty after LIMIT. */
    private Optional<Role> awaitSoleHolder(Predicate<Role> wanted, NodeGateway nodes, Map<Role, List<ManagedFile>> files,
            Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        do {
            List<Role> holders = files.keySet().stream().filter(role -> nodes.probe(role, files.get(role)).vipPresent())
                    .toList();
            if (holders.size() == 1 && wanted.test(holders.get(0))) {
                return Optional.of(holders.get(0));
            }
            pause(timing.holderPoll());
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a drill", e);
        }
    }
}
