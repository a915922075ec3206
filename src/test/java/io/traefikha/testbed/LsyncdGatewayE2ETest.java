package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.LoadRecords;
import io.traefikha.node.Originals;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.RollbackPlanner;
import io.traefikha.step.LsyncdStep;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import io.traefikha.sync.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Lsyncd mode as the reconciler runs it, over real SSH with real lsyncd and rsync: the gateway installs lsyncd with a
 * fresh sync key (keeping the files it replaces), a route reaches the secondary by lsyncd alone, an edit on the
 * secondary is reverted and reported by the hash check, a stopped lsyncd is repaired, and Rollback puts every file back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LsyncdGatewayE2ETest extends HaPairE2ETest {

    private static final String HAND_MADE_LSYNCD = "-- the seed's own lsyncd configuration\n";
    private static final String ROUTE = "/etc/traefik/dynamic/gateway-lsyncd.yml";
    private static final String UID = "e2e00000-0000-4000-8000-000000000001";
    private static final Duration BOUND = Duration.ofSeconds(15);

    private static TraefikHAClusterSpec spec;
    private static SshNodeGateway nodes;
    private static final SyncKeyPair KEY = SyncKeyPair.generate();
    private static String operatorKeys;

    @BeforeAll
    static void gateway() {
        E2ePrerequisites.requireExecutable("lsyncd", "lsyncd");
        E2ePrerequisites.requireExecutable("rsync", "rsync");
        spec = HaPair.spec(ClusterSpecs.homelab());
        spec.sync = new SyncSpec(); // the defaults: Lsyncd mode, the default delay
        pair.primary.write(LsyncdRenderer.CONFIG_PATH, HAND_MADE_LSYNCD, "644");
        pair.primary.write("/etc/traefik/traefik.yml", "providers:\n  file:\n    directory: /etc/traefik/dynamic\n", "644");
        operatorKeys = pair.secondary.readFile(ConfigSyncE2ETest.BED_AUTHORIZED_KEYS);
        nodes = gateway(pair.access, spec);
    }

    @AfterAll
    static void closeGateway() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    @Order(1)
    void theGatewayInstallsLsyncdKeepingTheFilesItReplaces() {
        LsyncdOutcome first = LsyncdStep.keepInPlace(nodes, spec.sync, "bed", KEY);

        assertThat(first.changedFiles()).contains(LsyncdRenderer.CONFIG_PATH, LsyncdRenderer.KEY_PATH,
                ConfigSyncE2ETest.BED_AUTHORIZED_KEYS, LsyncdRenderer.RSYNC_ONLY_PATH);
        assertThat(first.lsyncdRestarted()).isTrue();
        assertThat(pair.primary.systemctl("is-active lsyncd").stdout()).contains("active");
        assertThat(pair.primary.readFile(LsyncdRenderer.CONFIG_PATH + Originals.BACKUP_SUFFIX)).isEqualTo(HAND_MADE_LSYNCD);
        assertThat(pair.primary.exists(LsyncdRenderer.KEY_PATH + Originals.ABSENT_SUFFIX)).isTrue();
        assertThat(pair.secondary.readFile(ConfigSyncE2ETest.BED_AUTHORIZED_KEYS + Originals.BACKUP_SUFFIX))
                .isEqualTo(operatorKeys);
        assertThat(pair.secondary.readFile(ConfigSyncE2ETest.BED_AUTHORIZED_KEYS)).contains("command=\""
                + LsyncdRenderer.RSYNC_ONLY_PATH + "\"", "from=\"" + HaPair.PRIMARY_ADDRESS + "\"");

        LsyncdOutcome again = LsyncdStep.keepInPlace(nodes, spec.sync, "bed", KEY);
        assertThat(again).as("the next period changes and restarts nothing")
                .isEqualTo(new LsyncdOutcome(List.of(), false));
    }

    /**
     * Issue 6: in steady state a period costs one SSH round trip per node, the probe; lsyncd and the config sync act on
     * what it reported. The same period without the probes' facts (the former way) is counted alongside.
     */
    @Test
    @Order(6)
    void aSteadyStatePeriodCostsOneRoundTripPerNode() {
        SyncOutcome[] sync = {null};
        assertThat(HaPair.await(BOUND, () -> (sync[0] = nodes.syncConfig(spec.sync, SyncMemory.EMPTY,
                Instant.now(), Set.copyOf(spec.secondaryRoles())))
                .state() == SyncState.InSync)).as("lsyncd's first full sync; last " + sync[0]).isTrue();
        CountingNodeAccess counting = new CountingNodeAccess(pair.access);

        try (SshNodeGateway former = gateway(counting, spec)) {
            LsyncdStep.keepInPlace(former, spec.sync, "bed", KEY);
            former.syncConfig(spec.sync, sync[0].memory(), Instant.now(), Set.copyOf(spec.secondaryRoles()));
        }
        int formerPrimary = counting.roundTrips(HaPair.PRIMARY_ADDRESS);
        int formerSecondary = counting.roundTrips(HaPair.SECONDARY_ADDRESS);
        counting.reset();

        LsyncdOutcome lsyncd;
        SyncOutcome outcome;
        try (SshNodeGateway period = gateway(counting, spec)) {
            assertThat(period.probe(Role.PRIMARY, List.of()).reachable()).isTrue();
            assertThat(period.probe(Role.SECONDARY, List.of()).reachable()).isTrue();
            lsyncd = LsyncdStep.keepInPlace(period, spec.sync, "bed", KEY);
            outcome = period.syncConfig(spec.sync, sync[0].memory(), Instant.now(), Set.copyOf(spec.secondaryRoles()));
        }
        System.out.printf("SSH round trips in a steady-state period (probe, lsyncd, config sync): before primary=%d"
                + " secondary=%d, now primary=%d secondary=%d%n", formerPrimary, formerSecondary,
                counting.roundTrips(HaPair.PRIMARY_ADDRESS), counting.roundTrips(HaPair.SECONDARY_ADDRESS));

        assertThat(lsyncd).isEqualTo(new LsyncdOutcome(List.of(), false));
        assertThat(outcome.state()).isEqualTo(SyncState.InSync);
        assertThat(counting.roundTrips(HaPair.PRIMARY_ADDRESS)).as("round trips to the primary").isEqualTo(1);
        assertThat(counting.roundTrips(HaPair.SECONDARY_ADDRESS)).as("round trips to the secondary").isEqualTo(1);
    }

    /** From the probes too, a stopped lsyncd is started again: one round trip on top of the probe. */
    @Test
    @Order(7)
    void aStoppedLsyncdSeenByTheProbeIsRepairedWithOneCommand() {
        pair.primary.systemctl("stop lsyncd").orThrow("stopping lsyncd");
        CountingNodeAccess counting = new CountingNodeAccess(pair.access);

        LsyncdOutcome outcome;
        try (SshNodeGateway period = gateway(counting, spec)) {
            period.probe(Role.PRIMARY, List.of());
            period.probe(Role.SECONDARY, List.of());
            outcome = LsyncdStep.keepInPlace(period, spec.sync, "bed", KEY);
        }

        assertThat(outcome.repaired()).isTrue();
        assertThat(pair.primary.systemctl("is-active lsyncd").stdout()).contains("active");
        assertThat(counting.roundTrips(HaPair.PRIMARY_ADDRESS)).isEqualTo(2);
        assertThat(counting.roundTrips(HaPair.SECONDARY_ADDRESS)).isEqualTo(1);
    }

    /** The operator's node gateway for SPEC on the bed's pair. */
    static SshNodeGateway gateway(io.traefikha.node.NodeAccess access, TraefikHAClusterSpec spec) {
        return new SshNodeGateway(access, spec, pair.bed.ed25519Key(), Map.of(
                Role.PRIMARY, new HostKeyPolicy.TrustOnFirstUse(pair.primary.hostKeyFingerprint()),
                Role.SECONDARY, new HostKeyPolicy.TrustOnFirstUse(pair.secondary.hostKeyFingerprint())),
                ConfigSyncE2ETest.BED_AUTHORIZED_KEYS);
    }

    @Test
    @Order(2)
    void aRouteAddedOnThePrimaryReachesTheSecondaryByLsyncdAlone() {
        assertThat(HaPair.await(BOUND, () -> pair.primary.exists("/var/log/lsyncd/lsyncd.status"))).isTrue();

        long written = System.nanoTime();
        pair.primary.write(ROUTE, ConfigSyncE2ETest.route("lsyncd.internal"), "644");
        boolean arrived = HaPair.await(BOUND, () -> pair.secondary.exists(ROUTE));
        long millis = (System.nanoTime() - written) / 1_000_000;

        assertThat(arrived).as("lsyncd log:\n" + pair.primary.readFile("/var/log/lsyncd/lsyncd.log")).isTrue();
        System.out.println("lsyncd (operator-installed, delay " + spec.sync.delay + ") change-to-present: " + millis + " ms");
        assertThat(HaPair.await(BOUND, () -> pair.secondary.exec("curl -fsS -m 2 -H 'Host: lsyncd.internal' http://127.0.0.1/")
                .stdout().equals("traefik-2 route lsyncd"))).as("the secondary's Traefik serves it").isTrue();
    }

    @Test
    @Order(3)
    void aFileEditedOnTheSecondaryIsRevertedAndReported() {
        SyncOutcome settled = nodes.syncConfig(spec.sync, SyncMemory.EMPTY,
                Instant.now(), Set.copyOf(spec.secondaryRoles()));
        pair.secondary.write(ROUTE, "edited on the secondary\n", "644");

        // lsyncd watches only the primary: the hash check finds the difference (the primary did not change: drift)
        SyncOutcome[] last = {settled};
        boolean reported = HaPair.await(BOUND, () -> {
            last[0] = nodes.syncConfig(spec.sync, last[0].memory(), Instant.now(), Set.copyOf(spec.secondaryRoles()));
            return last[0].state() == SyncState.Drifted;
        });

        assertThat(reported).as("drift reported; last state " + last[0].state()).isTrue();
        assertThat(last[0].drifted()).containsExactly(ROUTE);
        assertThat(last[0].driftEvent()).hasValueSatisfying(message -> assertThat(message).contains(ROUTE));
        assertThat(pair.secondary.readFile(ROUTE)).isEqualTo(ConfigSyncE2ETest.route("lsyncd.internal"));
    }

    @Test
    @Order(4)
    void aStoppedLsyncdIsRepaired() {
        pair.primary.systemctl("stop lsyncd").orThrow("stopping lsyncd");

        LsyncdOutcome outcome = LsyncdStep.keepInPlace(nodes, spec.sync, "bed", KEY);

        assertThat(outcome.repaired()).isTrue();
        assertThat(pair.primary.systemctl("is-active lsyncd").stdout()).contains("active");
    }

    /**
     * Three replicas: a third bed host joins as secondary-2; lsyncd on the primary is configured for both secondaries
     * (the sync key accepted on each) and a route written on the primary reaches both by lsyncd alone; the next period,
     * from the probes of all three, changes nothing. Then secondary-2 goes off: a route still reaches the secondary
     * by lsyncd, and a sync round names secondary-2 unreachable. Afterwards the pair's configuration is put back.
     */
    @Test
    @Order(5)
    void withThreeReplicasLsyncdReplicatesToBothSecondaries() {
        BedHost third = pair.bed.addHost("traefik-3", TestBed.SUBNET + "13");
        String route = "/etc/traefik/dynamic/gateway-lsyncd-three.yml";
        String routeWhileDown = "/etc/traefik/dynamic/gateway-lsyncd-three-down.yml";
        try {
            TraefikHAClusterSpec three = HaPair.spec(ClusterSpecs.homelab());
            three.sync = spec.sync;
            SecondarySpec thirdSpec = new SecondarySpec();
            thirdSpec.node = "proxmox3";
            thirdSpec.vmid = 112;
            thirdSpec.hostname = third.name();
            thirdSpec.address = TestBed.SUBNET + "13/" + TestBed.PREFIX_LENGTH;
            three.secondaries = List.of(three.secondary, thirdSpec);
            three.secondary = null;
            Map<Role, HostKeyPolicy> hostKeys = Map.of(
                    Role.PRIMARY, new HostKeyPolicy.TrustOnFirstUse(pair.primary.hostKeyFingerprint()),
                    Role.SECONDARY, new HostKeyPolicy.TrustOnFirstUse(pair.secondary.hostKeyFingerprint()),
                    Role.of(2), new HostKeyPolicy.TrustOnFirstUse(third.hostKeyFingerprint()));
            try (SshNodeGateway installing = new SshNodeGateway(pair.access, three, pair.bed.ed25519Key(), hostKeys,
                    ConfigSyncE2ETest.BED_AUTHORIZED_KEYS)) {
                LsyncdOutcome joined = LsyncdStep.keepInPlace(installing, three.sync, "bed", KEY);
                assertThat(joined.lsyncdRestarted()).isTrue();
            }
            assertThat(third.readFile(ConfigSyncE2ETest.BED_AUTHORIZED_KEYS)).contains("command=\""
                    + LsyncdRenderer.RSYNC_ONLY_PATH + "\"", "from=\"" + HaPair.PRIMARY_ADDRESS + "\"");
            assertThat(pair.primary.readFile(LsyncdRenderer.KNOWN_HOSTS_PATH)).contains(HaPair.SECONDARY_ADDRESS + " ",
                    TestBed.SUBNET + "13 ");

            pair.primary.write(route, ConfigSyncE2ETest.route("three.internal"), "644");
            assertThat(HaPair.await(BOUND, () -> pair.secondary.exists(route) && third.exists(route)))
                    .as("lsyncd log:\n" + pair.primary.readFile("/var/log/lsyncd/lsyncd.log")).isTrue();

            try (SshNodeGateway period = new SshNodeGateway(pair.access, three, pair.bed.ed25519Key(), hostKeys,
                    ConfigSyncE2ETest.BED_AUTHORIZED_KEYS)) {
                for (Role role : three.roles()) {
                    assertThat(period.probe(role, List.of()).reachable()).isTrue();
                }
                assertThat(LsyncdStep.keepInPlace(period, three.sync, "bed", KEY)).as("planned from three probes")
                        .isEqualTo(new LsyncdOutcome(List.of(), false));
                SyncOutcome[] sync = {null};
                assertThat(HaPair.await(BOUND, () -> (sync[0] = period.syncConfig(three.sync, SyncMemory.EMPTY,
                        Instant.now(), Set.copyOf(three.secondaryRoles()))).state() == SyncState.InSync))
                        .as("last " + sync[0]).isTrue();
            }

            // secondary-2 goes off: lsyncd goes on replicating to the secondary, and the operator's sync round syncs
            // the secondary that answers and names the one that does not
            third.powerOff();
            pair.primary.write(routeWhileDown, ConfigSyncE2ETest.route("down.internal"), "644");
            assertThat(HaPair.await(BOUND, () -> pair.secondary.exists(routeWhileDown)))
                    .as("lsyncd log:\n" + pair.primary.readFile("/var/log/lsyncd/lsyncd.log")).isTrue();
            assertThat(pair.primary.systemctl("is-active lsyncd").stdout()).contains("active");
            try (SshNodeGateway period = new SshNodeGateway(pair.access, three, pair.bed.ed25519Key(), hostKeys,
                    ConfigSyncE2ETest.BED_AUTHORIZED_KEYS)) {
                period.probe(Role.PRIMARY, List.of());
                period.probe(Role.SECONDARY, List.of());
                SyncOutcome outcome = period.syncConfig(three.sync, SyncMemory.EMPTY, Instant.now(), Set.of(Role.SECONDARY));
                assertThat(outcome.state()).isEqualTo(SyncState.Unreachable);
                assertThat(outcome.secondaries().get(Role.SECONDARY).state()).isEqualTo(SyncState.InSync);
                assertThat(outcome.configInSync().message())
                        .isEqualTo("the secondary-2: not reachable, so its files were not compared");
            }
            long back = System.nanoTime();
            third.powerOn(TestBed.SUBNET + "13");
            assertThat(HaPair.await(BOUND, () -> third.exists(routeWhileDown))).as("lsyncd retries secondary-2 once it is"
                    + " back; lsyncd log:\n" + pair.primary.readFile("/var/log/lsyncd/lsyncd.log")).isTrue();
            System.out.printf("secondary-2 back: the route written while it was off arrived after %d ms%n",
                    (System.nanoTime() - back) / 1_000_000);
        } finally {
            pair.primary.exec("rm -f " + route + " " + routeWhileDown);
            LsyncdStep.keepInPlace(nodes, spec.sync, "bed", KEY); // lsyncd for the pair again
            pair.bed.removeHost(third.name());
        }
    }

    @Test
    @Order(8)
    void rollbackStopsLsyncdAndPutsEveryFileBack() {
        ProxmoxObservation seen = new ProxmoxObservation(running("Traefik"),
                running(Ownership.markedDescription(null, UID)));
        spec.deletionPolicy = io.traefikha.api.v1alpha1.DeletionPolicy.Rollback;

        // keepalived never ran in this test: stopping it is a no-op, and its files have nothing kept
        RollbackPlanner.plan(spec, UID, seen, DurableState.EMPTY).nodeActions().forEach(nodes::apply);

        assertThat(pair.primary.systemctl("is-active lsyncd").exitCode()).isNotZero();
        assertThat(pair.primary.exists(LoadRecords.path("lsyncd"))).as("the record of what lsyncd loaded went with it")
                .isFalse();
        assertThat(pair.primary.readFile(LsyncdRenderer.CONFIG_PATH)).isEqualTo(HAND_MADE_LSYNCD);
        assertThat(pair.primary.exists(LsyncdRenderer.CONFIG_PATH + Originals.BACKUP_SUFFIX)).isFalse();
        assertThat(pair.primary.exists(LsyncdRenderer.KEY_PATH)).isFalse();
        assertThat(pair.primary.exists(LsyncdRenderer.KEY_PATH + Originals.ABSENT_SUFFIX)).isFalse();
        assertThat(pair.secondary.exists(LsyncdRenderer.RSYNC_ONLY_PATH)).isFalse();
        assertThat(pair.secondary.readFile(ConfigSyncE2ETest.BED_AUTHORIZED_KEYS)).isEqualTo(operatorKeys);
        assertThat(pair.primary.readFile(ROUTE)).as("Traefik's configuration is the user's: untouched")
                .isEqualTo(ConfigSyncE2ETest.route("lsyncd.internal"));
    }

    private static ContainerObservation running(String description) {
        return new ContainerObservation(true, "proxmox", true, null, "traefik", null, true, Set.of(), description, null,
                List.of());
    }
}
