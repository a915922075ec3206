package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.SyncSpec;
import io.traefikha.api.TraefikHAClusterSpec;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.keepalived.Role;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.reconciler.SshNodeGateway;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import io.traefikha.sync.SyncState;
import java.time.Instant;
import java.util.Map;
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
            SyncOutcome first = nodes.syncConfig(spec.sync, SyncMemory.EMPTY, Instant.now());
            assertThat(pair.secondary.readFile(route)).isEqualTo("http:\n  routers: {}\n");
            assertThat(first.primaryHash()).isEqualTo(first.secondaryHash());

            pair.secondary.write(route, "edited by hand\n", "644");
            SyncOutcome drift = nodes.syncConfig(spec.sync, first.memory(), Instant.now());
            assertThat(drift.state()).isEqualTo(SyncState.Drifted);
            assertThat(drift.driftEvent()).hasValueSatisfying(message -> assertThat(message).contains("gateway-sync.yml"));
            assertThat(pair.secondary.readFile(route)).as("reverted from the primary").isEqualTo("http:\n  routers: {}\n");
        }
    }
}
