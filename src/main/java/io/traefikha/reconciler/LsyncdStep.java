package io.traefikha.reconciler;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.node.LsyncdInstaller;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The sync daemon part of the reconcile chain, run every period before the hash comparison while both nodes answer. In
 * Lsyncd mode lsyncd is kept installed, configured and running on the primary (with the sync key from the resource's
 * own Secret); a stopped lsyncd is started again, with an Event and a repair metric. When the spec leaves Lsyncd mode,
 * the lsyncd the operator ran is stopped once. Push and Off run no daemon.
 */
final class LsyncdStep {

    private static final Logger LOG = Logger.getLogger(LsyncdStep.class);

    private final EventRecorder events;
    private final ReconcileMetrics metrics;

    LsyncdStep(EventRecorder events, ReconcileMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    void run(TraefikHACluster resource, String id, StatusAggregator status, List<String> planned,
            ClusterConnections connections, NodeGateway nodes) {
        if (resource.getSpec().sync.mode != SyncMode.Lsyncd) {
            stopIfRunBefore(resource, id, status, planned, nodes);
            return;
        }
        if (resource.getSpec().dryRun) {
            planned.add("install lsyncd on the primary and keep it running, with the sync key accepted on the secondary"
                    + " for rsync only");
            return;
        }
        try {
            LsyncdInstaller.Outcome outcome = nodes.ensureLsyncd(resource.getSpec().sync, resource.getMetadata().getName(),
                    connections.syncKey());
            if (outcome.repaired()) {
                String message = "lsyncd was not running on the primary and was started again";
                LOG.warnf("%s: %s", id, message);
                events.warning(resource, "LsyncdRepaired", message);
                metrics.repair(resource, "LsyncdStart");
            } else if (!outcome.changedFiles().isEmpty()) {
                String message = "lsyncd configured (" + String.join(", ", outcome.changedFiles()) + ")"
                        + (outcome.lsyncdRestarted() ? " and restarted" : "");
                LOG.infof("%s: %s", id, message);
                events.normal(resource, "LsyncdConfigured", message);
                metrics.repair(resource, "LsyncdConfigure");
            }
            status.condition(ConditionTypes.LSYNCD_RUNNING, true, outcome.repaired() ? "Repaired" : "Running",
                    "lsyncd runs on the primary and replicates " + String.join(", ", resource.getSpec().sync.paths)
                            + " to the secondary " + resource.getSpec().sync.delay + " after a change");
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: lsyncd: %s", id, e.getMessage());
            status.condition(ConditionTypes.LSYNCD_RUNNING, false, "secret".equals(e.system()) ? "SecretProblem"
                    : "InstallFailed", e.getMessage());
            events.warning(resource, "LsyncdFailed", e.getMessage());
        }
    }

    /** Only an lsyncd this operator ran (LsyncdRunning was True) is stopped: one the user runs is not ours. */
    private void stopIfRunBefore(TraefikHACluster resource, String id, StatusAggregator status, List<String> planned,
            NodeGateway nodes) {
        Condition before = status.previous().condition(ConditionTypes.LSYNCD_RUNNING);
        if (before == null || !Condition.TRUE.equals(before.status)) {
            return;
        }
        String message = "sync mode is " + resource.getSpec().sync.mode + ": lsyncd stopped and disabled on the primary";
        if (resource.getSpec().dryRun) {
            planned.add("stop and disable lsyncd on the primary (sync mode " + resource.getSpec().sync.mode + ")");
            return;
        }
        try {
            nodes.stopLsyncd();
            events.normal(resource, "LsyncdStopped", message);
            status.condition(ConditionTypes.LSYNCD_RUNNING, false, "NotUsed", message);
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: stopping lsyncd: %s", id, e.getMessage());
            events.warning(resource, "LsyncdFailed", "could not stop lsyncd: " + e.getMessage());
        }
    }
}
