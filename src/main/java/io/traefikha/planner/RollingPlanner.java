package io.traefikha.planner;

import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Plans a rolling operation on Traefik (an upgrade, or a restart for a changed static configuration) one step per
 * reconcile, one node at a time, as the seed's runbook did it by hand for a pair: the nodes without the VIP first, in
 * role order (Apply: the command runs detached; Verify: service active, ping answers, no fewer routers than before, the
 * new version), while the node that held the VIP at the start keeps it; then the VIP is handed to the node that went
 * first ({@link HandoverPlanner}) and the initial holder goes last the same way; finally, with preemption, the VIP
 * fails back to the primary. Every step waits across reconciles (state in status.rollout) and has a time limit. A
 * failed step stops the rollout and keeps the VIP pinned to a healthy node until the request changes. A pure function,
 * table-tested.
 */
public final class RollingPlanner {

    public enum Kind { Upgrade, Restart }

    public enum Phase {
        /** Waiting for a safe start: both nodes healthy, one of them serving the VIP. */
        Pending,
        InProgress,
        Succeeded,
        Failed
    }

    public enum Step { Apply, Verify, HandOver, FailBack }

    /**
     * What is to be rolled out.
     *
     * @param target  the version of an upgrade, the static configuration's hash for a restart
     * @param command what a node runs (the upgrade's command, the sync's reloadCommand)
     */
    public record Request(Kind kind, String target, String command) {
    }

    /**
     * The rollout as status.rollout keeps it between reconciles.
     *
     * @param first         the node that went first (the first in role order without the VIP at the start)
     * @param last          the node that goes last: the one serving the VIP at the start
     * @param routersBefore every node's router count at the start: its keys are the nodes the rollout covers
     */
    public record Memory(Kind kind, String target, Phase phase, Step step, Role node, Role first, Role last,
            Map<Role, Integer> routersBefore, String jobId, Instant stepSince, Instant startedAt, Instant finishedAt,
            String message) {

        public boolean finished() {
            return phase == Phase.Succeeded || phase == Phase.Failed;
        }

        boolean rollsOut(Request request) {
            return kind == request.kind() && Objects.equals(target, request.target());
        }

        Memory at(Step nextStep, Role nextNode, String nextJob, Instant now, String what) {
            return new Memory(kind, target, Phase.InProgress, nextStep, nextNode, first, last, routersBefore, nextJob, now,
                    startedAt, null, what);
        }

        Memory ended(Phase end, Instant now, String what) {
            return new Memory(kind, target, end, step, node, first, last, routersBefore, jobId, stepSince, startedAt, now,
                    what);
        }

        /** The node after this one in the rollout's order (role order, the initial holder last), or null after the last. */
        Role after(Role done) {
            if (done.equals(last)) {
                return null;
            }
            return routersBefore.keySet().stream().sorted().filter(role -> !role.equals(last) && role.compareTo(done) > 0)
                    .findFirst().orElse(last);
        }

        /**
         * The node that serves the VIP while this step runs, and keeps it if the step fails: the initial holder until it
         * is its own turn (or the VIP is handed away from it), then the node that went first.
         */
        Role serving() {
            boolean holderStillServes = step == Step.HandOver || !node.equals(last) && step != Step.FailBack;
            return holderStillServes ? last : first;
        }
    }

    /** An Event to record. */
    public record Note(boolean warning, String reason, String message) {
    }

    /**
     * @param placement where the VIP must be this round, or null (the spec's own priorities)
     */
    public record Decision(Memory memory, List<NodeAction> actions, HandoverPlanner.Request placement, List<Note> notes) {
        static Decision waiting(Memory memory, HandoverPlanner.Request placement) {
            return new Decision(memory, List.of(), placement, List.of());
        }
    }

    private RollingPlanner() {
    }

    /**
     * @param request     what the spec asks for now, or null (nothing, or an upgrade removed from the spec)
     * @param memory      the previous round's state, or null
     * @param handover    the VIP handover state the previous round left, or null
     * @param preempt     spec.vip.preempt: after the rollout the VIP goes back to the primary
     * @param stepTimeout how long any one step may take
     */
    public static Decision next(Request request, Memory memory, Map<Role, NodeObservation> nodes,
            HandoverPlanner.Memory handover, boolean preempt, Instant now, Duration stepTimeout) {
        if (request == null) {
            if (memory != null && !memory.finished()) {
                Memory cancelled = memory.ended(Phase.Failed, now, memory.kind() + " cancelled at step " + memory.step()
                        + " on the " + memory.node().label() + ": it is no longer asked for; the VIP stays where it is");
                return new Decision(cancelled, List.of(), null, List.of(new Note(true, "RolloutCancelled", cancelled.message())));
            }
            return Decision.waiting(memory, null);
        }
        if (memory == null || !memory.rollsOut(request) || memory.phase() == Phase.Pending) {
            return start(request, memory, nodes, now);
        }
        if (memory.phase() == Phase.Succeeded) {
            return Decision.waiting(memory, null);
        }
        if (memory.phase() == Phase.Failed) {
            // The VIP stays on the node that served during the failed step until the request changes.
            return Decision.waiting(memory, new HandoverPlanner.Request(memory.serving(), "the " + memory.kind()
                    + " stopped at step " + memory.step() + " on the " + memory.node().label()));
        }
        boolean late = memory.stepSince() != null && Duration.between(memory.stepSince(), now).compareTo(stepTimeout) > 0;
        return switch (memory.step()) {
            case Apply -> apply(request, memory, nodes, now, late, stepTimeout, handover, preempt);
            case Verify -> verify(request, memory, nodes, now, late, stepTimeout, handover, preempt);
            case HandOver, FailBack -> handOver(request, memory, nodes, now, late, stepTimeout, handover, preempt);
        };
    }

    private static Decision start(Request request, Memory previous, Map<Role, NodeObservation> nodes, Instant now) {
        List<String> problems = new ArrayList<>();
        for (Role role : nodes.keySet()) {
            NodeObservation node = nodes.get(role);
            if (node == null || !node.canTakeVip()) {
                problems.add("the " + role.label() + " is not ready: "
                        + (node == null ? "not probed" : node.whyNotReady()));
            }
        }
        List<Role> serving = nodes.values().stream().filter(NodeObservation::servesVip).map(NodeObservation::role).toList();
        if (problems.isEmpty() && serving.size() != 1) {
            problems.add("no single node serves the VIP");
        }
        Instant startedAt = previous != null && previous.rollsOut(request) ? previous.startedAt() : now;
        if (!problems.isEmpty()) {
            String message = request.kind() + " " + request.target() + " waits to start: " + String.join("; ", problems);
            Memory pending = new Memory(request.kind(), request.target(), Phase.Pending, null, null, null, null, Map.of(),
                    null, null, startedAt, null, message);
            boolean changed = previous == null || !previous.rollsOut(request) || !message.equals(previous.message());
            return new Decision(pending, List.of(), null, changed ? List.of(new Note(true, "RolloutWaiting", message)) : List.of());
        }
        if (request.kind() == Kind.Upgrade && nodes.values().stream().allMatch(n -> request.target().equals(n.traefikVersion()))) {
            Memory done = new Memory(request.kind(), request.target(), Phase.Succeeded, null, null, null, null, Map.of(), null,
                    now, startedAt, now, Role.everyNode(nodes.size()) + " already run Traefik " + request.target());
            return new Decision(done, List.of(), null, List.of(new Note(false, "RolloutSucceeded", done.message())));
        }
        Role holder = serving.get(0);
        Map<Role, Integer> routers = new TreeMap<>();
        nodes.forEach((role, node) -> routers.put(role, node.routerCount()));
        Role first = nodes.keySet().stream().filter(role -> !role.equals(holder)).sorted().findFirst().orElseThrow();
        Memory begun = new Memory(request.kind(), request.target(), Phase.InProgress, null, null, first, holder,
                Map.copyOf(routers), null, now, startedAt, null, null);
        return runOn(request, begun, first, now, List.of());
    }

    /** Starts the command on a node that does not hold the VIP; the VIP is pinned to the serving node meanwhile. */
    private static Decision runOn(Request request, Memory memory, Role node, Instant now, List<Note> before) {
        String jobId = request.kind().name().toLowerCase() + "-" + node.label() + "-" + now.getEpochSecond();
        Memory applying = memory.at(Step.Apply, node, jobId, now, null);
        String what = describe(request) + " on the " + node.label() + " while the " + applying.serving().label()
                + " serves the VIP";
        List<Note> notes = new ArrayList<>(before);
        notes.add(new Note(false, "RolloutStep", what));
        return new Decision(memory.at(Step.Apply, node, jobId, now, what),
                List.of(new NodeAction.StartJob(node, jobId, request.command(), describe(request))),
                keepOn(request, applying.serving()), notes);
    }

    private static Decision apply(Request request, Memory memory, Map<Role, NodeObservation> nodes, Instant now,
            boolean late, Duration timeout, HandoverPlanner.Memory handover, boolean preempt) {
        Role node = memory.node();
        NodeObservation.Job job = nodes.containsKey(node) ? nodes.get(node).job() : null;
        boolean exited = job != null && job.id().equals(memory.jobId()) && job.exitCode() != null;
        if (exited && job.exitCode() != 0) {
            return fail(memory, now, "'" + request.command() + "' exited " + job.exitCode() + " (its output is in"
                    + " /var/log/traefik-ha-job.log on the node)");
        }
        if (exited) {
            Memory verifying = memory.at(Step.Verify, node, memory.jobId(), now, "verifying Traefik on the " + node.label());
            return verify(request, verifying, nodes, now, false, timeout, handover, preempt);
        }
        if (late) {
            return fail(memory, now, "'" + request.command() + "' did not finish within " + timeout.toSeconds() + " s");
        }
        return Decision.waiting(memory, keepOn(request, memory.serving()));
    }

    private static Decision verify(Request request, Memory memory, Map<Role, NodeObservation> nodes, Instant now,
            boolean late, Duration timeout, HandoverPlanner.Memory handover, boolean preempt) {
        Role node = memory.node();
        List<String> problems = verificationProblems(nodes.get(node), memory.routersBefore().getOrDefault(node, 0),
                request.kind() == Kind.Upgrade ? request.target() : null);
        if (!problems.isEmpty()) {
            return late ? fail(memory, now, "not healthy after " + timeout.toSeconds() + " s: " + String.join("; ", problems))
                    : Decision.waiting(memory, keepOn(request, memory.serving()));
        }
        Note verified = new Note(false, "RolloutStep", "Traefik on the " + node.label() + " verified after "
                + describe(request));
        Role next = memory.after(node);
        if (next != null && !next.equals(memory.last())) {
            return runOn(request, memory, next, now, List.of(verified));
        }
        if (next != null) {
            // The initial holder's turn: the VIP goes to the node that went first before the holder is touched.
            Role to = memory.first();
            Memory moving = memory.at(Step.HandOver, to, null, now, "handing the VIP to the " + to.label());
            return withNote(handOver(request, moving, nodes, now, false, timeout, handover, preempt), verified);
        }
        if (preempt && !memory.first().equals(Role.PRIMARY)) {
            // The primary was not the one that took the VIP over: with preemption the VIP belongs on the primary.
            Memory back = memory.at(Step.FailBack, Role.PRIMARY, null, now, "handing the VIP back to the primary");
            return withNote(handOver(request, back, nodes, now, false, timeout, handover, preempt), verified);
        }
        return withNote(succeed(memory, now), verified);
    }

    private static Decision handOver(Request request, Memory memory, Map<Role, NodeObservation> nodes, Instant now,
            boolean late, Duration timeout, HandoverPlanner.Memory handover, boolean preempt) {
        Role to = memory.node();
        HandoverPlanner.Request placement = keepOn(request, to);
        HandoverPlanner.Handover result = HandoverPlanner.plan(placement, handover, nodes);
        if (result.state() == HandoverPlanner.State.Refused || result.state() == HandoverPlanner.State.Displaced) {
            return fail(memory, now, result.message());
        }
        if (result.held()) {
            return memory.step() == Step.FailBack ? succeed(memory, now) : runOn(request, memory, memory.last(), now, List.of());
        }
        return late ? fail(memory, now, "the " + to.label() + " did not take the VIP within " + timeout.toSeconds() + " s")
                : Decision.waiting(memory, placement);
    }

    /** What keeps a verified node from being trusted: reachability, health, router count, version, keepalived ready. */
    static List<String> verificationProblems(NodeObservation node, int routersBefore, String version) {
        if (node == null || !node.reachable()) {
            return List.of("it cannot be probed" + (node == null ? "" : ": " + node.problem()));
        }
        List<String> problems = new ArrayList<>();
        if (!node.traefikHealthy()) {
            problems.add("Traefik is not healthy (service not active, ping not answering, or fewer routers than"
                    + " healthCheck.minRouters)");
        }
        if (node.routerCount() < routersBefore) {
            problems.add(node.routerCount() + " routers loaded, fewer than the " + routersBefore + " before");
        }
        if (version != null && !version.equals(node.traefikVersion())) {
            problems.add("it reports version " + node.traefikVersion() + ", not " + version);
        }
        if (node.traefikHealthy() && !node.canTakeVip()) {
            // keepalived's track script needs a few healthy checks after a restart before it leaves FAULT: until then
            // the node could neither take the VIP nor be a failover target
            problems.add(node.whyNotReady());
        }
        return problems;
    }

    private static Decision succeed(Memory memory, Instant now) {
        Memory done = memory.ended(Phase.Succeeded, now, memory.kind() + " " + memory.target() + " done on "
                + Role.everyNode(memory.routersBefore().size()));
        return new Decision(done, List.of(), null, List.of(new Note(false, "RolloutSucceeded", done.message())));
    }

    private static Decision fail(Memory memory, Instant now, String why) {
        Role node = memory.node();
        Memory failed = memory.ended(Phase.Failed, now, memory.kind() + " " + memory.target() + " stopped: step "
                + memory.step() + " on the " + node.label() + " failed: " + why + ". The VIP stays on the "
                + memory.serving().label() + "; change or remove the request to go on");
        return new Decision(failed, List.of(), new HandoverPlanner.Request(memory.serving(), "the " + memory.kind()
                + " stopped at step " + memory.step() + " on the " + node.label()),
                List.of(new Note(true, "RolloutFailed", failed.message())));
    }

    private static HandoverPlanner.Request keepOn(Request request, Role holder) {
        return new HandoverPlanner.Request(holder, describe(request));
    }

    private static String describe(Request request) {
        return request.kind() == Kind.Upgrade ? "upgrade of Traefik to " + request.target()
                : "restart of Traefik for its changed static configuration";
    }

    private static Decision withNote(Decision decision, Note note) {
        List<Note> notes = new ArrayList<>();
        notes.add(note);
        notes.addAll(decision.notes());
        return new Decision(decision.memory(), decision.actions(), decision.placement(), notes);
    }
}
