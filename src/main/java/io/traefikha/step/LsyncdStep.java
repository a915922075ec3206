package io.traefikha.step;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.LsyncdObservation;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.planner.LsyncdPlanner;
import io.traefikha.planner.NodePlanner;
import io.traefikha.sync.LsyncdFiles;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;


/**
 * The sync daemon, every period before the hash comparison ({@link SyncStep}) while every node answers. In
 * Lsyncd mode lsyncd is kept installed, configured and running on the primary (with the sync key from the resource's
 * own Secret); a stopped lsyncd is started again, with an Event and a repair metric. When the spec leaves Lsyncd mode,
 * the lsyncd the operator ran is stopped once. Push and Off run no daemon.
 */
public final class LsyncdStep implements ReconcileStep {

    private static final Logger LOG = Logger.getLogger(LsyncdStep.class);

    private final EventRecorder events;
    private final ReconcileMetrics metrics;

    public LsyncdStep(EventRecorder events, ReconcileMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public Next apply(Round round) {
        if (round.everyNodeAnswered()) {
            keepRunning(round);
        }
        return Next.CONTINUE;
    }

    private void keepRunning(Round round) {
        TraefikHACluster resource = round.resource();
        String id = round.id();
        StatusAggregator status = round.status();
        if (resource.getSpec().sync.mode != SyncMode.Lsyncd) {
            stopIfRunBefore(round);
            return;
        }
        if (round.dryRun()) {
            round.planned("install lsyncd on the primary and keep it running, with the sync key accepted on "
                    + secondaries(resource) + " for rsync only");
            return;
        }
        Period period = null;
        try {
            period = Period.plan(round.nodes(), resource.getSpec().sync, resource.getMetadata().getName(),
                    round.connections().syncKey());
            LsyncdOutcome outcome = period.carryOut(round.nodes());
            if (outcome.notApplied()) {
                String message = "written to the primary but lsyncd ran an older configuration; restarted it";
                LOG.warnf("%s: %s", id, message);
                events.warning(resource, "LsyncdRepaired", message);
                metrics.repair(resource, "LsyncdApply");
                // the next look confirms that lsyncd runs what is written
                status.condition(ConditionTypes.LSYNCD_RUNNING, false, NodePlanner.NOT_APPLIED, message);
                round.lookAgainSoon();
            } else {
                report(round, outcome);
            }
            round.remember(memory -> memory.withLsyncdRunByOperator(true));
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: lsyncd: %s", id, e.getMessage());
            if ("secret".equals(e.system())) {
                status.condition(ConditionTypes.LSYNCD_RUNNING, false, "SecretProblem", e.getMessage());
            } else if (period != null && period.notApplied()) {
                status.condition(ConditionTypes.LSYNCD_RUNNING, false, NodePlanner.NOT_APPLIED, "written to the primary"
                        + " but lsyncd runs an older configuration; restarting it failed: " + e.getMessage());
            } else {
                status.condition(ConditionTypes.LSYNCD_RUNNING, false, "InstallFailed", e.getMessage());
            }
            round.remember(memory -> memory.withLsyncdRunByOperator(false));
            events.warning(resource, "LsyncdFailed", e.getMessage());
        }
    }

    /** A period that found lsyncd running (started again, or configured) tells so. */
    private void report(Round round, LsyncdOutcome outcome) {
        TraefikHACluster resource = round.resource();
        if (outcome.repaired()) {
            String message = "lsyncd was not running on the primary and was started again";
            LOG.warnf("%s: %s", round.id(), message);
            events.warning(resource, "LsyncdRepaired", message);
            metrics.repair(resource, "LsyncdStart");
        } else if (!outcome.changedFiles().isEmpty()) {
            String message = "lsyncd configured (" + String.join(", ", outcome.changedFiles()) + ")"
                    + (outcome.lsyncdRestarted() ? " and restarted" : "");
            LOG.infof("%s: %s", round.id(), message);
            events.normal(resource, "LsyncdConfigured", message);
            metrics.repair(resource, "LsyncdConfigure");
        }
        round.status().condition(ConditionTypes.LSYNCD_RUNNING, true, outcome.repaired() ? "Repaired" : "Running",
                "lsyncd runs on the primary and replicates " + String.join(", ", resource.getSpec().sync.paths)
                        + " to " + secondaries(resource) + " " + resource.getSpec().sync.delay + " after a change");
    }

    /** "the secondary" of a pair, "every secondary (secondary, secondary-2)" of more. */
    private static String secondaries(TraefikHACluster resource) {
        List<Role> roles = resource.getSpec().secondaryRoles();
        return roles.size() == 1 ? "the " + roles.get(0).label() : "every secondary ("
                + String.join(", ", roles.stream().map(Role::label).toList()) + ")";
    }

    /**
     * One period of Lsyncd mode: from what the probes saw, {@link LsyncdPlanner} plans only what differs and the nodes
     * carry it out (the steady state costs no round trip beyond the probes); without such a look, a full install.
     */
    public static LsyncdOutcome keepInPlace(NodeGateway nodes, SyncSpec spec, String clusterName, SyncKeyPair key) {
        return Period.plan(nodes, spec, clusterName, key).carryOut(nodes);
    }

    /**
     * What one period does to lsyncd: the planned actions when the probes reported lsyncd, or else (null) a full
     * install that looks at the nodes itself.
     */
    private record Period(SyncSpec spec, String clusterName, SyncKeyPair key, List<NodeAction> actions,
            String authorizedKeysFile) {

        static Period plan(NodeGateway nodes, SyncSpec spec, String clusterName, SyncKeyPair key) {
            Optional<LsyncdObservation> probed = nodes.lsyncdObservation()
                    .filter(LsyncdObservation::hostKeysOfEverySecondary);
            if (probed.isEmpty()) {
                return new Period(spec, clusterName, key, null, null);
            }
            LsyncdObservation seen = probed.get();
            LsyncdFiles files;
            try {
                files = LsyncdRenderer.render(spec, clusterName, seen.primaryHost(), seen.secondaries().values().stream()
                        .map(s -> new LsyncdRenderer.Target(s.host(), s.port(), s.facts().hostKeys())).toList(), key);
            } catch (IllegalArgumentException e) {
                throw new ExternalSystemException("lsyncd", e.getMessage(), e);
            }
            Map<Role, LsyncdPlanner.Seen> secondaries = new TreeMap<>();
            seen.secondaries().forEach((role, s) -> secondaries.put(role, new LsyncdPlanner.Seen(s.facts(), s.hashes())));
            List<NodeAction> actions = LsyncdPlanner.plan(files, key,
                    new LsyncdPlanner.Seen(seen.primary(), seen.primaryHashes(), seen.primaryLoaded()), secondaries);
            return new Period(spec, clusterName, key, actions, seen.authorizedKeysFile());
        }

        /** Whether this period restarts lsyncd only to make it take up what is already written. */
        boolean notApplied() {
            return actions != null && actions.stream().anyMatch(NodeAction::appliesWritten);
        }

        LsyncdOutcome carryOut(NodeGateway nodes) {
            if (actions == null) {
                return nodes.ensureLsyncd(spec, clusterName, key);
            }
            for (NodeAction action : actions) {
                nodes.apply(action);
            }
            return LsyncdPlanner.outcome(actions, authorizedKeysFile);
        }
    }

    /** Only an lsyncd this operator ran is stopped: one the user runs is not ours. */
    private void stopIfRunBefore(Round round) {
        TraefikHACluster resource = round.resource();
        StatusAggregator status = round.status();
        if (!round.memory().lsyncdRunByOperator()) {
            return;
        }
        String message = "sync mode is " + resource.getSpec().sync.mode + ": lsyncd stopped and disabled on the primary";
        if (round.dryRun()) {
            round.planned("stop and disable lsyncd on the primary (sync mode " + resource.getSpec().sync.mode + ")");
            return;
        }
        try {
            round.nodes().stopLsyncd();
            events.normal(resource, "LsyncdStopped", message);
            status.condition(ConditionTypes.LSYNCD_RUNNING, false, "NotUsed", message);
            round.remember(memory -> memory.withLsyncdRunByOperator(false));
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: stopping lsyncd: %s", round.id(), e.getMessage());
            events.warning(resource, "LsyncdFailed", "could not stop lsyncd: " + e.getMessage());
        }
    }
}
