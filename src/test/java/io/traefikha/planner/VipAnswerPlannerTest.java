package io.traefikha.planner;

import static io.traefikha.domain.Role.PRIMARY;
import static io.traefikha.domain.Role.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.EntryPoint;
import io.traefikha.domain.Finding;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import io.traefikha.domain.VipAnswer;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.planner.VipAnswerPlanner.Checked;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** VIPHealthy from the nodes' judgement and what the VIP's entry points answered. */
class VipAnswerPlannerTest {

    private static final EntryPoint HTTP = EntryPoint.http(80);
    private static final EntryPoint HTTPS = EntryPoint.https(443, "grafana.internal.example.com");
    private static final Finding HELD = new Finding(ConditionTypes.VIP_HEALTHY, true, "Held",
            "the primary holds the VIP and its Traefik is healthy");
    private static final Finding HOLDER_UNHEALTHY = new Finding(ConditionTypes.VIP_HEALTHY, false, "HolderUnhealthy",
            "the primary holds the VIP but its Traefik is not healthy");
    private static final Finding SPLIT = new Finding(ConditionTypes.VIP_HEALTHY, false, "SplitBrain", "both are MASTER");
    private static final Finding NO_HOLDER = new Finding(ConditionTypes.VIP_HEALTHY, false, "NoHolder",
            "no node holds the VIP");
    private static final List<Checked> BOTH_ANSWER = List.of(new Checked(HTTP, VipAnswer.answered(404, 1)),
            new Checked(HTTPS, VipAnswer.answered(200, 3)));
    private static final List<Checked> HTTPS_HANGS = List.of(new Checked(HTTP, VipAnswer.answered(404, 1)),
            new Checked(HTTPS, VipAnswer.failed("no answer within 2000 ms", 2001)));
    private static final List<Checked> REFUSED = List.of(new Checked(HTTP, VipAnswer.failed("connection refused", 0)));

    static NodeObservation node(Role role, boolean keepalived, boolean healthy, String vrrpState, String traefikProblem) {
        return new NodeObservation(role, true, null, true, keepalived, true, healthy, false, vrrpState, Map.of(), 3,
                "3.1.0", null, Map.of(), null, null, traefikProblem);
    }

    private static final Map<Role, NodeObservation> HEALTHY = Map.of(PRIMARY, node(PRIMARY, true, true, "MASTER", null),
            SECONDARY, node(SECONDARY, true, true, "BACKUP", null));

    static Stream<Arguments> cases() {
        Map<Role, NodeObservation> bothFail = Map.of(
                PRIMARY, node(PRIMARY, true, false, "FAULT", "its Traefik does not answer its ping (http://127.0.0.1:8080/ping)"),
                SECONDARY, node(SECONDARY, true, false, "FAULT", "its Traefik service is not active"));
        return Stream.of(
                Arguments.of("held and both answer: the nodes' judgement stands", HELD, List.of(PRIMARY), HEALTHY, BOTH_ANSWER,
                        true, "Held", "the primary holds the VIP and its Traefik is healthy"),
                Arguments.of("any status is an answer", HELD, List.of(PRIMARY), HEALTHY,
                        List.of(new Checked(HTTP, VipAnswer.answered(503, 2))), true, "Held", "its Traefik is healthy"),
                Arguments.of("held, https hangs", HELD, List.of(PRIMARY), HEALTHY, HTTPS_HANGS, false,
                        VipAnswerPlanner.NOT_ANSWERING, "the primary holds the VIP but it does not answer clients:"
                                + " https (port 443): no answer within 2000 ms (after 2001 ms)"),
                Arguments.of("held by the secondary, refused", HELD, List.of(SECONDARY), HEALTHY, REFUSED, false,
                        VipAnswerPlanner.NOT_ANSWERING, "the secondary holds the VIP but it does not answer clients:"
                                + " http (port 80): connection refused"),
                Arguments.of("an unhealthy holder that answers stays unhealthy", HOLDER_UNHEALTHY, List.of(PRIMARY), HEALTHY,
                        BOTH_ANSWER, false, "HolderUnhealthy", "its Traefik is not healthy"),
                Arguments.of("split brain wins over the answers", SPLIT, List.of(PRIMARY, SECONDARY), HEALTHY, REFUSED,
                        false, "SplitBrain", "both are MASTER"),
                Arguments.of("no holder: the check fails on both nodes, which part", NO_HOLDER, List.of(), bothFail, REFUSED,
                        false, VipAnswerPlanner.NO_HOLDER, "no node holds the VIP: the health check fails on both nodes (the"
                                + " primary: its Traefik does not answer its ping (http://127.0.0.1:8080/ping); the"
                                + " secondary: its Traefik service is not active)"),
                Arguments.of("no holder, keepalived stopped on one, unreachable other", NO_HOLDER, List.of(),
                        Map.of(PRIMARY, node(PRIMARY, false, true, null, null),
                                SECONDARY, NodeObservation.unreachable(SECONDARY, "SSH refused")), REFUSED, false,
                        VipAnswerPlanner.NO_HOLDER, "no node holds the VIP: (the primary: its keepalived is not running;"
                                + " the secondary: it cannot be probed: SSH refused)"),
                Arguments.of("no holder of ours, yet the VIP answers", NO_HOLDER, List.of(),
                        Map.of(PRIMARY, node(PRIMARY, true, true, "BACKUP", null), SECONDARY, node(SECONDARY, true, true,
                                "BACKUP", null)), BOTH_ANSWER, false, VipAnswerPlanner.NO_HOLDER,
                        "(the primary: keepalived is BACKUP although it could take the VIP; the secondary: keepalived is"
                                + " BACKUP although it could take the VIP); yet something answers on the VIP (another host"
                                + " holding the address?)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judge(String name, Finding nodes, List<Role> holders, Map<Role, NodeObservation> probes, List<Checked> checked,
            boolean healthy, String reason, String message) {
        Finding finding = VipAnswerPlanner.judge(nodes, holders, probes, checked);
        assertThat(finding.type()).isEqualTo(ConditionTypes.VIP_HEALTHY);
        assertThat(finding.status()).as(finding.message()).isEqualTo(healthy);
        assertThat(finding.reason()).isEqualTo(reason);
        assertThat(finding.message()).contains(message);
    }

    @Test
    void httpAlwaysHttpsUnlessPortZeroWithTheFirstMovedNameAsSni() {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        spec.dns = new DnsSpec();
        assertThat(VipAnswerPlanner.entryPoints(spec)).containsExactly(EntryPoint.http(80), EntryPoint.https(443, null));

        spec.dns.provider = DnsSpec.DnsProvider.AdGuardHome;
        spec.dns.domain = "internal.example.com";
        spec.dns.records = List.of("whoami", "blog");
        DnsSpec.DnsPhaseSpec first = new DnsSpec.DnsPhaseSpec();
        first.records = List.of("Grafana");
        spec.dns.phases = List.of(first);
        spec.vip.httpPort = 8000;
        assertThat(VipAnswerPlanner.entryPoints(spec)).containsExactly(EntryPoint.http(8000),
                EntryPoint.https(443, "grafana.internal.example.com"));

        spec.vip.httpsPort = 0;
        assertThat(VipAnswerPlanner.entryPoints(spec)).containsExactly(EntryPoint.http(8000));
    }
}
