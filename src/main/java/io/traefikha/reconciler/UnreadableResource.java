package io.traefikha.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.api.v1alpha1.Unreadable;
import io.traefikha.api.v1alpha1.UnreadableStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.step.EventRecorder;
import io.traefikha.step.StatusAggregator;
import org.jboss.logging.Logger;

/**
 * A TraefikHACluster stored past the CRD's schema (see {@link Unreadable}): reported, and nothing is done for it until it
 * is corrected. An unreadable spec gets {@code Valid=False} naming the field. An unreadable status is not overwritten,
 * as it holds what the operator remembered about the nodes: that case is told by an Event and the log only.
 */
final class UnreadableResource {

    static final String REASON = "Unreadable";
    private static final Logger LOG = Logger.getLogger(UnreadableResource.class);

    private UnreadableResource() {
    }

    static UpdateControl<TraefikHACluster> report(TraefikHACluster resource, Unreadable unreadable,
            StatusAggregator status, EventRecorder events) {
        String message = unreadable + "; the operator cannot read this resource and changes nothing for it until it is"
                + " corrected";
        LOG.warnf("%s: %s", resource.id(), message);
        if (resource.getStatus() instanceof UnreadableStatus) {
            events.warning(resource, REASON, message);
            return UpdateControl.noUpdate();
        }
        Condition before = status.previous().condition(ConditionTypes.VALID);
        if (before == null || !REASON.equals(before.reason) || !message.equals(before.message)) {
            events.warning(resource, REASON, message);
        }
        status.condition(ConditionTypes.VALID, false, REASON, message)
                .condition(ConditionTypes.READY, false, REASON, "the operator cannot read the spec, see condition Valid")
                .phase(ClusterPhase.Failed);
        TraefikHAClusterStatus after = status.build();
        if (resource.getStatus() != null && !StatusAggregator.changed(resource.getStatus(), after)) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(after);
        return UpdateControl.patchStatus(resource);
    }
}
