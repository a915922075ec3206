package io.traefikha.step;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.planner.RoutesPlanner;
import io.traefikha.planner.RoutesPlanner.Judgement;
import io.traefikha.planner.RoutesPlanner.Verdict;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RoutesMatch from this round's probes ({@link RoutesPlanner}): a Warning Event when the nodes' routers are found to
 * differ (or differ otherwise than before), a Normal one when they match again. Asks nothing of the nodes.
 */
public final class RoutesStep implements ReconcileStep {

    private final EventRecorder events;

    public RoutesStep(EventRecorder events) {
        this.events = events;
    }

    @Override
    public Next apply(Round round) {
        StatusAggregator status = round.status();
        Judgement judgement = RoutesPlanner.judge(round.probes(), configHashesAtTheLastLook(status.previous()));
        Condition before = status.previous().condition(ConditionTypes.ROUTES_MATCH);
        boolean wasDifferent = before != null && Condition.FALSE.equals(before.status);
        if (judgement.verdict() == Verdict.DIFFERENT && (!wasDifferent || !judgement.message().equals(before.message))) {
            events.warning(round.resource(), "RoutesDiffer", judgement.message());
        } else if (judgement.verdict() == Verdict.SAME && wasDifferent) {
            events.normal(round.resource(), "RoutesMatch", judgement.message());
        } else if (judgement.verdict() == Verdict.CANNOT_TELL && RoutesPlanner.FILES_CHANGED.equals(judgement.reason())) {
            round.lookAgainSoon(); // Traefik loads new files within seconds: judge them at the next, sooner look
        }
        status.condition(ConditionTypes.ROUTES_MATCH, judgement.verdict().conditionStatus(), judgement.reason(),
                judgement.message());
        return Next.CONTINUE;
    }

    /** status.nodes[].configHash as the last round left it (typed status, the memory between rounds). */
    private static Map<Role, String> configHashesAtTheLastLook(TraefikHAClusterStatus previous) {
        Map<Role, String> hashes = new TreeMap<>();
        for (NodeStatus node : previous.nodes == null ? List.<NodeStatus>of() : previous.nodes) {
            if (node.role != null && node.configHash != null) {
                hashes.put(Role.fromLabel(node.role), node.configHash);
            }
        }
        return hashes;
    }
}
