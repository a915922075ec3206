package io.traefikha.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.traefikha.api.ClusterPhase;
import io.traefikha.api.CollisionCheck;
import io.traefikha.api.Condition;
import io.traefikha.api.SpecValidator;
import io.traefikha.api.TraefikHACluster;
import io.traefikha.api.TraefikHAClusterStatus;
import io.traefikha.api.Violation;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles one TraefikHACluster: validate, then (in later steps) observe, plan, act and report.
 * Every log line names the resource as namespace/name.
 */
@ControllerConfiguration(name = TraefikHAReconciler.NAME)
public class TraefikHAReconciler implements Reconciler<TraefikHACluster> {

    public static final String NAME = "traefikha";
    private static final Logger LOG = Logger.getLogger(TraefikHAReconciler.class);

    private final EventRecorder events;
    private final Clock clock;

    public TraefikHAReconciler(EventRecorder events) {
        this.events = events;
        this.clock = Clock.systemUTC();
    }

    @Override
    public UpdateControl<TraefikHACluster> reconcile(TraefikHACluster resource, Context<TraefikHACluster> context) {
        String id = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
        StatusAggregator status = new StatusAggregator(resource, clock);

        List<Violation> violations = SpecValidator.validate(resource.getSpec());
        if (violations.isEmpty()) {
            violations = CollisionCheck.against(resource, context.getPrimaryCache().list().toList());
        }
        if (!violations.isEmpty()) {
            String message = violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
            LOG.warnf("%s: invalid spec, nothing will be changed: %s", id, message);
            boolean wasInvalid = isFalse(status.previous(), ConditionTypes.VALID);
            status.condition(ConditionTypes.VALID, false, "InvalidSpec", message)
                    .condition(ConditionTypes.READY, false, "InvalidSpec", "the spec is invalid, see condition Valid")
                    .phase(ClusterPhase.Failed);
            if (!wasInvalid || resource.getMetadata().getGeneration() != null
                    && !resource.getMetadata().getGeneration().equals(status.previous().observedGeneration)) {
                events.warning(resource, "InvalidSpec", message);
            }
            return patchIfChanged(resource, status);
        }

        status.condition(ConditionTypes.VALID, true, "SpecValid", "the spec passed validation")
                .condition(ConditionTypes.READY, false, "AwaitingProvisioning",
                        "provisioning of the secondary, keepalived and DNS is not enabled in this operator version")
                .phase(ClusterPhase.Pending);
        LOG.debugf("%s: spec valid (generation %s)", id, resource.getMetadata().getGeneration());
        return patchIfChanged(resource, status);
    }

    private static UpdateControl<TraefikHACluster> patchIfChanged(TraefikHACluster resource, StatusAggregator aggregator) {
        TraefikHAClusterStatus before = resource.getStatus();
        TraefikHAClusterStatus after = aggregator.build();
        if (before != null && !StatusAggregator.changed(before, after)) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(after);
        return UpdateControl.patchStatus(resource);
    }

    private static boolean isFalse(TraefikHAClusterStatus status, String type) {
        Condition condition = StatusAggregator.find(status.conditions, type);
        return condition != null && Condition.FALSE.equals(condition.status);
    }
}
