package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.MaintenanceSpec;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.UpgradeSpec;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.testbed.HaPair;
import io.traefikha.testbed.HaPairE2ETest;
import io.traefikha.testbed.Timeline;
import io.traefikha.testbed.VipPoller;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Day-2 operations through the whole reconcile chain over real SSH, against real keepalived and Traefik stand-ins on
 * the test bed (Proxmox in memory), while a client polls the VIP every 10 ms and counts the requests it lost (not
 * answered within 2 s, as a client would wait; the failover benchmarks use 50 ms to measure gaps instead). The first
 * test prints a baseline taken while nothing moves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Day2OperationsE2ETest extends HaPairE2ETest {

    /** Installs the stand-in of a new Traefik version on a node, as an apt-get install and restart would. */
    private static final String INSTALL = "sed -e 's/^VERSION = .*/VERSION = \"3.2.0\"/' %s /usr/local/bin/traefik"
            + " > /usr/local/bin/traefik.new && chmod 755 /usr/local/bin/traefik.new"
            + " && mv /usr/local/bin/traefik.new /usr/local/bin/traefik && systemctl restart traefik";
    private static final int MAX_ROUNDS = 60;
    /** A client's patience per request; a request not answered within it is lost. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);

    private FakeProxmox proxmox;
    private final RecordingEvents events = new RecordingEvents();
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events,
            new ReconcileMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), Duration.ofSeconds(1));
    private TraefikHACluster resource;

    /** CT 111 is the bed's secondary host, off until the operator has cloned and started it. */
    @BeforeEach
    void proxmoxOfTheBed() {
        proxmox = FakeProxmox.onBed(pair);
    }

    private void readyPair() {
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid("5f1e0c3a-0000-4000-8000-000000000001");
        resource.getMetadata().setGeneration(1L);
        HaPair.spec(resource.getSpec());
        resource.getSpec().traefik.stepTimeout = "15s";
        reconcileUntil(r -> r.getStatus() != null && r.getStatus().phase == ClusterPhase.Ready, "Ready");
        assertThat(HaPair.await(Duration.ofSeconds(10), () -> pair.onlyHolder(pair.primary))).isTrue();
    }

    @Test
    @Order(1)
    void aMaintenanceHandoverAndItsReturnLoseNoRequest() {
        readyPair();
        VipPoller idle = pair.bed.pollVip(HaPair.VIP, CLIENT_TIMEOUT).awaitAnswer(Duration.ofSeconds(10));
        HaPair.await(Duration.ofSeconds(20), () -> false);
        Timeline baseline = idle.stop();
        System.out.printf("baseline, nothing moving: %d requests, %d failed %s%n", baseline.samples().size(),
                baseline.failedRequests(), baseline.failures());
        KeepalivedMoves moves = KeepalivedMoves.from(pair);
        VipPoller poller = pair.bed.pollVip(HaPair.VIP, CLIENT_TIMEOUT).awaitAnswer(Duration.ofSeconds(10));
        Timeline timeline;
        try {
            resource.getSpec().maintenance = new MaintenanceSpec();
            resource.getSpec().maintenance.node = "primary";
            reconcileUntil(r -> r.getStatus().handover != null && "Held".equals(r.getStatus().handover.state), "VIP held by the secondary");
            assertThat(pair.onlyHolder(pair.secondary)).isTrue();
            assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Maintenance);
            assertThat(pair.primary.keepalivedRunning()).as("the maintained node's keepalived stays up").isTrue();
            assertThat(HaPair.await(Duration.ofSeconds(5), () -> "traefik-2".equals(poller.lastServedBy()))).isTrue();

            resource.getSpec().maintenance = null;
            reconcileUntil(r -> r.getStatus().handover == null && r.getStatus().phase == ClusterPhase.Ready, "VIP returned");
            assertThat(HaPair.await(Duration.ofSeconds(5), () -> "traefik".equals(poller.lastServedBy()))).isTrue();
        } finally {
            timeline = poller.stop();
        }
        System.out.printf("maintenance handover and return: %d requests, %d failed %s, serving host changed %d times,"
                + " longest wait between answers %d ms%n", timeline.samples().size(), timeline.failedRequests(),
                timeline.failures(), timeline.servingHostChanges(), timeline.longestGapBetween(0, Long.MAX_VALUE));
        assertThat(timeline.servingHostChanges()).isEqualTo(2);
        assertNoRequestLostButAtAMove(timeline, moves);
    }

    @Test
    @Order(2)
    void aRollingUpgradeWithABrokenVersionStopsAtTheFirstNodeAndKeepsServing() {
        readyPair();
        String broken = String.format(INSTALL, "-e 's/^PING_OK = .*/PING_OK = False/'");
        resource.getSpec().traefik.upgrade = new UpgradeSpec();
        resource.getSpec().traefik.upgrade.version = "3.2.0";
        resource.getSpec().traefik.upgrade.command = broken;
        VipPoller poller = pair.bed.pollVip(HaPair.VIP, CLIENT_TIMEOUT).awaitAnswer(Duration.ofSeconds(10));
        Timeline timeline;
        try {
            reconcileUntil(r -> r.getStatus().rollout != null && "Failed".equals(r.getStatus().rollout.phase), "rollout failed");
        } finally {
            timeline = poller.stop();
        }
        System.out.printf("broken upgrade: %d requests, %d failed %s; %s%n", timeline.samples().size(),
                timeline.failedRequests(), timeline.failures(), resource.getStatus().rollout.message);
        assertThat(resource.getStatus().rollout.step).isEqualTo("Verify");
        assertThat(resource.getStatus().rollout.node).isEqualTo("secondary");
        assertThat(resource.getStatus().rollout.message).contains("Traefik is not healthy");
        assertThat(pair.secondary.readFile("/usr/local/bin/traefik")).contains("VERSION = \"3.2.0\"");
        assertThat(pair.primary.readFile("/usr/local/bin/traefik")).as("the primary was never touched")
                .contains("VERSION = \"3.1.0\"");
        assertThat(pair.onlyHolder(pair.primary)).isTrue();
        assertThat(timeline.lastServedBy()).isEqualTo("traefik");
        assertThat(timeline.servingHostChanges()).isZero();
        assertThat(timeline.failedRequests()).isZero();
    }

    @Test
    @Order(3)
    void aRollingUpgradeGoesNodeByNodeAndFailsBackToThePrimary() {
        // The broken version of the test before stays on CT 111's disk; mended there, it starts with the clone
        pair.secondary.write("/usr/local/bin/traefik", pair.primary.readFile("/usr/local/bin/traefik"), "755");
        readyPair();
        resource.getSpec().traefik.upgrade = new UpgradeSpec();
        resource.getSpec().traefik.upgrade.version = "3.2.0";
        resource.getSpec().traefik.upgrade.command = String.format(INSTALL, "");
        // This rollout must succeed: a loaded CI machine may take longer than the broken test's 15 s for a step.
        resource.getSpec().traefik.stepTimeout = "2m";
        KeepalivedMoves moves = KeepalivedMoves.from(pair);
        VipPoller poller = pair.bed.pollVip(HaPair.VIP, CLIENT_TIMEOUT).awaitAnswer(Duration.ofSeconds(10));
        Timeline timeline;
        try {
            reconcileUntil(r -> r.getStatus().rollout != null && r.getStatus().rollout.phase.matches("Succeeded|Failed"),
                    "rollout finished");
            // Keep polling until the client has seen the fail-back, so a request lost at that move is judged as one.
            HaPair.await(Duration.ofSeconds(5), () -> "traefik".equals(poller.lastServedBy()));
        } finally {
            timeline = poller.stop();
        }
        System.out.printf("upgrade: %d requests, %d failed %s, serving host changed %d times, longest wait between answers"
                + " %d ms; %s%n", timeline.samples().size(), timeline.failedRequests(), timeline.failures(),
                timeline.servingHostChanges(), timeline.longestGapBetween(0, Long.MAX_VALUE), resource.getStatus().rollout.message);
        assertThat(resource.getStatus().rollout.phase).as(resource.getStatus().rollout.message).isEqualTo("Succeeded");
        assertThat(resource.getStatus().nodes).extracting(n -> n.traefikVersion).containsExactly("3.2.0", "3.2.0");
        assertThat(HaPair.await(Duration.ofSeconds(5), () -> pair.onlyHolder(pair.primary))).isTrue();
        assertNoRequestLostButAtAMove(timeline, moves);
    }

    /**
     * The target, and what the quiet test bed measures, is no lost request at all. A request in flight at the very
     * instant the VIP moves can still be reset (its TCP connection belongs to the old holder; nothing syncs connection
     * state), which a loaded machine makes more likely. So: nothing lost away from a move, at most one per move. A move
     * is counted where keepalived made it, not only where the client saw it: a node may claim the VIP and give it up
     * again within one poll (10 ms), so the client sees no other host answer, yet its request in flight was reset.
     */
    private static void assertNoRequestLostButAtAMove(Timeline timeline, KeepalivedMoves moves) {
        int keepalivedMoves = moves.since();
        System.out.printf("keepalived entered MASTER %d times while the client saw %d moves: %s%n", keepalivedMoves,
                timeline.servingHostChanges(), moves.entries());
        long unseenMoves = Math.max(0, keepalivedMoves - timeline.servingHostChanges());
        assertThat(timeline.failures().stream().filter(failure -> !failure.atMove()).count())
                .as("requests lost while no VIP move happened: %s; keepalived: %s", timeline.failures(), moves.entries())
                .isLessThanOrEqualTo(unseenMoves);
        assertThat(timeline.failedRequests()).as("requests lost at the VIP moves").isLessThanOrEqualTo(
                Math.max(keepalivedMoves, timeline.servingHostChanges()));
    }

    /** The VIP moves keepalived makes from now on: the MASTER entries its notify script logs on both nodes. */
    private static final class KeepalivedMoves {
        private final HaPair pair;
        private final Map<Role, Integer> logLengthBefore;

        private KeepalivedMoves(HaPair pair, Map<Role, Integer> logLengthBefore) {
            this.pair = pair;
            this.logLengthBefore = logLengthBefore;
        }

        static KeepalivedMoves from(HaPair pair) {
            return new KeepalivedMoves(pair, Map.of(Role.PRIMARY, stateLog(pair, Role.PRIMARY).length(),
                    Role.SECONDARY, stateLog(pair, Role.SECONDARY).length()));
        }

        /** The state changes logged since, on both nodes. */
        List<String> entries() {
            return Role.pair().stream()
                    .flatMap(role -> stateLog(pair, role).substring(logLengthBefore.get(role)).lines())
                    .toList();
        }

        int since() {
            return (int) entries().stream().filter(line -> line.contains("transitioned to MASTER")).count();
        }

        private static String stateLog(HaPair pair, Role role) {
            return pair.host(role).exists(KeepalivedPaths.STATE_LOG) ? pair.host(role).readFile(KeepalivedPaths.STATE_LOG) : "";
        }
    }

    /** Reconciles every half second (the daemons on the bed act in real time) until DONE holds. */
    private void reconcileUntil(Predicate<TraefikHACluster> done, String what) {
        Rounds.until(MAX_ROUNDS, what, () -> {
            HaPair.await(Duration.ofMillis(500), () -> false);
            reconcile();
        }, () -> resource, done);
    }

    private void reconcile() {
        Map<Role, HostKeyPolicy> hostKeys = Map.of(
                Role.PRIMARY, new HostKeyPolicy.TrustOnFirstUse(pair.primary.hostKeyFingerprint()),
                Role.SECONDARY, new HostKeyPolicy.TrustOnFirstUse(pair.secondary.hostKeyFingerprint()));
        try (SshNodeGateway nodes = new SshNodeGateway(pair.access, resource.getSpec(), pair.bed.ed25519Key(), hostKeys)) {
            Rounds.run(reconciliation, resource, new FixedConnections(proxmox, nodes, resource.getSpec()), Duration.ofSeconds(15));
        }
    }
}
