package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.MaintenanceSpec;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.UpgradeSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.Role;
import io.traefikha.http.TlsTrust;
import io.traefikha.planner.DrillPlanner;
import io.traefikha.planner.SplitBrainContext;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.proxmox.ProxmoxApiGateway;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.ProxmoxMemory;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Maintenance, a rolling upgrade, config sync, split brain and a drill with three replicas through the whole reconcile
 * chain: the Proxmox VE simulator
 * (proxmox, proxmox2, proxmox3) clones CT 111 and CT 112, the simulated containers follow it and elect by the priorities
 * the operator renders.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class ThreeReplicasChainTest {

    private static final Duration PERIOD = Duration.ofSeconds(15);
    private static final String UPGRADE = "apt-get install -y traefik=3.2.0 && systemctl restart traefik";
    private static final Role SECONDARY_2 = Role.of(2);

    private final SimulatedNodes nodes = new SimulatedNodes();
    private final RecordingEvents events = new RecordingEvents();
    private final MovableClock clock = new MovableClock(Instant.now());
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events,
            new ReconcileMetrics(new SimpleMeterRegistry()), clock, Duration.ZERO);
    private ProxmoxSimulator simulator;
    private ProxmoxApiGateway proxmox;
    private ProxmoxClient client;
    private TraefikHACluster resource;

    @BeforeEach
    void threeReadyReplicas() {
        simulator = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(20)).statsInterval(Duration.ZERO).start();
        nodes.powerOff(Role.SECONDARY); // nothing answers at .111 (nor .112) before the clones
        simulator.addListener(nodes.following(110, 2));
        client = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(),
                simulator.tokenSecret(), TlsTrust.fingerprint(simulator.fingerprint())));
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid("57ead700-0000-4000-8000-000000000004");
        resource.getMetadata().setGeneration(1L);
        ExampleSpecs.threeReplicas(resource.getSpec());
        proxmox = new ProxmoxApiGateway(client, new TaskWaiter(client, Duration.ofMillis(10), Duration.ofMillis(100), 10),
                resource.getSpec(), Duration.ofMinutes(1), new ProxmoxMemory(5));

        Rounds.until(30, "Ready with three replicas", this::reconcile, () -> resource,
                r -> r.getStatus().phase == ClusterPhase.Ready);
        assertThat(holder()).isEqualTo(Role.PRIMARY);
        assertThat(resource.getStatus().nodes).extracting(n -> n.role).containsExactly("primary", "secondary",
                "secondary-2");
        assertThat(resource.getStatus().condition(ConditionTypes.LSYNCD_RUNNING).message)
                .contains("to every secondary (secondary, secondary-2)");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void maintenanceMovesTheVipToTheSecondaryThenToSecondary2WhenTheSecondaryFailsAndNeverBackAndForth() {
        maintain("primary");
        reconcile();
        reconcile();
        assertThat(holder()).isEqualTo(Role.SECONDARY);
        assertThat(condition(ConditionTypes.MAINTENANCE).message).contains("the secondary holds the VIP and answers");

        nodes.traefikDies(Role.SECONDARY);
        reconcile();
        reconcile();
        assertThat(holder()).as("re-targeted to the next healthy replica, not the maintained primary")
                .isEqualTo(SECONDARY_2);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Maintenance);
        assertThat(condition(ConditionTypes.MAINTENANCE).message).contains("the secondary-2 holds the VIP and answers");
        assertThat(nodes.nodes.get(Role.PRIMARY).priority).as("the maintained primary is last in line")
                .isLessThan(nodes.nodes.get(Role.SECONDARY).priority);
        assertThat(nodes.nodes.get(Role.SECONDARY).priority).isLessThan(nodes.nodes.get(SECONDARY_2).priority);

        nodes.traefikRecovers(Role.SECONDARY);
        reconcile();
        reconcile();
        assertThat(holder()).as("a healthy target is kept: the VIP does not move back and forth").isEqualTo(SECONDARY_2);

        resource.getSpec().maintenance = null;
        reconcile();
        reconcile();
        assertThat(holder()).isEqualTo(Role.PRIMARY);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(resource.getStatus().handover).isNull();
    }

    @Test
    void maintenanceOfTheLastHealthyReplicaIsRefusedAndTheVipStays() {
        nodes.traefikDies(Role.SECONDARY);
        nodes.traefikDies(SECONDARY_2);
        maintain("primary");

        reconcile();
        reconcile();

        assertThat(holder()).as("never handed to a broken replica").isEqualTo(Role.PRIMARY);
        assertThat(condition(ConditionTypes.MAINTENANCE).reason).isEqualTo("Refused");
        assertThat(condition(ConditionTypes.MAINTENANCE).message).contains("refused to move the VIP to the secondary")
                .contains("its Traefik is not healthy");
        assertThat(events.reasons()).contains("HandoverRefused");
        assertThat(nodes.nodes.get(Role.PRIMARY).priority).isEqualTo(resource.getSpec().vip.priorities.primary);
    }

    @Test
    void aRollingUpgradeTakesOneReplicaAtATimeTheHolderLastAndEndsWithTheVipOnThePrimary() {
        nodes.onCommand(UPGRADE, node -> {
            node.traefikVersion = "3.2.0";
            return 0;
        });
        resource.getSpec().traefik.upgrade = new UpgradeSpec();
        resource.getSpec().traefik.upgrade.version = "3.2.0";
        resource.getSpec().traefik.upgrade.command = UPGRADE;
        List<Long> jobsPerRound = new ArrayList<>();
        List<Role> holders = new ArrayList<>();

        for (int round = 0; round < 20 && !"Succeeded".equals(rolloutPhase()); round++) {
            long before = jobs().size();
            reconcile();
            jobsPerRound.add(jobs().size() - before);
            holders.add(holder());
        }

        assertThat(rolloutPhase()).isEqualTo("Succeeded");
        assertThat(jobs()).extracting(NodeAction::role).containsExactly(Role.SECONDARY, SECONDARY_2, Role.PRIMARY);
        assertThat(jobsPerRound).as("one replica at a time").allMatch(jobs -> jobs <= 1);
        assertThat(holders).as("the VIP left the primary for its upgrade and came back").doesNotContainNull()
                .anyMatch(role -> !role.equals(Role.PRIMARY)).endsWith(Role.PRIMARY);
        assertThat(resource.getStatus().nodes).extracting(n -> n.role + "=" + n.traefikVersion)
                .containsExactly("primary=3.2.0", "secondary=3.2.0", "secondary-2=3.2.0");
        assertThat(resource.getStatus().handover).isNull();
        assertThat(events.reasons()).contains("RolloutStep", "VIPHandedOver", "RolloutSucceeded");
    }

    @Test
    void whileSecondary2DoesNotAnswerTheSecondaryIsStillSyncedAndConfigInSyncNamesTheOneThatIsNot() {
        int syncRounds = nodes.syncRounds;
        nodes.powerOff(SECONDARY_2); // CT 112 still runs as Proxmox sees it; nothing in it answers

        reconcile();

        assertThat(nodes.syncRounds).as("the secondary that answers is compared and synced").isEqualTo(syncRounds + 1);
        assertThat(resource.getStatus().sync.state).isEqualTo("Unreachable");
        assertThat(condition(ConditionTypes.CONFIG_IN_SYNC).status).isEqualTo(Condition.FALSE);
        assertThat(condition(ConditionTypes.CONFIG_IN_SYNC).message)
                .isEqualTo("the secondary-2: not reachable, so its files were not compared");
        assertThat(resource.getStatus().phase).isNotEqualTo(ClusterPhase.Ready);

        nodes.powerOn(SECONDARY_2);
        Rounds.until(10, "Ready again", this::reconcile, () -> resource, r -> r.getStatus().phase == ClusterPhase.Ready);
        assertThat(condition(ConditionTypes.CONFIG_IN_SYNC).reason).isEqualTo("InSync");
        assertThat(resource.getStatus().sync.state).isEqualTo("InSync");
    }

    @Test
    void threeLiveMastersAreCutToThePrimaryUntilTheAdvertsCrossAgain() {
        nodes.blockAdverts(true);
        assertThat(nodes.nodes.values()).as("the simulation has all three holding the VIP").allMatch(node -> node.vip);

        reconcile(); // seen once, not yet acted on
        reconcile();

        assertThat(condition(ConditionTypes.SPLIT_BRAIN).status).isEqualTo(Condition.TRUE);
        assertThat(condition(ConditionTypes.SPLIT_BRAIN).reason).isEqualTo("AdvertsNotCrossing");
        assertThat(nodes.applied).contains(new NodeAction.StopService(Role.SECONDARY, "keepalived"),
                new NodeAction.StopService(SECONDARY_2, "keepalived"));
        assertThat(holder()).as("only the preferred holder keeps it").isEqualTo(Role.PRIMARY);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Degraded);

        nodes.blockAdverts(false);
        clock.advance(SplitBrainContext.RETRY_AFTER);
        Rounds.until(5, "Ready again", this::reconcile, () -> resource, r -> r.getStatus().phase == ClusterPhase.Ready);
        assertThat(nodes.applied).contains(new NodeAction.StartService(Role.SECONDARY, "keepalived"),
                new NodeAction.StartService(SECONDARY_2, "keepalived"));
        assertThat(condition(ConditionTypes.SPLIT_BRAIN).status).isEqualTo(Condition.FALSE);
        assertThat(nodes.nodes.get(Role.SECONDARY).state).isEqualTo("BACKUP");
        assertThat(nodes.nodes.get(SECONDARY_2).state).isEqualTo("BACKUP");
    }

    @Test
    void aDrillOfTheMasterHandsTheVipToTheNextReplicaInLineAndBack() {
        resource.getMetadata().getAnnotations().put(DrillPlanner.ANNOTATION, "now");

        reconcile();

        DrillStatus drill = resource.getStatus().lastDrill;
        assertThat(drill.result).as(drill.message).isEqualTo(DrillStatus.SUCCEEDED);
        assertThat(drill.node).isEqualTo("primary");
        assertThat(drill.message).contains("the secondary took the VIP").contains("the primary took it back");
        assertThat(holder()).isEqualTo(Role.PRIMARY);
        assertThat(nodes.nodes.get(Role.PRIMARY).traefikHealthy).isTrue();
    }

    /** Proxmox's side of a steady round is pinned by ThreeReplicasProvisioningTest; this is the nodes' side. */
    @Test
    void aSteadyRoundProbesEachReplicaOnceAndChangesNothing() {
        reconcile();
        int applied = nodes.applied.size();
        int primaryChecks = nodes.primaryChecks;
        for (int round = 0; round < 5; round++) {
            int probes = nodes.probes;
            reconcile();
            assertThat(nodes.probes - probes).as("round %d: one probe per replica", round).isEqualTo(3);
        }
        assertThat(nodes.applied).as("nothing to change").hasSize(applied);
        assertThat(nodes.primaryChecks).as("preflight's address probes are not repeated").isEqualTo(primaryChecks);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
    }

    /**
     * CT 112 stopped from the GUI: the round that starts it again waits for it before the nodes' checks, as a round
     * that clones a new replica does; meanwhile the phase says the VIP is still served but not every replica is there.
     */
    @Test
    void whileAReplicaIsBroughtBackThePhaseIsDegradedNotReadyAndTheVipStaysServed() {
        client.stop("proxmox3", 112);
        for (int poll = 0; poll < 100 && simulator.isRunning(112); poll++) {
            sleep(20);
        }
        assertThat(simulator.isRunning(112)).isFalse();

        reconcile();

        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Degraded);
        assertThat(condition(ConditionTypes.READY).status).isEqualTo(Condition.FALSE);
        assertThat(condition(ConditionTypes.SECONDARY_PROVISIONED).status).isEqualTo(Condition.FALSE);
        assertThat(holder()).isEqualTo(Role.PRIMARY);
        Rounds.until(10, "Ready again", this::reconcile, () -> resource, r -> r.getStatus().phase == ClusterPhase.Ready);
        assertThat(simulator.isRunning(112)).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void maintain(String node) {
        resource.getSpec().maintenance = new MaintenanceSpec();
        resource.getSpec().maintenance.node = node;
    }

    private String rolloutPhase() {
        return resource.getStatus().rollout == null ? null : resource.getStatus().rollout.phase;
    }

    private List<NodeAction> jobs() {
        return nodes.applied.stream().filter(a -> a instanceof NodeAction.StartJob).toList();
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
