package io.traefikha.reconciler;

import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.step.ClusterConnections;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.StatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** One reconcile round as the reconciler runs it for a spec that passed validation, without the Kubernetes API. */
public final class Rounds {

    private Rounds() {
    }

    /**
     * Runs the steps, keeps the status they built on the resource (as the reconciler's patch would) and throws a step's
     * unforeseen failure, so a test sees it as it happened.
     */
    public static ClusterReconciliation.Outcome run(ClusterReconciliation reconciliation, TraefikHACluster resource,
                                                    ClusterConnections connections, Duration period, Clock clock) {
        StatusAggregator status = new StatusAggregator(resource, clock);
        status.condition(ConditionTypes.VALID, true, "SpecValid", "ok");
        ClusterReconciliation.Outcome outcome = reconciliation.run(resource, status, connections, period);
        resource.setStatus(status.build());
        outcome.failure().ifPresent(failure -> {
            throw failure;
        });
        return outcome;
    }

    public static ClusterReconciliation.Outcome run(ClusterReconciliation reconciliation, TraefikHACluster resource,
                                                    ClusterConnections connections, Duration period) {
        return run(reconciliation, resource, connections, period, Clock.systemUTC());
    }

    /**
     * Runs ROUND at most MAX times, until DONE holds for the resource; otherwise fails naming WHAT and the conditions the
     * last round left.
     */
    public static void until(int max, String what, Runnable round, Supplier<TraefikHACluster> resource,
                             Predicate<TraefikHACluster> done) {
        for (int i = 0; i < max; i++) {
            round.run();
            if (done.test(resource.get())) {
                return;
            }
        }
        throw new AssertionError("not " + what + " after " + max + " rounds: " + resource.get().getStatus().conditions
                .stream().map(c -> c.type + "=" + c.status + " " + c.message).toList());
    }
}
