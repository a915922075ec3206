package io.traefikha.step;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import java.util.List;

/**
 * The end of every round, however far it got: Ready and the phase from the conditions reported, the planned actions
 * under dry run, the condition metrics. Ready when every part is; otherwise Degraded while the VIP is served
 * (redundancy or health impaired, being repaired), Provisioning before it ever was; Maintenance while a declared
 * maintenance is served. A round a step ended unforeseen is never Ready: its Ready condition names the failure.
 */
public final class ReportStep implements ReconcileStep {

    private final ReconcileMetrics metrics;

    public ReportStep(ReconcileMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Next apply(Round round) {
        TraefikHACluster resource = round.resource();
        StatusAggregator status = round.status();
        status.plannedActions(round.dryRun() ? round.planned() : List.of());
        boolean ready = round.failure().isEmpty() && round.haReady();
        boolean serving = round.serving();
        metrics.ready(resource, ready);
        round.failure().ifPresent(failure -> failure.report(status));
        if (ready) {
            status.condition(ConditionTypes.READY, true, "Ready", "the VIP is served by a healthy MASTER and "
                    + Role.everyNode(round.spec().roles().size()) + " are configured");
            status.phase(ClusterPhase.Ready);
        } else {
            if (!status.reported(ConditionTypes.READY)) {
                Condition problem = status.firstFalse();
                status.condition(ConditionTypes.READY, false, problem == null ? "Pending" : problem.reason,
                        round.firstProblem());
            }
            status.phase(serving ? ClusterPhase.Degraded : ClusterPhase.Provisioning);
        }
        metrics.conditions(resource, status.reportedConditions());
        status.memory(MemoryCodec.encode(round.remembered(), round.primaryStoppedForCloneSince()));
        if (resource.getSpec().maintenance != null && (ready || serving)) {
            status.phase(ClusterPhase.Maintenance); // kubectl get traefikha shows MAINTENANCE while the VIP is served
        }
        return Next.STOP;
    }
}
