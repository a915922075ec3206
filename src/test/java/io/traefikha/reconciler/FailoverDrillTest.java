package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.DrillScenario;
import io.traefikha.api.v1alpha1.DrillSpec;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.domain.Uptake;
import io.traefikha.planner.DrillPlanner;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.step.VipProber;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failover drills in the reconcile chain against in-memory nodes whose simulated election moves the VIP when Traefik or
 * keepalived stops on the MASTER: measured, recorded, refused when not Ready, and always restored.
 */
class FailoverDrillTest {

    private static final Map<Role, List<ManagedFile>> FILES = Map.of(
            Role.PRIMARY, List.of(new ManagedFile(RemoteFile.rootOwned("/etc/keepalived/keepalived.conf", "state MASTER", 0644), Uptake.AT_LOAD)),
            Role.SECONDARY, List.of(new ManagedFile(RemoteFile.rootOwned("/etc/keepalived/keepalived.conf", "state BACKUP", 0644), Uptake.AT_LOAD)));

    private final FakeProxmox proxmox = new FakeProxmox();
    private final BreakableNodes nodes = new BreakableNodes();
    private final RecordingEvents events = new RecordingEvents();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events, new ReconcileMetrics(registry),
            Clock.systemUTC(), Duration.ofSeconds(5));
    private final List<String> journal = new ArrayList<>();
    private VipProber prober = nodes::vipAnswers;
    private TraefikHACluster resource;

    /** In-memory nodes whose probe can be made to throw, as a bug in the operator midway through a drill would. */
    static final class BreakableNodes extends SimulatedNodes {
        boolean probeThrows;

        @Override
        public synchronized NodeObservation probe(Role role, List<ManagedFile> managedFiles) {
            if (probeThrows) {
                throw new IllegalStateException("operator bug while probing");
            }
            return super.probe(role, managedFiles);
        }
    }

    @BeforeEach
    void readyPair() {
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid("5f1e0c3a-0000-4000-8000-000000000002");
        resource.getMetadata().setGeneration(1L);
        resource.getMetadata().setCreationTimestamp("2026-11-25T08:00:00Z");
        for (int round = 0; round < 10 && resource.getStatus() == null || resource.getStatus().phase != ClusterPhase.Ready; round++) {
            reconcile();
        }
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        nodes.applied.clear();
    }

    @Test
    void anAnnotationDrillsTheMasterMeasuresTheGapAndRestoresTraefik() {
        resource.getMetadata().getAnnotations().put(DrillPlanner.ANNOTATION, "1764064800");

        reconcile();

        DrillStatus drill = resource.getStatus().lastDrill;
        assertThat(drill.result).as(drill.message).isEqualTo(DrillStatus.SUCCEEDED);
        assertThat(drill.scenario).isEqualTo(DrillScenario.StopTraefik);
        assertThat(drill.node).isEqualTo("primary");
        assertThat(drill.trigger).isEqualTo("annotation:1764064800");
        assertThat(drill.gapMillis).isNotNull();
        assertThat(drill.failbackGapMillis).isNotNull();
        assertThat(drill.message).contains("the secondary took the VIP").contains("the primary took it back");
        assertThat(journal).as("written before traefik was stopped").containsExactly(DrillStatus.RUNNING);
        assertThat(nodes.applied).containsExactly(new NodeAction.StopService(Role.PRIMARY, "traefik"),
                new NodeAction.StartService(Role.PRIMARY, "traefik"));
        assertThat(nodes.nodes.get(Role.PRIMARY).traefikHealthy).isTrue();
        assertThat(nodes.nodes.get(Role.PRIMARY).vip).isTrue();
        assertThat(events.reasons()).contains("DrillStarted", "DrillSucceeded");
        assertThat(registry.get("traefikha.drill.gap").tag("phase", "failover").timer().count()).isEqualTo(1);
        assertThat(registry.get("traefikha.drills").tag("result", "Succeeded").counter().count()).isEqualTo(1);

        reconcile();
        assertThat(nodes.applied).as("the same annotation value drills once").hasSize(2);
        assertThat(resource.getStatus().failovers).as("a drill restores the holder; no failover is counted").isNull();
    }

    @Test
    void aStopKeepalivedDrillHandsTheVipOverAndBack() {
        resource.getSpec().drill = new DrillSpec();
        resource.getSpec().drill.scenario = DrillScenario.StopKeepalived;
        resource.getMetadata().getAnnotations().put(DrillPlanner.ANNOTATION, "now");

        reconcile();

        assertThat(resource.getStatus().lastDrill.result).as(resource.getStatus().lastDrill.message).isEqualTo(DrillStatus.SUCCEEDED);
        assertThat(nodes.applied).containsExactly(new NodeAction.StopService(Role.PRIMARY, "keepalived"),
                new NodeAction.StartService(Role.PRIMARY, "keepalived"));
        assertThat(nodes.nodes.get(Role.PRIMARY).active).isTrue();
        assertThat(nodes.nodes.get(Role.PRIMARY).vip).isTrue();
    }

    @Test
    void aDueDrillIsRefusedWhileTheClusterIsNotReadyAndNothingIsStopped() {
        nodes.nodes.get(Role.SECONDARY).reachable = false;
        resource.getMetadata().getAnnotations().put(DrillPlanner.ANNOTATION, "now");

        reconcile();

        assertThat(nodes.applied).isEmpty();
        assertThat(resource.getStatus().lastDrill).isNull();
        assertThat(events.recorded).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("DrillRefused");
            assertThat(e.message()).contains("not Ready");
        });
    }

    @Test
    void anOperatorErrorMidwayStillStartsTraefikAgain() {
        resource.getMetadata().getAnnotations().put(DrillPlanner.ANNOTATION, "now");
        AtomicInteger probes = new AtomicInteger();
        prober = () -> {
            if (probes.incrementAndGet() == 3) {
                nodes.probeThrows = true; // the reconcile thread's next look at the nodes fails
            }
            return nodes.vipAnswers();
        };

        reconcile();
        nodes.probeThrows = false;

        assertThat(resource.getStatus().lastDrill.result).isEqualTo(DrillStatus.FAILED);
        assertThat(resource.getStatus().lastDrill.message).contains("operator bug while probing");
        assertThat(nodes.applied).endsWith(new NodeAction.StartService(Role.PRIMARY, "traefik"));
        assertThat(nodes.nodes.get(Role.PRIMARY).traefikHealthy).isTrue();
        assertThat(events.reasons()).contains("DrillFailed");
    }

    @Test
    void aBrokenVipProbeFailsTheDrillAndTraefikRunsAgain() {
        resource.getMetadata().getAnnotations().put(DrillPlanner.ANNOTATION, "now");
        prober = () -> {
            throw new IllegalStateException("probe socket exhausted");
        };

        reconcile();

        assertThat(resource.getStatus().lastDrill.result).isEqualTo(DrillStatus.FAILED);
        assertThat(resource.getStatus().lastDrill.message).contains("the VIP probe broke").contains("probe socket exhausted");
        assertThat(nodes.nodes.get(Role.PRIMARY).traefikHealthy).isTrue();
    }

    @Test
    void aDrillCutShortByAnOperatorRestartIsRestoredOnTheNextReconcile() {
        // What the write-ahead left behind when the operator died with Traefik stopped on the primary.
        DrillStatus running = new DrillStatus();
        running.when = "2026-11-25T09:00:00Z";
        running.scenario = DrillScenario.StopTraefik;
        running.node = "primary";
        running.result = DrillStatus.RUNNING;
        running.message = "stopping traefik on the primary";
        resource.getStatus().lastDrill = running;
        nodes.apply(new NodeAction.StopService(Role.PRIMARY, "traefik"));
        nodes.applied.clear();

        reconcile();

        assertThat(nodes.applied).contains(new NodeAction.StartService(Role.PRIMARY, "traefik"));
        assertThat(nodes.nodes.get(Role.PRIMARY).traefikHealthy).isTrue();
        assertThat(resource.getStatus().lastDrill.result).isEqualTo(DrillStatus.INTERRUPTED);
        assertThat(resource.getStatus().lastDrill.message).contains("traefik was started again on the primary");
        assertThat(events.reasons()).contains("DrillInterrupted");
    }

    private void reconcile() {
        Rounds.run(reconciliation, resource, new FixedConnections(proxmox, nodes, FILES, Optional.empty(),
                new FixedConnections.MemoryRegistry(), () -> prober.answers(), running -> journal.add(running.result)),
                Duration.ofSeconds(15));
    }
}
