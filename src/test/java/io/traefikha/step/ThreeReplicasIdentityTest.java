package io.traefikha.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.HostIdentityState;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.domain.StorageView;
import io.traefikha.planner.DurableState;
import io.traefikha.reconciler.FixedConnections;
import io.traefikha.reconciler.MemoryStateStore;
import io.traefikha.reconciler.RecordingEvents;
import io.traefikha.simulator.node.SimulatedNodes;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three replicas, both secondaries clones of CT 110 with its host keys and machine id: each gets its own identity, its
 * own pin and its own write-ahead record, and a failure on one does not hold the other back.
 */
class ThreeReplicasIdentityTest {

    private static final String CT110_KEY = "SHA256:ct110";
    private static final Role THIRD = Role.of(2);
    private static final ContainerObservation RUNNING = new ContainerObservation(true, "proxmox", true, null, "traefik",
            null, true, Set.of(), null, null, List.of());

    private final SimulatedNodes nodes = new SimulatedNodes();
    private final MemoryStateStore state = new MemoryStateStore();
    private final RecordingEvents events = new RecordingEvents();
    private final IdentityStep identity = new IdentityStep(events);
    private TraefikHACluster resource;

    @BeforeEach
    void threeClonesOfCt110() {
        resource = ExampleSpecs.homelab();
        resource.getSpec().secondary = null;
        resource.getSpec().secondaries = List.of(secondary(111, "proxmox2", "traefik-2", "192.168.1.111/24"),
                secondary(112, "proxmox3", "traefik-3", "192.168.1.112/24"));
        nodes.nodes.put(THIRD, new SimulatedNodes.Node());
        for (SimulatedNodes.Node node : nodes.nodes.values()) {
            node.hostKey = CT110_KEY;
            node.machineId = "machine-id-of-ct-110";
        }
    }

    @Test
    void eachSecondaryGetsItsOwnHostKeyMachineIdAndPinAndThePrimaryKeepsItsOwn() {
        Round round = reconcile();

        SimulatedNodes.Node primary = nodes.nodes.get(Role.PRIMARY);
        SimulatedNodes.Node second = nodes.nodes.get(Role.SECONDARY);
        SimulatedNodes.Node third = nodes.nodes.get(THIRD);
        assertThat(List.of(primary.hostKey, second.hostKey, third.hostKey)).doesNotHaveDuplicates();
        assertThat(List.of(primary.machineId, second.machineId, third.machineId)).doesNotHaveDuplicates();
        assertThat(primary.hostKey).isEqualTo(CT110_KEY);
        DurableState stored = state.stored();
        assertThat(stored.hostKeys()).containsExactlyInAnyOrderEntriesOf(Map.of(Role.PRIMARY, CT110_KEY,
                Role.SECONDARY, second.hostKey, THIRD, third.hostKey));
        assertThat(stored.pendingHostKeys()).isEmpty();
        assertThat(round.identity(Role.SECONDARY)).isEqualTo(HostIdentityState.Own);
        assertThat(round.identity(THIRD)).isEqualTo(HostIdentityState.Own);
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("HostIdentityRegenerated"))
                .extracting(e -> e.message().substring(0, "CT 11x".length())).containsExactly("CT 111", "CT 112");

        int stagings = nodes.stagings;
        Round next = reconcile();
        assertThat(nodes.stagings).as("done once per secondary").isEqualTo(stagings).isEqualTo(2);
        assertThat(next.identity(THIRD)).isEqualTo(HostIdentityState.Own);
    }

    @Test
    void aFailedInstallOnTheFirstSecondaryDoesNotHoldTheSecondBackAndIsResumedWithItsRecordedKeys() {
        nodes.failingInstalls = 1; // the first install of the round, the secondary's

        Round failed = reconcile();

        assertThat(state.stored().pendingHostKeys(Role.SECONDARY)).as("recorded write-ahead, kept").isNotEmpty();
        assertThat(nodes.nodes.get(Role.SECONDARY).hostKey).isEqualTo(CT110_KEY);
        assertThat(failed.identity(Role.SECONDARY)).isEqualTo(HostIdentityState.Regenerating);
        assertThat(failed.status().build().condition("SecondaryProvisioned").message).startsWith("CT 111 still has");
        assertThat(state.stored().hostKey(THIRD)).as("the other secondary went ahead")
                .contains(nodes.nodes.get(THIRD).hostKey).isNotEqualTo(Optional.of(CT110_KEY));

        Round resumed = reconcile();

        assertThat(resumed.identity(Role.SECONDARY)).isEqualTo(HostIdentityState.Own);
        assertThat(state.stored().hostKey(Role.SECONDARY)).contains(nodes.nodes.get(Role.SECONDARY).hostKey);
        assertThat(state.stored().pendingHostKeys()).isEmpty();
        assertThat(nodes.stagings).as("the recorded keys are used, not new ones").isEqualTo(2);
    }

    @Test
    void aStoppedSecondaryIsLeftForLaterWhileTheRunningOneIsDone() {
        Round round = reconcile(Map.of(Role.SECONDARY, RUNNING, THIRD, ContainerObservation.missing()));

        assertThat(round.identity(Role.SECONDARY)).isEqualTo(HostIdentityState.Own);
        assertThat(round.identity(THIRD)).isNull();
        assertThat(nodes.nodes.get(THIRD).hostKey).isEqualTo(CT110_KEY);
        assertThat(nodes.stagings).isEqualTo(1);
    }

    private Round reconcile() {
        return reconcile(Map.of(Role.SECONDARY, RUNNING, THIRD, RUNNING));
    }

    private Round reconcile(Map<Role, ContainerObservation> secondaries) {
        StatusAggregator status = new StatusAggregator(resource, Clock.systemUTC());
        Round round = new Round(resource, status, new FixedConnections(null, nodes, Map.of()).with(state),
                Clock.systemUTC());
        round.proxmox(new ProxmoxObservation(RUNNING, secondaries, StorageView.UNREAD));
        identity.apply(round);
        resource.setStatus(status.build());
        return round;
    }

    private static SecondarySpec secondary(int vmid, String node, String hostname, String address) {
        SecondarySpec secondary = new SecondarySpec();
        secondary.vmid = vmid;
        secondary.node = node;
        secondary.hostname = hostname;
        secondary.address = address;
        return secondary;
    }
}
