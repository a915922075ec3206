package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who holds the IPv6 VIP beside who holds the IPv4 one, table by table. */
class Ipv6VipPlannerTest {

    static final String VIP6 = "fd00:1::100";
    static final List<String> HOLDING = List.of("fd00:1::110", VIP6);
    static final List<String> NOT_HOLDING = List.of("fd00:1::120");
    static final Map<Role, String> HOSTNAMES = Map.of(Role.PRIMARY, "traefik", Role.SECONDARY, "traefik-2");

    static NodeObservation node(Role role, List<String> ipv6) {
        return new NodeObservation(role, true, null, true, true, true, true, false, "BACKUP", Map.of(), 3, null, null,
                Map.of(), null, null, null, ipv6);
    }

    static Stream<Arguments> holders() {
        List<Role> p = List.of(Role.PRIMARY);
        List<Role> s = List.of(Role.SECONDARY);
        List<Role> both = List.of(Role.PRIMARY, Role.SECONDARY);
        List<Role> none = List.of();
        return Stream.of(
                // primary's and secondary's IPv6 addresses, IPv4 holders -> IPv6 holders, status, reason, message part
                Arguments.of(HOLDING, NOT_HOLDING, p, p, Condition.TRUE, Ipv6VipPlanner.WITH_IPV4_VIP,
                        "the primary (traefik) holds the IPv6 VIP fd00:1::100 beside the IPv4 VIP"),
                Arguments.of(NOT_HOLDING, HOLDING, s, s, Condition.TRUE, Ipv6VipPlanner.WITH_IPV4_VIP, "the secondary"),
                Arguments.of(HOLDING, HOLDING, both, both, Condition.TRUE, Ipv6VipPlanner.WITH_IPV4_VIP,
                        "the primary (traefik) and the secondary (traefik-2) hold the IPv6 VIP"),
                Arguments.of(NOT_HOLDING, HOLDING, p, s, Condition.FALSE, Ipv6VipPlanner.SPLIT_FAMILIES,
                        "the IPv4 VIP is held by the primary (traefik) and the IPv6 VIP fd00:1::100 by the secondary"),
                Arguments.of(HOLDING, HOLDING, p, both, Condition.FALSE, Ipv6VipPlanner.SPLIT_FAMILIES,
                        "by the primary (traefik) and the secondary (traefik-2)"),
                Arguments.of(HOLDING, NOT_HOLDING, none, p, Condition.FALSE, Ipv6VipPlanner.SPLIT_FAMILIES,
                        "the IPv4 VIP is held by no node"),
                Arguments.of(NOT_HOLDING, List.of(), p, none, Condition.FALSE, Ipv6VipPlanner.NOT_HELD,
                        "no node holds the IPv6 VIP fd00:1::100"),
                Arguments.of(NOT_HOLDING, NOT_HOLDING, none, none, Condition.UNKNOWN, Ipv6VipPlanner.NO_HOLDER,
                        "no node holds either VIP"),
                Arguments.of(HOLDING, null, p, p, Condition.UNKNOWN, Ipv6VipPlanner.NOT_REPORTED,
                        "the probe of the secondary (traefik-2) did not report"));
    }

    @ParameterizedTest(name = "{0} / {1}, IPv4 on {2} -> {4} {5}")
    @MethodSource("holders")
    void bothFamiliesOnTheSameNodeIsTrueAnythingElseIsVisible(List<String> primary, List<String> secondary,
            List<Role> ipv4Holders, List<Role> expectedHolders, String status, String reason, String message) {
        Map<Role, NodeObservation> probes = new TreeMap<>();
        probes.put(Role.PRIMARY, node(Role.PRIMARY, primary));
        probes.put(Role.SECONDARY, node(Role.SECONDARY, secondary));

        Ipv6VipPlanner.Judgement judgement = Ipv6VipPlanner.judge(VIP6, probes, ipv4Holders, HOSTNAMES);

        assertThat(judgement.holders()).isEqualTo(expectedHolders);
        assertThat(judgement.conditionStatus()).isEqualTo(status);
        assertThat(judgement.reason()).isEqualTo(reason);
        assertThat(judgement.message()).contains(message);
    }

    @ParameterizedTest(name = "unreachable {0}")
    @MethodSource("roles")
    void aNodeThatCannotBeProbedHoldsNothingAsForTheIpv4Vip(Role unreachable) {
        Map<Role, NodeObservation> probes = new TreeMap<>();
        probes.put(unreachable, NodeObservation.unreachable(unreachable, "ssh: connect timed out"));
        probes.put(unreachable.peer(), node(unreachable.peer(), HOLDING));

        Ipv6VipPlanner.Judgement judgement = Ipv6VipPlanner.judge(VIP6, probes, List.of(unreachable.peer()), HOSTNAMES);

        assertThat(judgement.holders()).containsExactly(unreachable.peer());
        assertThat(judgement.conditionStatus()).isEqualTo(Condition.TRUE);
    }

    static Stream<Role> roles() {
        return Role.pair().stream();
    }
}
