package io.traefikha.step;

import io.traefikha.domain.Action;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.FirewallAction;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.ProxmoxAction;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Carries out planned actions of any kind for the steps, the same way for all: each is listed in the round's planned
 * actions, and unless dry run, carried out by the gateway of its kind, told as an Event and counted as a repair; the
 * first failure stops the rest and makes the cluster not Ready.
 */
public final class Actions {

    private static final Logger LOG = Logger.getLogger(Actions.class);
    private final EventRecorder events;
    private final ReconcileMetrics metrics;

    public Actions(EventRecorder events, ReconcileMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * What became of the actions.
     *
     * @param done   the ones carried out, in order
     * @param failed the one that failed (the rest were not tried), or null
     * @param error  why it failed, or null
     */
    public record Applied(List<Action> done, Action failed, ExternalSystemException error) {
        public boolean ok() {
            return failed == null;
        }
    }

    public Applied carryOut(Round round, List<? extends Action> actions) {
        Action.Executor executor = executor(round.connections());
        List<Action> done = new ArrayList<>();
        for (Action action : actions) {
            String description = action.describe();
            round.planned(description);
            if (round.dryRun() || (round.proxmoxChangesBlocked() && changesProxmox(action))) {
                continue;
            }
            try {
                LOG.infof("%s: %s", round.id(), description);
                action.carryOut(executor);
                events.normal(round.resource(), action.eventReason(), description);
                metrics.repair(round.resource(), action.getClass().getSimpleName());
                done.add(action);
            } catch (ExternalSystemException e) {
                String message = "could not " + description + ": " + e.getMessage();
                LOG.warnf("%s: %s", round.id(), message);
                events.warning(round.resource(), "ActionFailed", message);
                round.status().condition(ConditionTypes.READY, false, "ActionFailed", message);
                return new Applied(done, action, e);
            }
        }
        return new Applied(done, null, null);
    }

    private static boolean changesProxmox(Action action) {
        return action instanceof ProxmoxAction || action instanceof FirewallAction;
    }

    /** Each kind of action to the gateway that carries it out; the node gateway is opened on first use. */
    static Action.Executor executor(ClusterConnections connections) {
        return new Action.Executor() {
            @Override
            public void proxmox(ProxmoxAction action) {
                connections.proxmox().apply(action);
            }

            @Override
            public void firewall(FirewallAction action) {
                connections.proxmox().applyFirewall(action);
            }

            @Override
            public void node(NodeAction action) {
                connections.nodes().apply(action);
            }
        };
    }
}
