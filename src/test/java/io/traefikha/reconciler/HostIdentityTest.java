package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.HostIdentityState;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.planner.DurableState;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterConnections;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The clone's own identity against in-memory nodes that model host keys and machine ids: regenerated once, the new
 * keys recorded before they are put in place, and a crash at each point finished by the next round.
 */
class HostIdentityTest extends InMemoryChainTest {

    private static final String CT110_KEY = "SHA256:ct110";

    private final KeyedNodes keyed = new KeyedNodes();
    private final SimulatedNodes.Node primary = keyed.nodes.get(Role.PRIMARY);
    private final SimulatedNodes.Node secondary = keyed.nodes.get(Role.SECONDARY);

    /** A clone presents CT 110's host key and has its machine id. */
    @BeforeEach
    void cloneOfCt110() {
        primary.hostKey = CT110_KEY;
        secondary.hostKey = CT110_KEY;
        secondary.machineId = primary.machineId;
    }

    @Override
    ClusterConnections connections() {
        return new FixedConnections(proxmox, keyed, FILES).with(state);
    }

    @Test
    void aCloneGetsItsOwnHostKeyAndMachineIdOnceRecordedBeforeTheyAreInPlaceAndBeforeKeepalivedIsConfigured() {
        reconcileUntilReady();
        for (int round = 0; round < 3; round++) {
            reconcile();
        }

        assertThat(keyed.atFirstInstall.pendingHostKeys(Role.SECONDARY)).as("recorded write-ahead")
                .containsExactly(keyed.firstStaged);
        assertThat(keyed.atFirstInstall.hostKey(Role.SECONDARY)).as("the old key stays acceptable meanwhile")
                .contains(CT110_KEY);
        assertThat(keyed.actionsBeforeFirstInstall).as("nothing configured on the nodes before").isZero();
        assertOwnIdentity();
        assertThat(keyed.stagings).as("exactly once").isEqualTo(1);
        assertThat(events.reasons()).containsOnlyOnce("HostIdentityRegenerating", "HostIdentityRegenerated");
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("HostIdentityRegenerating")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("is a clone"));
    }

    @Test
    void aCrashAfterTheRecordBeforeTheKeysAreMovedIsFinishedByTheNextRound() {
        keyed.failingInstalls = 1;

        reconcileUntilFirstInstall(); // staged, recorded, and the install fails

        assertThat(state.stored().pendingHostKeys(Role.SECONDARY)).isNotEmpty();
        assertThat(secondary.hostKey).isEqualTo(CT110_KEY);
        assertThat(condition(ConditionTypes.SECONDARY_PROVISIONED).reason).isEqualTo("IdentityNotUnique");
        assertThat(resource.getStatus().phase).as("a new pair waits for it").isNotEqualTo(ClusterPhase.Ready);
        assertThat(keyed.applied).as("keepalived is not configured on a secondary with CT 110's identity").isEmpty();

        reconcileUntilReady();

        assertOwnIdentity();
        assertThat(keyed.stagings).as("the recorded keys are used, not new ones").isEqualTo(1);
    }

    @Test
    void aCrashAfterTheKeysAreMovedBeforeTheyArePinnedIsFinishedByTheNextRound() {
        keyed.failAfterInstall = true;

        reconcileUntilReady();

        assertOwnIdentity();
        assertThat(keyed.stagings).isEqualTo(1);
        assertThat(keyed.installs).as("the second install finds the keys in place and changes nothing").isEqualTo(2);
    }

    @Test
    void stagedKeysThatAreGoneAreStagedAndRecordedAfresh() {
        keyed.failingInstalls = 1;
        reconcileUntilFirstInstall();
        secondary.stagedKey = null; // removed by hand, or a backup restored

        reconcileUntilReady();

        assertOwnIdentity();
        assertThat(keyed.stagings).isEqualTo(2);
    }

    @Test
    void aSecondaryProvisionedBeforeThisWasDoneIsFoundByItsKeyAndRegeneratedOnceWithAnEvent() {
        primary.hostKey = null; // an operator that did not look at identities: keys not modelled, nothing done
        secondary.hostKey = null;
        reconcileUntilReady();
        assertThat(keyed.stagings).isZero();
        primary.hostKey = CT110_KEY;
        secondary.hostKey = CT110_KEY;
        state.save(state.stored().withHostKey(Role.PRIMARY, CT110_KEY).withHostKey(Role.SECONDARY, CT110_KEY));

        for (int round = 0; round < 3; round++) {
            reconcile();
        }

        assertOwnIdentity();
        assertThat(keyed.stagings).isEqualTo(1);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("HostIdentityRegenerating")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("was provisioned with the SSH host keys and machine id"
                        + " of CT 110"));
    }

    @Test
    void withKnownHostsTheKeysAreLeftToTheUserAndThatIsToldOnce() {
        keyed.hostKeysFromSecret = true;

        reconcileUntilReady();
        reconcile();
        reconcile();

        assertThat(keyed.stagings).isZero();
        assertThat(secondary.hostKey).isEqualTo(CT110_KEY);
        assertThat(secondaryStatus().hostIdentity).isEqualTo(HostIdentityState.CopiedFromPrimary);
        assertThat(events.reasons()).containsOnlyOnce("HostIdentityCopied");
    }

    @Test
    void underDryRunTheReplacementIsOnlyPlanned() {
        reconcileUntilReady();
        secondary.hostKey = CT110_KEY; // as if provisioned before
        state.save(state.stored().withHostKey(Role.SECONDARY, CT110_KEY));
        int stagings = keyed.stagings;
        resource.getSpec().dryRun = true;

        reconcile();

        assertThat(keyed.stagings).isEqualTo(stagings);
        assertThat(resource.getStatus().plannedActions).anyMatch(a -> a.startsWith("regenerate the SSH host keys"));
    }

    private void reconcileUntilFirstInstall() {
        for (int round = 0; round < 10 && keyed.installs == 0; round++) {
            reconcile();
        }
        assertThat(keyed.installs).isEqualTo(1);
    }

    private void assertOwnIdentity() {
        DurableState stored = state.stored();
        assertThat(secondary.hostKey).isNotEqualTo(primary.hostKey);
        assertThat(secondary.machineId).isNotEqualTo(primary.machineId);
        assertThat(stored.hostKey(Role.SECONDARY)).as("the secondary's real key is pinned").contains(secondary.hostKey);
        assertThat(stored.hostKey(Role.PRIMARY)).as("the primary's pin never changes").contains(CT110_KEY);
        assertThat(stored.pendingHostKeys(Role.SECONDARY)).isEmpty();
        assertThat(secondaryStatus().hostKeyFingerprint).isEqualTo(secondary.hostKey);
        assertThat(secondaryStatus().hostIdentity).isEqualTo(HostIdentityState.Own);
    }

    private NodeStatus secondaryStatus() {
        return resource.getStatus().nodes.stream().filter(n -> "secondary".equals(n.role)).findFirst().orElseThrow();
    }

    /** Nodes that note what was stored, staged and done when the first install reaches the secondary. */
    private final class KeyedNodes extends SimulatedNodes {
        DurableState atFirstInstall;
        String firstStaged;
        Integer actionsBeforeFirstInstall;
        int installs;

        @Override
        public synchronized Set<String> stageHostKeys(Role role) {
            Set<String> staged = super.stageHostKeys(role);
            firstStaged = firstStaged == null ? staged.iterator().next() : firstStaged;
            return staged;
        }

        @Override
        public synchronized Optional<String> installHostIdentity(Role role, Set<String> staged) {
            if (atFirstInstall == null) {
                atFirstInstall = state.stored();
                actionsBeforeFirstInstall = applied.size();
            }
            installs++;
            return super.installHostIdentity(role, staged);
        }
    }
}
