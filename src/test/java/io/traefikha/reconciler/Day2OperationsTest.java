package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.MaintenanceSpec;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.UpgradeSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.Role;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Maintenance, rolling upgrade and rolling restart through the whole reconcile chain, against in-memory Proxmox and
 * simulated nodes whose VRRP election follows the priorities the operator really renders.
 */
class Day2OperationsTest {

    private static final Duration PERIOD = Duration.ofSeconds(15);
    private static final String UPGRADE = "apt-get install -y traefik=3.2.0 && systemctl restart traefik";

    private final FakeProxmox proxmox = new FakeProxmox();
    private final SimulatedNodes nodes = new SimulatedNodes();
    private final RecordingEvents events = new RecordingEvents();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T08:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events,
            new ReconcileMetrics(new SimpleMeterRegistry()), clock, Duration.ofSeconds(5));
    private TraefikHACluster resource;

    @BeforeEach
    void readyPair() {
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid("5f1e0c3a-0000-4000-8000-000000000001");
        resource.getMetadata().setGeneration(1L);
        for (int round = 0; round < 10 && resource.getStatus().phase != ClusterPhase.Ready; round++) {
            reconcile();
        }
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(holder()).isEqualTo(Role.PRIMARY);
    }

    @Test
    void maintenanceOfThePrimaryMovesTheVipToTheSecondaryKeepsItThereAndReturnsIt() {
        maintain("primary");

        reconcile(); // the primary's priority drops below the secondary's, keepalived reloads
        assertThat(holder()).isEqualTo(Role.SECONDARY);
        assertThat(nodes.applied).contains(new NodeAction.ReloadService(Role.PRIMARY, "keepalived", "its configuration changed"));
        assertThat(nodes.nodes.get(Role.PRIMARY).active).as("the maintained node's keepalived stays up").isTrue();
        assertThat(nodes.nodes.get(Role.PRIMARY).priority).isLessThan(nodes.nodes.get(Role.SECONDARY).priority);

        reconcile(); // confirmed: the secondary holds the VIP and answers
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Maintenance);
        assertThat(resource.getStatus().vip.holder).isEqualTo("traefik-2");
        assertThat(resource.getStatus().handover.state).isEqualTo("Held");
        assertThat(resource.getStatus().handover.reason).isEqualTo("maintenance of the primary");
        assertThat(condition(ConditionTypes.MAINTENANCE).reason).isEqualTo("VIPMoved");
        assertThat(condition(ConditionTypes.MAINTENANCE).message).contains("the secondary holds the VIP and answers");
        assertThat(events.reasons()).contains("HandoverStarted", "VIPHandedOver");
        assertThat(resource.getStatus().failovers.count).isEqualTo(1);

        reconcile();
        assertThat(holder()).as("kept there while maintenance lasts").isEqualTo(Role.SECONDARY);

        // A failure of the secondary during maintenance still fails over to the maintained primary.
        nodes.traefikDies(Role.SECONDARY);
        assertThat(holder()).isEqualTo(Role.PRIMARY);
        nodes.nodes.get(Role.SECONDARY).traefikHealthy = true;
        nodes.elect();
        assertThat(holder()).as("the pinned secondary takes it back once healthy").isEqualTo(Role.SECONDARY);

        resource.getSpec().maintenance = null;
        reconcile(); // the VIP is handed back to the primary
        reconcile();
        assertThat(holder()).isEqualTo(Role.PRIMARY);
        assertThat(resource.getStatus().handover).isNull();
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(condition(ConditionTypes.MAINTENANCE).status).isEqualTo(Condition.FALSE);
        assertThat(nodes.nodes.get(Role.PRIMARY).priority).isEqualTo(resource.getSpec().vip.priorities.primary);
    }

    @Test
    void withoutPreemptionTheSecondaryStillTakesTheVipForMaintenanceAndItReturns() {
        resource.getSpec().vip.preempt = false;
        reconcile();
        maintain("primary");

        reconcile();
        reconcile();
        assertThat(holder()).isEqualTo(Role.SECONDARY);

        resource.getSpec().maintenance = null;
        reconcile();
        reconcile();
        assertThat(holder()).as("returned to where it was before").isEqualTo(Role.PRIMARY);
    }

    @Test
    void maintenanceIsRefusedWhenTheOtherNodeIsNotHealthy() {
        nodes.traefikDies(Role.SECONDARY);
        maintain("primary");

        reconcile();
        reconcile();

        assertThat(holder()).as("never handed to a broken node").isEqualTo(Role.PRIMARY);
        assertThat(condition(ConditionTypes.MAINTENANCE).reason).isEqualTo("Refused");
        assertThat(condition(ConditionTypes.MAINTENANCE).message).contains("refused to move the VIP to the secondary")
                .contains("its Traefik is not healthy");
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("HandoverRefused")).hasSize(1);
        assertThat(nodes.nodes.get(Role.PRIMARY).priority).isEqualTo(resource.getSpec().vip.priorities.primary);
    }

    @Test
    void aRollingUpgradeGoesNodeByNodeAndEndsWithTheVipOnThePrimary() {
        nodes.onCommand(UPGRADE, node -> {
            node.traefikVersion = "3.2.0";
            return 0;
        });
        List<Role> holders = new java.util.ArrayList<>();
        upgrade("3.2.0", UPGRADE);

        for (int round = 0; round < 12 && !"Succeeded".equals(rolloutPhase()); round++) {
            reconcile();
            holders.add(holder());
        }

        assertThat(rolloutPhase()).isEqualTo("Succeeded");
        assertThat(nodes.applied).filteredOn(a -> a instanceof NodeAction.StartJob).extracting(NodeAction::role)
                .containsExactly(Role.SECONDARY, Role.PRIMARY);
        assertThat(holders).as("the VIP went to the upgraded secondary, then back").contains(Role.SECONDARY)
                .endsWith(Role.PRIMARY).doesNotContainNull();
        assertThat(resource.getStatus().nodes).extracting(n -> n.role + "=" + n.traefikVersion)
                .containsExactly("primary=3.2.0", "secondary=3.2.0");
        assertThat(condition(ConditionTypes.ROLLOUT).reason).isEqualTo("Succeeded");
        assertThat(resource.getStatus().handover).isNull();
        assertThat(events.reasons()).contains("RolloutStep", "VIPHandedOver", "RolloutSucceeded");

        int jobs = nodes.applied.size();
        reconcile();
        assertThat(nodes.applied).as("a finished rollout is not repeated").hasSize(jobs);
    }

    @Test
    void aBrokenVersionStopsAtTheFirstNodeAndTheVipStaysOnTheHealthyOne() {
        nodes.onCommand("install-broken", node -> {
            node.traefikVersion = "3.2.0";
            node.traefikHealthy = false; // the new Traefik does not answer its ping
            return 0;
        });
        upgrade("3.2.0", "install-broken");
        resource.getSpec().traefik.stepTimeout = "30s";

        for (int round = 0; round < 12 && !"Failed".equals(rolloutPhase()); round++) {
            reconcile();
            now.set(now.get().plusSeconds(5));
        }

        assertThat(rolloutPhase()).isEqualTo("Failed");
        assertThat(resource.getStatus().rollout.step).isEqualTo("Verify");
        assertThat(resource.getStatus().rollout.node).isEqualTo("secondary");
        assertThat(resource.getStatus().rollout.message).contains("step Verify on the secondary failed")
                .contains("Traefik is not healthy").contains("The VIP stays on the primary");
        assertThat(nodes.applied).filteredOn(a -> a instanceof NodeAction.StartJob).extracting(NodeAction::role)
                .containsExactly(Role.SECONDARY);
        assertThat(holder()).isEqualTo(Role.PRIMARY);
        assertThat(condition(ConditionTypes.ROLLOUT).reason).isEqualTo("Failed");
        assertThat(events.reasons()).contains("RolloutFailed");

        // The secondary's Traefik recovers on its own: the VIP still stays on the primary until the request changes.
        nodes.nodes.get(Role.SECONDARY).traefikHealthy = true;
        reconcile();
        reconcile();
        assertThat(holder()).isEqualTo(Role.PRIMARY);
        assertThat(nodes.applied).filteredOn(a -> a instanceof NodeAction.StartJob).hasSize(1);
    }

    @Test
    void anUpgradeWaitsWhileTheOtherNodeIsUnhealthy() {
        nodes.traefikDies(Role.SECONDARY);
        upgrade("3.2.0", UPGRADE);

        reconcile();

        assertThat(rolloutPhase()).isEqualTo("Pending");
        assertThat(condition(ConditionTypes.ROLLOUT).reason).isEqualTo("Waiting");
        assertThat(nodes.applied).noneMatch(a -> a instanceof NodeAction.StartJob);
    }

    @Test
    void aChangedStaticConfigurationIsARollingRestartAndThenCountsAsApplied() {
        nodes.staticConfigHash = "edited";

        for (int round = 0; round < 12 && !"Succeeded".equals(rolloutPhase()); round++) {
            reconcile();
        }

        assertThat(rolloutPhase()).isEqualTo("Succeeded");
        assertThat(resource.getStatus().rollout.kind).isEqualTo("Restart");
        assertThat(nodes.applied).filteredOn(a -> a instanceof NodeAction.StartJob)
                .extracting(a -> a.role() + " " + ((NodeAction.StartJob) a).command())
                .containsExactly("SECONDARY systemctl restart traefik", "PRIMARY systemctl restart traefik");
        assertThat(events.reasons()).contains("StaticConfigChanged", "RolloutSucceeded");

        reconcile();
        reconcile();
        assertThat(resource.getStatus().sync.appliedStaticConfigHash).isEqualTo("edited");
        assertThat(nodes.applied).filteredOn(a -> a instanceof NodeAction.StartJob).hasSize(2);
        assertThat(holder()).isEqualTo(Role.PRIMARY);
    }

    @Test
    void noRolloutStartsDuringMaintenance() {
        maintain("secondary");
        upgrade("3.2.0", UPGRADE);

        reconcile();
        reconcile();

        assertThat(nodes.applied).noneMatch(a -> a instanceof NodeAction.StartJob);
        assertThat(holder()).isEqualTo(Role.PRIMARY);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Maintenance);
    }

    @Test
    void underDryRunTheOperationsAreOnlyPlanned() {
        resource.getSpec().dryRun = true;
        maintain("primary");
        upgrade("3.2.0", UPGRADE);
        int applied = nodes.applied.size();

        reconcile();
        reconcile();

        assertThat(nodes.applied).as("nothing reloaded, nothing run").hasSize(applied);
        assertThat(holder()).isEqualTo(Role.PRIMARY);
        assertThat(resource.getStatus().plannedActions)
                .anySatisfy(a -> assertThat(a).startsWith("maintenance of the primary: hand the VIP to the secondary"))
                .anySatisfy(a -> assertThat(a).startsWith("rolling upgrade of Traefik to 3.2.0 with '" + UPGRADE + "'"));
    }

    private void maintain(String node) {
        resource.getSpec().maintenance = new MaintenanceSpec();
        resource.getSpec().maintenance.node = node;
    }

    private void upgrade(String version, String command) {
        resource.getSpec().traefik.upgrade = new UpgradeSpec();
        resource.getSpec().traefik.upgrade.version = version;
        resource.getSpec().traefik.upgrade.command = command;
    }

    private String rolloutPhase() {
        return resource.getStatus().rollout == null ? null : resource.getStatus().rollout.phase;
    }

    private Role holder() {
        return nodes.vipHolder();
    }

    private void reconcile() {
        Rounds.run(reconciliation, resource, new FixedConnections(proxmox, nodes, resource.getSpec()), PERIOD, clock);
    }

    private Condition condition(String type) {
        return resource.getStatus().condition(type);
    }
}
