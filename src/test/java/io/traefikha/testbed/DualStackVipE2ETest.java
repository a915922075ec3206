package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.SpecValidator;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.PrimaryChecks;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.planner.Ipv6VipPlanner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A dual-stack VIP with real keepalived: the hosts get IPv6 addresses on the bed's switch, the operator's rendered
 * configuration puts the IPv6 VIP in its own VRRPv3 instance with IPv6 unicast peers, and the sync group moves both
 * VIPs together: when Traefik dies on the holder, in a handover, when the holder's keepalived crashes, and back on
 * recovery. The client's HTTP request to the IPv6 VIP is answered by the new holder's Traefik (its neighbour
 * advertisement went out). Prints when each family's VIP arrived, beside an IPv4-only pair's handover in the same run
 * as the baseline.
 */
class DualStackVipE2ETest extends HaPairE2ETest {

    private static final String VIP6 = HaPair.VIP6;
    private static final Duration MOVE = Duration.ofSeconds(10);

    @Test
    void bothVipsMoveTogetherAndComeBackTogether() {
        pair.enableIpv6();
        TraefikHAClusterSpec ipv4Only = HaPair.spec(ClusterSpecs.homelab());
        pair.deploy(ipv4Only, null);
        assertThat(HaPair.await(MOVE, () -> pair.onlyHolder(pair.primary))).isTrue();
        long baselineKilled = System.nanoTime();
        pair.primary.killTraefik();
        long baseline = arrivals(pair.secondary, baselineKilled)[0];
        assertThat(HaPair.await(MOVE, () -> pair.onlyHolder(pair.secondary))).as("baseline: the IPv4 VIP alone moves").isTrue();
        pair.primary.startTraefik();
        assertThat(HaPair.await(MOVE, () -> pair.onlyHolder(pair.primary))).isTrue();

        TraefikHAClusterSpec spec = HaPair.dualStack(HaPair.spec(ClusterSpecs.homelab()));
        assertThat(SpecValidator.validate(spec)).isEmpty();

        Timeline adding;
        try (VipPoller poller = pair.bed.pollVip(HaPair.VIP).awaitAnswer(MOVE)) {
            pair.deploy(spec, null);
            assertThat(HaPair.await(MOVE, () -> holdsBoth(pair.primary) && holdsNeither(pair.secondary)))
                    .as("both VIPs on the primary").isTrue();
            TestBed.sleep(1000);
            adding = poller.stop();
        }
        assertThat(adding.servingHostChanges()).as("adding the IPv6 VIP leaves the IPv4 VIP on the primary").isZero();
        assertThat(adding.lastServedBy()).isEqualTo(pair.primary.name());
        System.out.printf("DualStackVipE2ETest: adding the IPv6 VIP to a running pair: %d of %d requests to the IPv4 VIP"
                + " failed (longest gap %d ms: %s), none answered by the secondary%n", adding.failedRequests(),
                adding.samples().size(), adding.longestGapBetween(0, Long.MAX_VALUE), adding.failures());
        assertThat(reaches6(pair.primary)).as("the client reaches the IPv6 VIP on the primary").isTrue();
        try (SshNodeGateway nodes = pair.gateway(spec)) {
            PrimaryChecks lan = nodes.checkPrimary(List.of(VIP6, HaPair.SECONDARY_ADDRESS6, TestBed.SUBNET6 + "99"));
            assertThat(lan.addresses()).as("preflight's probe of IPv6 addresses from the primary").extracting(
                    p -> p.address() + " " + p.outcome() + " " + p.mac()).containsExactly(VIP6 + " HELD_BY_PRIMARY null",
                    HaPair.SECONDARY_ADDRESS6 + " ANSWERED " + mac(pair.secondary).toUpperCase(java.util.Locale.ROOT),
                    TestBed.SUBNET6 + "99 FREE null");
        }
        Ipv6VipPlanner.Judgement together = judge(spec);
        assertThat(together.holders()).as("the operator's probe sees the IPv6 VIP on the primary").containsExactly(Role.PRIMARY);
        assertThat(together.conditionStatus()).isEqualTo(Condition.TRUE);
        pair.secondary.exec("ip -6 addr add " + VIP6 + "/64 dev eth0 nodad").orThrow("the IPv6 VIP by hand on the secondary");
        Ipv6VipPlanner.Judgement split = judge(spec);
        pair.secondary.exec("ip -6 addr del " + VIP6 + "/64 dev eth0").orThrow("the hand-made IPv6 VIP removed");
        assertThat(split.reason()).as("an IPv6 VIP added by hand splits the families").isEqualTo(Ipv6VipPlanner.SPLIT_FAMILIES);
        assertThat(split.holders()).containsExactly(Role.PRIMARY, Role.SECONDARY);

        long killed = System.nanoTime();
        pair.primary.killTraefik();
        long[] arrived = arrivals(pair.secondary, killed);
        assertThat(HaPair.await(MOVE, () -> holdsBoth(pair.secondary) && holdsNeither(pair.primary)))
                .as("Traefik dead on the primary: both VIPs on the secondary, none left behind").isTrue();
        assertThat(reaches6(pair.secondary)).as("the client reaches the IPv6 VIP on the secondary").isTrue();
        System.out.printf("DualStackVipE2ETest: Traefik killed on the holder: IPv4 VIP on the peer after %d ms, IPv6 VIP"
                + " after %d ms (baseline, IPv4 VIP alone, same run: %d ms)%n", arrived[0], arrived[1], baseline);

        pair.primary.startTraefik();
        assertThat(HaPair.await(MOVE, () -> holdsBoth(pair.primary) && holdsNeither(pair.secondary)))
                .as("preempt: both VIPs back on the primary").isTrue();

        assertThat(pair.period(spec, null, null, Optional.of(Role.SECONDARY)).failure()).isNull();
        assertThat(HaPair.await(MOVE, () -> holdsBoth(pair.secondary) && holdsNeither(pair.primary)))
                .as("a handover to the secondary (maintenance, rolling upgrade) moves both VIPs").isTrue();
        assertThat(pair.period(spec, null, null, Optional.empty()).failure()).isNull();
        assertThat(HaPair.await(MOVE, () -> holdsBoth(pair.primary) && holdsNeither(pair.secondary)))
                .as("the handover ended: both VIPs back on the primary").isTrue();

        long crashed = System.nanoTime();
        pair.primary.crashKeepalived();
        arrived = arrivals(pair.secondary, crashed);
        assertThat(holdsBoth(pair.secondary)).as("keepalived crashed on the primary: both VIPs on the secondary").isTrue();
        System.out.printf("DualStackVipE2ETest: keepalived crashed on the holder: IPv4 VIP on the peer after %d ms, IPv6 VIP"
                + " after %d ms%n", arrived[0], arrived[1]);
        pair.stopKeepalived();
    }

    /** One probe of each node over SSH, as the operator's, and who holds the IPv6 VIP beside the IPv4 one. */
    private static Ipv6VipPlanner.Judgement judge(TraefikHAClusterSpec spec) {
        try (SshNodeGateway nodes = pair.gateway(spec)) {
            Map<Role, NodeObservation> probes = new TreeMap<>();
            for (Role role : Role.pair()) {
                probes.put(role, nodes.probe(role, List.of()));
            }
            assertThat(probes.get(Role.PRIMARY).ipv6Addresses()).as("its own address, as DNS takes it for the primary's")
                    .contains(HaPair.PRIMARY_ADDRESS6);
            List<Role> ipv4Holders = probes.values().stream().filter(NodeObservation::vipPresent).map(NodeObservation::role)
                    .sorted().toList();
            return Ipv6VipPlanner.judge(VIP6, probes, ipv4Holders, Map.of(Role.PRIMARY, "primary", Role.SECONDARY, "secondary"));
        }
    }

    private static boolean holdsBoth(BedHost host) {
        return host.holds(HaPair.VIP) && host.holds(VIP6);
    }

    private static boolean holdsNeither(BedHost host) {
        return !host.holds(HaPair.VIP) && !host.holds(VIP6);
    }

    private static String mac(BedHost host) {
        String link = host.exec("ip -o link show dev eth0").stdout();
        return link.substring(link.indexOf("link/ether ") + "link/ether ".length()).split(" ")[0];
    }

    /** The client's request to http://[VIP6]/ is answered by HOLDER's Traefik, not a stale holder's. */
    private static boolean reaches6(BedHost holder) {
        return HaPair.await(Duration.ofSeconds(5), () -> pair.bed.execInClient("curl -sS -m 1 -g http://[" + VIP6 + "]/")
                .stdout().strip().equals(holder.name()));
    }

    /** Milliseconds from START until HOST held the IPv4 and the IPv6 VIP (-1: not within the wait). */
    private static long[] arrivals(BedHost host, long start) {
        long[] arrived = {-1, -1};
        long deadline = System.nanoTime() + MOVE.toNanos();
        while ((arrived[0] < 0 || arrived[1] < 0) && System.nanoTime() < deadline) {
            if (arrived[0] < 0 && host.holds(HaPair.VIP)) {
                arrived[0] = (System.nanoTime() - start) / 1_000_000;
            }
            if (arrived[1] < 0 && host.holds(VIP6)) {
                arrived[1] = (System.nanoTime() - start) / 1_000_000;
            }
            TestBed.sleep(5);
        }
        return arrived;
    }
}
