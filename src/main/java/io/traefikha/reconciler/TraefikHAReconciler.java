package io.traefikha.reconciler;

import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.CollisionCheck;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.SpecValidator;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.api.v1alpha1.Unreadable;
import io.traefikha.api.v1alpha1.UnreadableStatus;
import io.traefikha.api.v1alpha1.Violation;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.planner.SecurityWarnings;
import io.traefikha.step.ClusterConnections;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.EventRecorder;
import io.traefikha.step.ReconcileFailure;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.step.StatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reconciles one TraefikHACluster: validate it (alone and against the others), then run the reconcile chain
 * ({@link ClusterReconciliation}) with the resource's own connections, and look again after a period.
 * Every log line names the resource as namespace/name.
 */
@ControllerConfiguration(name = TraefikHAReconciler.NAME)
public class TraefikHAReconciler implements Reconciler<TraefikHACluster>, Cleaner<TraefikHACluster> {

    public static final String NAME = "traefikha";
    private static final Logger LOG = Logger.getLogger(TraefikHAReconciler.class);

    private final EventRecorder events;
    private final ClusterConnectionsFactory connections;
    private final ClusterReconciliation reconciliation;
    private final Duration period;
    private final boolean dryRunEverywhere;
    private final Clock clock = Clock.systemUTC();

    private final ReconcileMetrics metrics;

    public TraefikHAReconciler(EventRecorder events, ReconcileMetrics metrics, ClusterConnectionsFactory connections,
            @ConfigProperty(name = "traefikha.reconcile.period", defaultValue = "15s") Duration period,
            @ConfigProperty(name = "traefikha.reconcile.busy-period", defaultValue = "5s") Duration busyPeriod,
            @ConfigProperty(name = "traefikha.dry-run", defaultValue = "false") boolean dryRunEverywhere) {
        this.events = events;
        this.connections = connections;
        this.metrics = metrics;
        this.reconciliation = new ClusterReconciliation(events, metrics, clock, busyPeriod);
        this.period = period;
        this.dryRunEverywhere = dryRunEverywhere;
    }

    @Override
    public UpdateControl<TraefikHACluster> reconcile(TraefikHACluster resource, Context<TraefikHACluster> context) {
        String id = resource.id();
        StatusAggregator status = new StatusAggregator(resource, clock);
        Optional<Unreadable> unreadable = Unreadable.in(resource);
        if (unreadable.isPresent()) { // stored past the CRD's schema: reported, nothing else
            return UnreadableResource.report(resource, unreadable.get(), status, events).rescheduleAfter(period);
        }

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
            return patchIfChanged(resource, status).rescheduleAfter(period);
        }

        status.condition(ConditionTypes.VALID, true, "SpecValid", "the spec passed validation");
        SecurityWarnings.of(resource.getSpec()).forEach(f -> status.condition(f.type(), f.status(), f.reason(), f.message()));
        if (dryRunEverywhere) {
            resource.getSpec().dryRun = true; // the operator-wide switch wins; never written back to the spec
        }
        ClusterReconciliation.Outcome outcome;
        long started = System.nanoTime();
        try (ClusterConnections opened = connections.open(resource)) {
            outcome = reconciliation.run(resource, status, opened, period);
        }
        Condition ready = status.reportedCondition(ConditionTypes.READY);
        metrics.reconciled(resource, Duration.ofNanos(System.nanoTime() - started),
                ready != null && "ActionFailed".equals(ready.reason));
        if (outcome.failure().isPresent()) { // reported by updateErrorStatus, then retried with the framework's backoff
            throw outcome.failure().get().withStatus(status.build());
        }
        return patchIfChanged(resource, status).rescheduleAfter(outcome.requeueAfter());
    }

    /**
     * Every exception out of {@link #reconcile}, foreseen or not, lands here: {@code Ready=False} with reason
     * {@link ReconcileFailure#REASON} naming the step and the failure, an Event, a count by step and exception. The status
     * keeps what was observed before (a step's failure carries what its round saw). The framework then retries with
     * capped exponential backoff and never gives up (retry.max-attempts=-1), so the periodic look continues.
     */
    @Override
    public ErrorStatusUpdateControl<TraefikHACluster> updateErrorStatus(TraefikHACluster resource,
            Context<TraefikHACluster> context, Exception e) {
        ReconcileFailure failure = failureOf(e);
        int attempt = context.getRetryInfo().map(RetryInfo::getAttemptCount).orElse(0);
        LOG.warnf("%s: %s (attempt %d, retried with backoff)", resource.id(), failure.getMessage(), attempt + 1);
        metrics.failed(resource, failure.step(), failure.kind());
        events.warning(resource, ReconcileFailure.REASON, failure.getMessage());
        if (resource.getStatus() instanceof UnreadableStatus) {
            return ErrorStatusUpdateControl.noStatusUpdate(); // it holds what was remembered about the nodes
        }
        TraefikHAClusterStatus after = failure.status().orElseGet(() -> {
            StatusAggregator status = new StatusAggregator(resource, clock);
            failure.report(status);
            if (status.previous().phase == ClusterPhase.Ready) {
                status.phase(ClusterPhase.Degraded);
            }
            return status.build();
        });
        if (resource.getStatus() != null && !StatusAggregator.changed(resource.getStatus(), after)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        resource.setStatus(after);
        return ErrorStatusUpdateControl.patchStatus(resource);
    }

    /**
     * The finalizer's work: undo what spec.deletionPolicy says. An invalid spec cannot be trusted to name what the
     * operator owns, so such a resource goes without touching anything.
     */
    @Override
    public DeleteControl cleanup(TraefikHACluster resource, Context<TraefikHACluster> context) {
        String id = resource.id();
        if (Unreadable.in(resource).isPresent()) { // what it owns cannot be known
            LOG.warnf("%s: deleted while unreadable: nothing is rolled back", id);
            return DeleteControl.defaultDelete();
        }
        if (!SpecValidator.validate(resource.getSpec()).isEmpty()) {
            LOG.warnf("%s: deleted with an invalid spec: nothing is rolled back", id);
            return DeleteControl.defaultDelete();
        }
        StatusAggregator status = new StatusAggregator(resource, clock);
        boolean done;
        try (ClusterConnections opened = connections.open(resource)) {
            done = reconciliation.cleanup(resource, status, opened);
        }
        if (done) {
            LOG.infof("%s: deletionPolicy %s carried out", id, resource.getSpec().deletionPolicy);
            return DeleteControl.defaultDelete();
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(period);
    }

    /** The framework hands the exception over wrapped (its metrics wrap it in an OperatorException). */
    private static ReconcileFailure failureOf(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ReconcileFailure known) {
                return known;
            }
        }
        Throwable thrown = e instanceof OperatorException && e.getCause() != null ? e.getCause() : e;
        return ReconcileFailure.in(ReconcileFailure.OUTSIDE_STEPS, thrown, UnaryOperator.identity());
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
        Condition condition = status.condition(type);
        return condition != null && Condition.FALSE.equals(condition.status);
    }
}
