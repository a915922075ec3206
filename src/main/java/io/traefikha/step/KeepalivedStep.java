package io.traefikha.step;

import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Finding;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.planner.ClusterMemory;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.NodePlan;
import io.traefikha.planner.NodePlanner;
import io.traefikha.planner.SplitBrainContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * keepalived on both nodes, and the VIP: one probe per node, where day-2 operations want the VIP
 * ({@link Day2Operations}), the plan of {@link NodePlanner} with its split-brain judgement, and the actions (keepalived
 * first, then what the day-2 operations start).
 */
public final class KeepalivedStep implements ReconcileStep {

    private static final Logger LOG = Logger.getLogger(KeepalivedStep.class);
    private final EventRecorder events;
    private final Actions actions;
    private final Day2Operations day2;

    public KeepalivedStep(EventRecorder events, Actions actions, Day2Operations day2) {
        this.events = events;
        this.actions = actions;
        this.day2 = day2;
    }

    @Override
    public Next apply(Round round) {
        Map<Role, List<ManagedFile>> files;
        NodeGateway nodes;
        try {
            files = round.connections().renderedFiles();
            nodes = round.connections().nodes();
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: cannot reach the nodes: %s", round.id(), e.getMessage());
            round.unreachable(ConditionTypes.KEEPALIVED_CONFIGURED, e);
            return Next.STOP;
        }
        Map<Role, NodeObservation> probes = probe(round, nodes, files);
        try {
            pinFirstSeenHostKeys(round, nodes.learnedHostKeys());
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: %s; nothing is sent to the nodes until their host keys are pinned", round.id(), e.getMessage());
            round.unreachable(ConditionTypes.KEEPALIVED_CONFIGURED, e);
            return Next.STOP;
        }
        round.nodes(nodes, probes);

        Day2Operations.Decision operations = day2.plan(round);
        if (round.dryRun()) {
            Day2Operations.wouldDo(round.spec()).forEach(round::planned);
        }
        files = round.connections().renderedFiles(operations.pin());
        NodePlan plan = NodePlanner.plan(probes, files, round.spec().vip.preempt,
                splitBrainContext(round.memory().splitBrain(), round.firewallFindings(), round.clock().instant()));
        round.report(plan.findings());
        plan.findings().stream().filter(f -> ConditionTypes.SPLIT_BRAIN.equals(f.type())).findFirst()
                .ifPresent(found -> splitBrain(round, found));
        round.keepalived(files, operations, plan);
        if (round.keepalivedSetupBlocked()) {
            // preflight found the VIP in use or the container unfit: keepalived is not set up, nothing is claimed
            round.status().condition(ConditionTypes.KEEPALIVED_CONFIGURED, false, "PreflightFailed",
                    "keepalived is not set up until preflight passes: "
                            + round.status().reportedCondition(ConditionTypes.PREFLIGHT_PASSED).message);
            return Next.CONTINUE;
        }
        if (actions.carryOut(round, plan.actions()).ok()) {
            actions.carryOut(round, operations.actions());
        }
        // After changes on the nodes, look again soon to confirm them (each look probes each node once).
        if (!plan.actions().isEmpty() || operations.busy()) {
            round.lookAgainSoon();
        }
        return Next.CONTINUE;
    }

    /**
     * A host key seen for the first time (trust on first use) is pinned in the resource's state object before anything
     * but the probe is sent to that node; from the next connection on, any other key is refused. A pin already stored
     * is never replaced here.
     */
    static void pinFirstSeenHostKeys(Round round, Map<Role, String> seen) {
        round.persist(state -> {
            DurableState next = state;
            for (Map.Entry<Role, String> key : seen.entrySet()) {
                if (state.hostKey(key.getKey()).isEmpty()) {
                    next = next.withHostKey(key.getKey(), key.getValue());
                }
            }
            return next;
        });
    }

    /**
     * One probe each; a container Proxmox shows missing or stopped is not asked (a secondary still to be cloned has no
     * address yet), and a node that does not answer makes Proxmox read again.
     */
    private static Map<Role, NodeObservation> probe(Round round, NodeGateway nodes, Map<Role, List<ManagedFile>> files) {
        Map<Role, NodeObservation> probes = new TreeMap<>();
        for (Role role : round.spec().roles()) {
            probes.put(role, round.proxmox().container(role).running() ? nodes.probe(role, files.get(role))
                    : NodeObservation.unreachable(role, "CT " + round.spec().container(role).vmid + " is not running"));
        }
        probes.values().stream().filter(p -> !p.reachable()).findFirst().ifPresent(p -> round.connections().proxmox()
                .recheck("the " + p.role().label() + " did not answer its probe: " + p.problem()));
        return probes;
    }

    /**
     * What the split-brain judgement needs besides the probes: the firewall's verdict this round, and the split brain
     * earlier rounds found (a node held back for it stays held back across an operator restart).
     */
    private static SplitBrainContext splitBrainContext(ClusterMemory.SplitBrain before, List<Finding> firewallFindings,
            Instant now) {
        String firewallProblem = firewallFindings.stream()
                .filter(f -> ConditionTypes.FIREWALL_READY.equals(f.type()) && !f.status()).map(Finding::message)
                .findFirst().orElse(null);
        SplitBrainContext.HeldBack heldBack = before != null && NodePlanner.HOLD_REASONS.contains(before.cause())
                && before.since() != null ? new SplitBrainContext.HeldBack(before.cause(), before.since()) : null;
        boolean twoMastersBefore = before != null && NodePlanner.TWO_MASTER_REASONS.contains(before.cause());
        return new SplitBrainContext(firewallProblem, heldBack, twoMastersBefore, now);
    }

    /**
     * Remembers the split brain found (since when one is seen, whatever its cause), and tells it: a Warning when one
     * appears or its cause changes, a Normal Event when it is resolved.
     */
    private void splitBrain(Round round, Finding found) {
        ClusterMemory.SplitBrain before = round.memory().splitBrain();
        if (found.status()) {
            if (before == null || !found.reason().equals(before.cause())) {
                events.warning(round.resource(), "SplitBrain", found.message());
            }
            Instant since = before != null && before.since() != null ? before.since() : round.clock().instant();
            round.remember(memory -> memory.withSplitBrain(new ClusterMemory.SplitBrain(found.reason(), since)));
        } else {
            if (before != null) {
                events.normal(round.resource(), "SplitBrainResolved", found.message());
            }
            round.remember(memory -> memory.withSplitBrain(null));
        }
    }
}
