package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.PrimaryChecks;
import io.traefikha.domain.PrimaryChecks.AddressProbe;
import io.traefikha.domain.PrimaryChecks.Outcome;
import io.traefikha.domain.ProxmoxReadiness;
import io.traefikha.domain.ProxmoxReadiness.NodeState;
import io.traefikha.domain.ProxmoxReadiness.Storage;
import io.traefikha.domain.ProxmoxReadiness.Target;
import io.traefikha.domain.Role;
import io.traefikha.planner.PreflightPlanner.Check;
import io.traefikha.planner.PreflightPlanner.NodeChecks;
import io.traefikha.planner.PreflightPlanner.ProbedAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The preflight checks besides the token's privileges, as tables: what applies when, what fails, what the message says. */
class PreflightPlannerTest {

    private static final long GIB = 1L << 30;
    /** CT 110: 512 MiB, an 8 GiB rootfs on local-lvm and a 2 GiB mount point on local. */
    private static final ProxmoxReadiness.Primary PRIMARY = new ProxmoxReadiness.Primary(true, "proxmox", 512,
            Map.of("local-lvm", 8 * GIB, "local", 2 * GIB), true, "nesting=1");
    private static final Map<String, Storage> ROOMY = Map.of("local-lvm", new Storage(true, true, 90 * GIB),
            "local", new Storage(true, true, 50 * GIB), "ceph", new Storage(true, true, 500 * GIB));

    private static TraefikHAClusterSpec spec(Consumer<TraefikHAClusterSpec> change) {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        change.accept(spec);
        return spec;
    }

    private static ProxmoxReadiness missingSecondary(Target target) {
        return new ProxmoxReadiness(PRIMARY, false, false, target);
    }

    static Stream<Arguments> targets() {
        TraefikHAClusterSpec homelab = spec(s -> { });
        return Stream.of(
                Arguments.of("online with room", homelab, missingSecondary(new Target("proxmox2", NodeState.ONLINE, 4 * GIB,
                        ROOMY)), false, "node proxmox2 is online with 4.0 GiB of memory free for 0.5 GiB; storage local 50.0"
                        + " GiB free for 2.0 GiB, local-lvm 90.0 GiB free for 8.0 GiB"),
                Arguments.of("the secondary exists: not needed", homelab, new ProxmoxReadiness(PRIMARY, true, true, null),
                        false, "not needed: CT 111 exists"),
                Arguments.of("offline", homelab, missingSecondary(new Target("proxmox2", NodeState.OFFLINE, 0L, Map.of())),
                        true, "node proxmox2 is offline: start it or choose another spec.secondary.node"),
                Arguments.of("not in the cluster", homelab, missingSecondary(new Target("proxmox2", NodeState.MISSING, 0L,
                        Map.of())), true, "node proxmox2 is not in the Proxmox cluster: check spec.secondary.node"),
                Arguments.of("too little memory", homelab, missingSecondary(new Target("proxmox2", NodeState.ONLINE,
                        256L << 20, ROOMY)), true, "node proxmox2 has 0.3 GiB of memory free, the container needs 0.5 GiB"),
                Arguments.of("memory not readable", homelab, missingSecondary(new Target("proxmox2", NodeState.ONLINE, null,
                        ROOMY)), true, "the token needs Sys.Audit on /nodes/proxmox2"),
                Arguments.of("a storage missing there", homelab, missingSecondary(new Target("proxmox2", NodeState.ONLINE,
                        4 * GIB, Map.of("local-lvm", new Storage(true, true, 90 * GIB)))), true,
                        "storage local is not enabled on node proxmox2"),
                Arguments.of("too little space", homelab, missingSecondary(new Target("proxmox2", NodeState.ONLINE, 4 * GIB,
                        Map.of("local-lvm", new Storage(true, true, 5 * GIB), "local", new Storage(true, true, 50 * GIB)))),
                        true, "storage local-lvm on node proxmox2 has 5.0 GiB free, the primary's disks need 8.0 GiB"),
                Arguments.of("no container disks", homelab, missingSecondary(new Target("proxmox2", NodeState.ONLINE, 4 * GIB,
                        Map.of("local-lvm", new Storage(true, true, 90 * GIB), "local", new Storage(true, false, 50 * GIB)))),
                        true, "storage local on node proxmox2 does not hold container disks"),
                Arguments.of("inactive", homelab, missingSecondary(new Target("proxmox2", NodeState.ONLINE, 4 * GIB,
                        Map.of("local-lvm", new Storage(false, true, null), "local", new Storage(true, true, 50 * GIB)))),
                        true, "storage local-lvm on node proxmox2 is not active"),
                Arguments.of("secondary.storage takes every disk", spec(s -> s.secondary.storage = "ceph"),
                        missingSecondary(new Target("proxmox2", NodeState.ONLINE, 4 * GIB, ROOMY)), false,
                        "storage ceph 500.0 GiB free for 10.0 GiB"),
                Arguments.of("secondary.storage too small for all of them", spec(s -> s.secondary.storage = "ceph"),
                        missingSecondary(new Target("proxmox2", NodeState.ONLINE, 4 * GIB, Map.of("ceph",
                                new Storage(true, true, 9 * GIB)))), true, "the primary's disks need 10.0 GiB"),
                Arguments.of("the primary not found", homelab, new ProxmoxReadiness(ProxmoxReadiness.Primary.NOT_FOUND, false,
                        false, new Target("proxmox2", NodeState.ONLINE, 4 * GIB, ROOMY)), true,
                        "the primary CT 110 is not in the cluster"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void theTargetNode(String name, TraefikHAClusterSpec spec, ProxmoxReadiness facts, boolean failed, String message) {
        Check check = PreflightPlanner.targetNode(spec, facts);
        assertThat(check.name()).isEqualTo(PreflightPlanner.TARGET_NODE);
        assertThat(check.failed()).as(check.message()).isEqualTo(failed);
        assertThat(check.message()).contains(message);
    }

    static Stream<Arguments> applicable() {
        return Stream.of(
                Arguments.of("nothing made yet", new ProxmoxReadiness(PRIMARY, false, false, null), false,
                        List.of("192.168.1.111", "192.168.1.100"), true, true),
                Arguments.of("a clone without its address", new ProxmoxReadiness(PRIMARY, true, false, null), false,
                        List.of("192.168.1.111", "192.168.1.100"), false, true),
                Arguments.of("the secondary placed, keepalived not yet", new ProxmoxReadiness(PRIMARY, true, true, null), false,
                        List.of("192.168.1.100"), false, true),
                Arguments.of("the pair set up", new ProxmoxReadiness(PRIMARY, true, true, null), true, List.of(), false,
                        false));
    }

    private static final Target PROXMOX2 = new Target("proxmox2", NodeState.ONLINE, 4 * GIB, ROOMY);
    private static final Target PROXMOX3 = new Target("proxmox3", NodeState.ONLINE, 4 * GIB, ROOMY);

    private static ProxmoxReadiness threeReplicas(ProxmoxReadiness.Secondary second, ProxmoxReadiness.Secondary third) {
        return new ProxmoxReadiness(PRIMARY, Map.of(Role.SECONDARY, second, Role.of(2), third));
    }

    private static ProxmoxReadiness.Secondary made() {
        return new ProxmoxReadiness.Secondary(true, true, null);
    }

    private static ProxmoxReadiness.Secondary toMake(Target target) {
        return new ProxmoxReadiness.Secondary(false, false, target);
    }

    static Stream<Arguments> threeReplicaTargets() {
        TraefikHAClusterSpec three = ExampleSpecs.threeReplicas(spec(s -> { }));
        TraefikHAClusterSpec sameNode = ExampleSpecs.threeReplicas(spec(s -> { }));
        sameNode.secondaries.get(1).node = "proxmox2";
        return Stream.of(
                Arguments.of("both made: not needed", three, threeReplicas(made(), made()), false,
                        "not needed: CT 111, 112 exist"),
                Arguments.of("both to make, each node with room", three, threeReplicas(toMake(PROXMOX2), toMake(PROXMOX3)),
                        false, "node proxmox2 is online with 4.0 GiB of memory free for 0.5 GiB; storage local 50.0 GiB free"
                        + " for 2.0 GiB, local-lvm 90.0 GiB free for 8.0 GiB; node proxmox3 is online with 4.0 GiB"),
                Arguments.of("the third's node is not in the cluster", three, threeReplicas(made(), toMake(new Target("proxmox3",
                        NodeState.MISSING, 0L, Map.of()))), true, "node proxmox3 is not in the Proxmox cluster: check"
                        + " spec.secondaries[1].node"),
                Arguments.of("the third's node offline, the second's fine", three, threeReplicas(toMake(PROXMOX2),
                        toMake(new Target("proxmox3", NodeState.OFFLINE, 0L, Map.of()))), true,
                        "node proxmox3 is offline: start it or choose another spec.secondaries[1].node"),
                Arguments.of("the second made, the third with room", three, threeReplicas(made(), toMake(PROXMOX3)), false,
                        "CT 111 exists; node proxmox3 is online with 4.0 GiB of memory free for 0.5 GiB"),
                Arguments.of("the third's storage too small", ExampleSpecs.threeReplicas(spec(s -> s.secondary.storage = "ceph")),
                        threeReplicas(made(), toMake(new Target("proxmox3", NodeState.ONLINE, 4 * GIB, Map.of("local-lvm",
                                new Storage(true, true, 5 * GIB), "local", new Storage(true, true, 50 * GIB))))), true,
                        "storage local-lvm on node proxmox3 has 5.0 GiB free, the primary's disks need 8.0 GiB: free space"
                        + " there or set spec.secondaries[1].storage to a larger one"),
                Arguments.of("two to the same node: room for both", sameNode, threeReplicas(toMake(PROXMOX2),
                        toMake(PROXMOX2)), false, "node proxmox2 is online with 4.0 GiB of memory free for 1.0 GiB; storage"
                        + " local 50.0 GiB free for 4.0 GiB, local-lvm 90.0 GiB free for 16.0 GiB"),
                Arguments.of("two to the same node: memory for one only", sameNode, threeReplicas(toMake(new Target("proxmox2",
                        NodeState.ONLINE, 768L << 20, ROOMY)), toMake(new Target("proxmox2", NodeState.ONLINE, 768L << 20,
                        ROOMY))), true, "node proxmox2 has 0.8 GiB of memory free, the 2 containers need 1.0 GiB (its memory"
                        + " 512 MiB each): free memory there or choose another spec.secondaries[0].node and"
                        + " spec.secondaries[1].node"),
                Arguments.of("two to the same node: disk for one only", sameNode, threeReplicas(toMake(new Target("proxmox2",
                        NodeState.ONLINE, 4 * GIB, Map.of("local-lvm", new Storage(true, true, 12 * GIB), "local",
                        new Storage(true, true, 50 * GIB)))), toMake(PROXMOX2)), true, "storage local-lvm on node proxmox2 has"
                        + " 12.0 GiB free, the primary's disks need 16.0 GiB for 2 clones"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threeReplicaTargets")
    void eachSecondarysNodeOfThree(String name, TraefikHAClusterSpec spec, ProxmoxReadiness facts, boolean failed,
            String message) {
        theTargetNode(name, spec, facts, failed, message);
    }

    @org.junit.jupiter.api.Test
    void eachSecondaryAddressIsProbedUntilItsCloneCarriesIt() {
        TraefikHAClusterSpec three = ExampleSpecs.threeReplicas(spec(s -> { }));

        NodeChecks checks = PreflightPlanner.nodeChecks(three, threeReplicas(made(), new ProxmoxReadiness.Secondary(true,
                false, null)), false);
        NodeChecks oneToMake = PreflightPlanner.nodeChecks(three, threeReplicas(made(), toMake(PROXMOX3)), true);

        assertThat(checks.addresses()).containsExactly(new ProbedAddress("spec.secondaries[1].address", "192.168.1.112"),
                new ProbedAddress("spec.vip.address", "192.168.1.100"));
        assertThat(checks.traefik()).as("every secondary exists").isFalse();
        assertThat(oneToMake.traefik()).as("the third is still to be made from the primary").isTrue();
        assertThat(PreflightPlanner.traefik(three, checks, NodeObservation.unreachable(Role.PRIMARY, "not asked")).message())
                .isEqualTo("not needed: CT 111, 112 exist");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("applicable")
    void whatIsAskedOfThePrimary(String name, ProxmoxReadiness facts, boolean keepalivedConfigured, List<String> hosts,
            boolean traefik, boolean keepalived) {
        NodeChecks checks = PreflightPlanner.nodeChecks(spec(s -> { }), facts, keepalivedConfigured);
        assertThat(checks.hosts()).containsExactlyElementsOf(hosts);
        assertThat(checks.traefik()).isEqualTo(traefik);
        assertThat(checks.keepalived()).isEqualTo(keepalived);
        assertThat(checks.any()).isEqualTo(!hosts.isEmpty() || traefik || keepalived);
    }

    @ParameterizedTest(name = "keepalived configured: {0}")
    @ValueSource(booleans = {false, true})
    void theIpv6VipIsProbedBesideTheIpv4OneUntilKeepalivedIsConfigured(boolean keepalivedConfigured) {
        TraefikHAClusterSpec dualStack = spec(s -> s.vip.addresses = List.of(s.vip.address, "FD00:1:0::100/64"));

        NodeChecks checks = PreflightPlanner.nodeChecks(dualStack, new ProxmoxReadiness(PRIMARY, true, true, null),
                keepalivedConfigured);

        assertThat(checks.addresses()).isEqualTo(keepalivedConfigured ? List.of() : List.of(
                new ProbedAddress("spec.vip.address", "192.168.1.100"), new ProbedAddress("spec.vip.addresses", "fd00:1::100")));
    }

    static Stream<Arguments> ipv6Vip() {
        return Stream.of(
                Arguments.of(new AddressProbe("fd00:1::100", Outcome.FREE, null, null), false,
                        "fd00:1::100 (spec.vip.addresses) is free"),
                Arguments.of(new AddressProbe("fd00:1::100", Outcome.ANSWERED, "AA:BB:CC:00:11:22", null), true,
                        "fd00:1::100 (spec.vip.addresses) is in use on the LAN: AA:BB:CC:00:11:22 answered; find that host"
                        + " (ip neigh, your router's DHCP leases) and free the address, or choose another spec.vip.addresses"),
                Arguments.of(new AddressProbe("fd00:1::100", Outcome.ANSWERED, null, null), true,
                        "fd00:1::100 (spec.vip.addresses) is in use on the LAN: it answered a ping through a router"),
                Arguments.of(new AddressProbe("fd00:1::100", Outcome.HELD_BY_PRIMARY, null, null), false,
                        "fd00:1::100 (spec.vip.addresses) is on the primary itself"),
                Arguments.of(new AddressProbe("fd00:1::100", Outcome.ERROR, null, "ping -6 exited 2: connect: Network is"
                        + " unreachable"), true, "fd00:1::100 (spec.vip.addresses) could not be probed: ping -6 exited 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv6Vip")
    void theIpv6VipOnTheLan(AddressProbe vip6, boolean failed, String message) {
        NodeChecks checks = new NodeChecks(List.of(new ProbedAddress("spec.vip.address", "192.168.1.100"),
                new ProbedAddress("spec.vip.addresses", "fd00:1::100")), false, true);
        PrimaryChecks primary = new PrimaryChecks(true, List.of(new AddressProbe("192.168.1.100", Outcome.FREE, null, null),
                vip6), SimulatedCaps.ALL);

        Check check = PreflightPlanner.addresses(checks, primary, null);

        assertThat(check.failed()).as(check.message()).isEqualTo(failed);
        assertThat(check.message()).contains(message);
    }

    private static final NodeChecks BOTH = new NodeChecks(List.of(new ProbedAddress("spec.secondary.address", "192.168.1.111"),
            new ProbedAddress("spec.vip.address", "192.168.1.100")), true, true);

    private static PrimaryChecks lan(Outcome secondary, String secondaryMac, Outcome vip, String vipMac) {
        return new PrimaryChecks(true, List.of(new AddressProbe("192.168.1.111", secondary, secondaryMac,
                secondary == Outcome.ERROR ? "arping exited 2: arping: unknown iface eth0" : null),
                new AddressProbe("192.168.1.100", vip, vipMac, null)), SimulatedCaps.ALL);
    }

    static Stream<Arguments> addresses() {
        return Stream.of(
                Arguments.of("both free", lan(Outcome.FREE, null, Outcome.FREE, null), null, false,
                        "192.168.1.111 (spec.secondary.address) is free; 192.168.1.100 (spec.vip.address) is free"),
                Arguments.of("the VIP answers", lan(Outcome.FREE, null, Outcome.ANSWERED, "AA:BB:CC:00:11:22"), null, true,
                        "192.168.1.100 (spec.vip.address) is in use on the LAN: AA:BB:CC:00:11:22 answered"),
                Arguments.of("the secondary's address answers", lan(Outcome.ANSWERED, "AA:BB:CC:00:11:23", Outcome.FREE, null),
                        null, true, "192.168.1.111 (spec.secondary.address) is in use on the LAN: AA:BB:CC:00:11:23"),
                Arguments.of("the VIP on the primary itself", lan(Outcome.FREE, null, Outcome.HELD_BY_PRIMARY, null), null,
                        false, "192.168.1.100 (spec.vip.address) is on the primary itself"),
                Arguments.of("arping failed", lan(Outcome.ERROR, null, Outcome.FREE, null), null, true,
                        "could not be probed: arping exited 2"),
                Arguments.of("no arping", new PrimaryChecks(false, List.of(), SimulatedCaps.ALL), null, true,
                        "apt install iputils-arping on the primary"),
                Arguments.of("the primary unreachable", null, "ssh: connect timed out", true,
                        "cannot probe 192.168.1.111, 192.168.1.100 from the primary: ssh: connect timed out"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addresses")
    void theAddressesOnTheLan(String name, PrimaryChecks primary, String unreachable, boolean failed, String message) {
        Check check = PreflightPlanner.addresses(BOTH, primary, unreachable);
        assertThat(check.failed()).as(check.message()).isEqualTo(failed);
        assertThat(check.message()).contains(message);
    }

    static Stream<Arguments> traefik() {
        NodeObservation healthy = new NodeObservation(Role.PRIMARY, true, null, false, false, false, true, false, null,
                Map.of(), 3, "3.1.0", null);
        NodeObservation noPing = new NodeObservation(Role.PRIMARY, true, null, false, false, false, false, false, null,
                Map.of(), -1, null, null);
        NodeObservation fewRouters = new NodeObservation(Role.PRIMARY, true, null, false, false, false, false, false, null,
                Map.of(), 0, "3.1.0", null);
        return Stream.of(
                Arguments.of("healthy", spec(s -> { }), healthy, false, "Traefik 3.1.0 answers http://127.0.0.1:8080/ping"
                        + " with 3 router(s) loaded"),
                Arguments.of("no ping, no API", spec(s -> { }), noPing, true, "ping: {}, then systemctl restart traefik;"
                        + " healthCheck.minRouters 1 also needs its API"),
                Arguments.of("no ping, minRouters 0: the API is not asked for", spec(s -> s.healthCheck.minRouters = 0), noPing,
                        true, "ping: {}, then systemctl restart traefik"),
                Arguments.of("too few routers", spec(s -> s.healthCheck.minRouters = 2), fewRouters, true,
                        "with healthCheck.minRouters 2, 0 router(s) are loaded"),
                Arguments.of("unreachable", spec(s -> { }), NodeObservation.unreachable(Role.PRIMARY, "ssh: auth failed"), true,
                        "cannot ask the primary: ssh: auth failed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traefik")
    void traefikOnThePrimary(String name, TraefikHAClusterSpec spec, NodeObservation probe, boolean failed, String message) {
        Check check = PreflightPlanner.traefik(spec, BOTH, probe);
        assertThat(check.failed()).as(check.message()).isEqualTo(failed);
        assertThat(check.message()).contains(message);
        if (name.equals("no ping, minRouters 0: the API is not asked for")) {
            assertThat(check.message()).doesNotContain("api:");
        }
    }

    static Stream<Arguments> keepalived() {
        return Stream.of(
                Arguments.of("every capability", SimulatedCaps.ALL, false, "net_admin, net_raw in CapEff"),
                Arguments.of("net_admin dropped", SimulatedCaps.ALL & ~(1L << PrimaryChecks.CAP_NET_ADMIN), true,
                        "lacks net_admin (to put the VIP on eth0)"),
                Arguments.of("net_raw dropped", SimulatedCaps.ALL & ~(1L << PrimaryChecks.CAP_NET_RAW), true,
                        "lacks net_raw (to send VRRP adverts)"),
                Arguments.of("unreadable", null, true, "cannot read the capabilities"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keepalived")
    void keepalivedInTheContainer(String name, Long capEff, boolean failed, String message) {
        Check check = PreflightPlanner.keepalived(spec(s -> { }), BOTH, PRIMARY, new PrimaryChecks(true, List.of(), capEff),
                null);
        assertThat(check.failed()).as(check.message()).isEqualTo(failed);
        assertThat(check.message()).contains(message).contains("CT 110 is unprivileged, features nesting=1");
    }

    @org.junit.jupiter.api.Test
    void checksThatDoNotApplyPassSayingWhy() {
        NodeChecks none = new NodeChecks(List.of(), false, false);
        assertThat(PreflightPlanner.addresses(none, null, "not asked")).satisfies(c -> assertThat(c.failed()).isFalse());
        assertThat(PreflightPlanner.traefik(spec(s -> { }), none, NodeObservation.unreachable(Role.PRIMARY, "not asked")))
                .satisfies(c -> assertThat(c.message()).startsWith("not needed"));
        assertThat(PreflightPlanner.keepalived(spec(s -> { }), none, PRIMARY, null, "not asked"))
                .satisfies(c -> assertThat(c.message()).startsWith("not needed: keepalived is configured"));
    }

    @org.junit.jupiter.api.Test
    void whileThePrimaryIsStoppedForTheCloneItsChecksStandAsTheyPassedAndBlockNothing() {
        assertThat(PreflightPlanner.primaryStoppedForClone(spec(s -> { }))).extracting(Check::name)
                .containsExactly(PreflightPlanner.ADDRESSES_FREE, PreflightPlanner.TRAEFIK_HEALTH,
                        PreflightPlanner.KEEPALIVED_CAPABLE);
        assertThat(PreflightPlanner.primaryStoppedForClone(spec(s -> { }))).allSatisfy(c -> {
            assertThat(c.failed()).isFalse();
            assertThat(c.message()).startsWith("passed before the operator shut CT 110 down for the clone");
        });
    }

    /** The capabilities a default Proxmox container's init has (CapEff 000001fcfdfcffff: 0-40 minus pve's drops). */
    private static final class SimulatedCaps {
        static final Long ALL = Long.parseUnsignedLong("000001fcfdfcffff", 16);
    }
}
