package io.traefikha.step;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Role;
import io.traefikha.sync.SyncOutcome;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The primary's configuration on the secondaries, while the primary answers: compare the trees of every secondary that
 * answered, copy what differs, report status.sync, ConfigInSync (naming any secondary that did not answer) and drift; a
 * changed static configuration asks {@link Day2Operations} for a rolling restart.
 */
public final class SyncStep implements ReconcileStep {

    private static final Logger LOG = Logger.getLogger(SyncStep.class);
    private final EventRecorder events;
    private final ReconcileMetrics metrics;
    private final Day2Operations day2;

    public SyncStep(EventRecorder events, ReconcileMetrics metrics, Day2Operations day2) {
        this.events = events;
        this.metrics = metrics;
        this.day2 = day2;
    }

    @Override
    public Next apply(Round round) {
        if (!round.answered(Role.PRIMARY)) {
            return Next.CONTINUE;
        }
        TraefikHAClusterSpec spec = round.spec();
        if (round.dryRun()) {
            round.planned("compare " + String.join(", ", spec.sync.paths) + " on the primary and every secondary that"
                    + " answers, and copy what differs to them");
            return Next.CONTINUE;
        }
        try {
            Set<Role> answered = spec.secondaryRoles().stream().filter(round::answered).collect(Collectors.toSet());
            SyncOutcome outcome = round.nodes().syncConfig(spec.sync, round.memory().sync(), round.clock().instant(),
                    answered);
            round.status().sync(outcome.toStatus());
            SyncOutcome.Condition inSync = outcome.configInSync();
            round.status().condition(ConditionTypes.CONFIG_IN_SYNC, inSync.status(), inSync.reason(), inSync.message());
            outcome.driftEvent().ifPresent(message -> {
                events.warning(round.resource(), "ConfigDrift", message);
                metrics.repair(round.resource(), "ConfigPush");
            });
            metrics.syncLag(round.resource(), outcome.lag());
            // Traefik 3 reads its static configuration only at start: a rolling restart.
            day2.staticConfigChanged(round, outcome);
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: config sync: %s", round.id(), e.getMessage());
            round.status().condition(ConditionTypes.CONFIG_IN_SYNC, false, "Unreachable", e.getMessage());
        }
        return Next.CONTINUE;
    }
}
