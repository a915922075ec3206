package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import io.traefikha.sync.SyncState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reconciler's sync step over real SSH: a route written on the primary reaches the secondary, drift is healed. */
class GatewaySyncE2ETest extends HaPairE2ETest {


    @Test
    void aRouteOnThePrimaryReachesTheSecondaryAndAnEditOnTheSecondaryIsReverted() {
        TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
        spec.sync.mode = SyncSpec.SyncMode.Push;
        Map<Role, HostKeyPolicy> hostKeys = Map.of(Role.PRIMARY, new HostKeyPolicy.TrustOnFirstUse(pair.primary.hostKeyFingerprint()),
                Role.SECONDARY, new HostKeyPolicy.TrustOnFirstUse(pair.secondary.hostKeyFingerprint()));
        String route = "/etc/traefik/dynamic/gateway-sync.yml";
        pair.primary.write(route, "http:\n  routers: {}\n", "644");

        try (SshNodeGateway nodes = new SshNodeGateway(pair.access, spec, pair.bed.ed25519Key(), hostKeys)) {
            SyncOutcome first = nodes.syncConfig(spec.sync, SyncMemory.EMPTY,
                    Instant.now(), Set.copyOf(spec.secondaryRoles()));
            assertThat(pair.secondary.readFile(route)).isEqualTo("http:\n  routers: {}\n");
            assertThat(first.primaryHash()).isEqualTo(first.secondaryHash());

            pair.secondary.write(route, "edited by hand\n", "644");
            SyncOutcome drift = nodes.syncConfig(spec.sync, first.memory(),
                    Instant.now(), Set.copyOf(spec.secondaryRoles()));
            assertThat(drift.state()).isEqualTo(SyncState.Drifted);
            assertThat(drift.driftEvent()).hasValueSatisfying(message -> assertThat(message).contains("gateway-sync.yml"));
            assertThat(pair.secondary.readFile(route)).as("reverted from the primary").isEqualTo("http:\n  routers: {}\n");
        }
    }

    /** The reconciler's way: each period probes both nodes and syncs from the trees the probes listed. */
    @Test
    void theProbedTreesDriveTheSyncAndOnlyADifferenceCostsMoreRoundTrips() {
        TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
        spec.sync.mode = SyncSpec.SyncMode.Push;
        String route = "/etc/traefik/dynamic/gateway-probed-sync.yml";
        pair.primary.write(route, "http:\n  routers: {}\n", "644");
        CountingNodeAccess counting = new CountingNodeAccess(pair.access);

        SyncOutcome first = period(counting, spec, SyncMemory.EMPTY);
        assertThat(pair.secondary.readFile(route)).isEqualTo("http:\n  routers: {}\n");
        assertThat(first.primaryHash()).isEqualTo(first.secondaryHash());
        assertThat(counting.roundTrips(HaPair.SECONDARY_ADDRESS)).as("probe, copy, confirming listing").isGreaterThan(1);

        counting.reset();
        SyncOutcome steady = period(counting, spec, first.memory());
        assertThat(steady.state()).isEqualTo(SyncState.InSync);
        assertThat(counting.roundTrips(HaPair.PRIMARY_ADDRESS)).isEqualTo(1);
        assertThat(counting.roundTrips(HaPair.SECONDARY_ADDRESS)).isEqualTo(1);

        pair.secondary.write(route, "edited by hand\n", "644");
        SyncOutcome drift = period(counting, spec, steady.memory());
        assertThat(drift.state()).isEqualTo(SyncState.Drifted);
        assertThat(drift.driftEvent()).hasValueSatisfying(message -> assertThat(message).contains("gateway-probed-sync.yml"));
        assertThat(pair.secondary.readFile(route)).as("reverted from the primary").isEqualTo("http:\n  routers: {}\n");
    }

    /** Three replicas: both secondaries get the primary's files; an edit on one is named, reverted there alone. */
    @Test
    void withThreeReplicasBothSecondariesGetTheFilesAndDriftOnOneIsNamedAndReverted() {
        BedHost third = pair.bed.addHost("traefik-3", TestBed.SUBNET + "13");
        try {
            TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
            SecondarySpec thirdSpec = new SecondarySpec();
            thirdSpec.node = "proxmox3";
            thirdSpec.vmid = 112;
            thirdSpec.hostname = third.name();
            thirdSpec.address = TestBed.SUBNET + "13/" + TestBed.PREFIX_LENGTH;
            spec.secondaries = List.of(spec.secondary, thirdSpec);
            spec.secondary = null;
            spec.sync.mode = SyncSpec.SyncMode.Push;
            String route = "/etc/traefik/dynamic/gateway-three-sync.yml";
            String content = "http:\n  routers: {}\n";
            pair.primary.write(route, content, "644");
            Map<Role, HostKeyPolicy> hostKeys = Map.of(
                    Role.PRIMARY, new HostKeyPolicy.TrustOnFirstUse(pair.primary.hostKeyFingerprint()),
                    Role.SECONDARY, new HostKeyPolicy.TrustOnFirstUse(pair.secondary.hostKeyFingerprint()),
                    Role.of(2), new HostKeyPolicy.TrustOnFirstUse(third.hostKeyFingerprint()));

            try (SshNodeGateway nodes = new SshNodeGateway(pair.access, spec, pair.bed.ed25519Key(), hostKeys)) {
                SyncOutcome first = nodes.syncConfig(spec.sync, SyncMemory.EMPTY,
                        Instant.now(), Set.copyOf(spec.secondaryRoles()));
                assertThat(pair.secondary.readFile(route)).isEqualTo(content);
                assertThat(third.readFile(route)).isEqualTo(content);
                SyncOutcome steady = nodes.syncConfig(spec.sync, first.memory(),
                        Instant.now(), Set.copyOf(spec.secondaryRoles()));
                assertThat(steady.state()).isEqualTo(SyncState.InSync);
                assertThat(steady.configInSync().message()).contains("secondary, secondary-2");
                assertThat(steady.toStatus().behind).isNull();

                third.write(route, "edited by hand\n", "644");
                SyncOutcome drift = nodes.syncConfig(spec.sync, steady.memory(),
                        Instant.now(), Set.copyOf(spec.secondaryRoles()));
                assertThat(drift.state()).isEqualTo(SyncState.Drifted);
                assertThat(drift.driftEvent()).hasValueSatisfying(message -> assertThat(message)
                        .startsWith("the secondary-2: ").contains("gateway-three-sync.yml").doesNotContain("the secondary: "));
                assertThat(third.readFile(route)).as("reverted from the primary").isEqualTo(content);
                assertThat(pair.secondary.readFile(route)).isEqualTo(content);
            }
        } finally {
            pair.bed.removeHost(third.name());
        }
    }

    private static SyncOutcome period(CountingNodeAccess access, TraefikHAClusterSpec spec, SyncMemory memory) {
        Map<Role, HostKeyPolicy> hostKeys = Map.of(Role.PRIMARY, new HostKeyPolicy.TrustOnFirstUse(pair.primary.hostKeyFingerprint()),
                Role.SECONDARY, new HostKeyPolicy.TrustOnFirstUse(pair.secondary.hostKeyFingerprint()));
        try (SshNodeGateway nodes = new SshNodeGateway(access, spec, pair.bed.ed25519Key(), hostKeys)) {
            assertThat(nodes.probe(Role.PRIMARY, List.of()).reachable()).isTrue();
            assertThat(nodes.probe(Role.SECONDARY, List.of()).reachable()).isTrue();
            return nodes.syncConfig(spec.sync, memory, Instant.now(), Set.copyOf(spec.secondaryRoles()));
        }
    }
}
