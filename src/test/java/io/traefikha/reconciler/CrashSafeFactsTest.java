package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.Role;
import io.traefikha.planner.DurableState;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.StatusAggregator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What must survive a crash lives in the resource's state object, written before what it protects is done: the primary
 * stopped for a clone, the pinned host keys. A lost status patch, an edited status or a deletion cannot drop them.
 */
class CrashSafeFactsTest extends InMemoryChainTest {

    private final List<String> timeline = new ArrayList<>();

    @Test
    void thePrimaryStoppedForACloneIsRecordedBeforeTheShutdownIsSent() {
        resource.getSpec().secondary.cloneStrategy = SecondarySpec.CloneStrategy.StopPrimary;
        proxmox.onApply = action -> timeline.add(action.getClass().getSimpleName() + " owed="
                + state.stored().primaryStoppedForClone());

        reconcile();

        assertThat(timeline).startsWith("ShutdownContainer owed=true");
    }

    @Test
    void aLostStatusPatchAfterTheStopStillGetsThePrimaryStartedAgain() {
        resource.getSpec().secondary.cloneStrategy = SecondarySpec.CloneStrategy.StopPrimary;
        reconcile(); // stops the primary and clones ...
        resource.setStatus(null); // ... and the operator dies before its status patch lands

        reconcileUntilReady();

        assertThat(proxmox.primary.running()).isTrue();
        assertThat(proxmox.applied).containsOnlyOnce(new ProxmoxAction.StartContainer("proxmox", 110));
        assertThat(state.stored().primaryStoppedForClone()).isFalse();
        assertThat(resource.getStatus().memory.primaryStoppedForCloneSince).isNull();
    }

    @Test
    void aDeletionDuringTheCloneStartsThePrimaryAndLetsTheStateOutliveTheResource() {
        resource.getSpec().secondary.cloneStrategy = SecondarySpec.CloneStrategy.StopPrimary;
        resource.getSpec().deletionPolicy = DeletionPolicy.Retain;
        reconcile();
        assertThat(proxmox.primary.running()).isFalse();

        boolean done = reconciliation.cleanup(resource, new StatusAggregator(resource, Clock.systemUTC()), connections());

        assertThat(done).isTrue();
        assertThat(proxmox.primary.running()).as("even Retain does not leave the only proxy stopped").isTrue();
        assertThat(state.stored().primaryStoppedForClone()).isFalse();
        assertThat(state.released()).isTrue();
    }

    @Test
    void aHostKeySeenFirstIsPinnedBeforeAnythingButTheProbeIsSent() {
        KeyedNodes keyed = new KeyedNodes();

        reconcileUntilReady(keyed);

        assertThat(keyed.pinsAtFirstAction).containsEntry(Role.PRIMARY, "SHA256:primary")
                .containsEntry(Role.SECONDARY, "SHA256:secondary");
        assertThat(resource.getStatus().nodes).extracting(n -> n.hostKeyFingerprint)
                .containsExactly("SHA256:primary", "SHA256:secondary");
    }

    @Test
    void neitherALostStatusNorAnEditedOneChangesAPin() {
        KeyedNodes keyed = new KeyedNodes();
        reconcileUntilReady(keyed);
        DurableState pinned = state.stored();

        resource.setStatus(null);
        reconcileWith(keyed);
        for (NodeStatus node : resource.getStatus().nodes) {
            node.hostKeyFingerprint = "SHA256:edited-by-hand";
        }
        keyed.keys.put(Role.SECONDARY, "SHA256:an-impostor"); // never pinned: the first key stays
        reconcileWith(keyed);

        assertThat(state.stored().hostKeys()).isEqualTo(pinned.hostKeys());
        assertThat(resource.getStatus().nodes).extracting(n -> n.hostKeyFingerprint)
                .as("status mirrors the pins").containsExactly("SHA256:primary", "SHA256:secondary");
    }

    @Test
    void aSecondaryTheOperatorClonesAfreshHasItsOldPinForgotten() {
        KeyedNodes keyed = new KeyedNodes();
        reconcileUntilReady(keyed);
        proxmox.secondary = ContainerObservation.missing(); // deleted by hand

        reconcileWith(keyed);

        assertThat(proxmox.applied).anyMatch(a -> a instanceof ProxmoxAction.CloneContainer);
        assertThat(state.stored().hostKey(Role.SECONDARY)).isEmpty();
        assertThat(state.stored().hostKey(Role.PRIMARY)).contains("SHA256:primary");
    }

    /** In-memory nodes that present a host key each, and note the pins stored when the first action reaches them. */
    private final class KeyedNodes extends SimulatedNodes {
        final Map<Role, String> keys = new TreeMap<>(Map.of(Role.PRIMARY, "SHA256:primary",
                Role.SECONDARY, "SHA256:secondary"));
        Map<Role, String> pinsAtFirstAction;

        @Override
        public synchronized void apply(NodeAction action) {
            if (pinsAtFirstAction == null) {
                pinsAtFirstAction = state.stored().hostKeys();
            }
            super.apply(action);
        }

        @Override
        public Map<Role, String> learnedHostKeys() {
            return Map.copyOf(keys);
        }
    }

    private void reconcileUntilReady(KeyedNodes keyed) {
        for (int round = 0; round < 10 && (resource.getStatus() == null || resource.getStatus().phase != ClusterPhase.Ready);
                round++) {
            reconcileWith(keyed);
        }
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
    }

    private void reconcileWith(KeyedNodes keyed) {
        StatusAggregator status = new StatusAggregator(resource, Clock.systemUTC());
        status.condition(ConditionTypes.VALID, true, "SpecValid", "ok");
        reconciliation.run(resource, status, new FixedConnections(proxmox, keyed, FILES).with(state), PERIOD);
        resource.setStatus(status.build());
    }
}
