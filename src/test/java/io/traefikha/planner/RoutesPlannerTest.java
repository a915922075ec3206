package io.traefikha.planner;

import static io.traefikha.domain.Role.PRIMARY;
import static io.traefikha.domain.Role.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.LoadedRouters;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import io.traefikha.planner.RoutesPlanner.Judgement;
import io.traefikha.planner.RoutesPlanner.Verdict;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RoutesMatch: when the nodes' routers are compared, and what a difference is called. */
class RoutesPlannerTest {

    private static final String FILES = "f".repeat(64);
    private static final String OTHER_FILES = "e".repeat(64);
    private static final Map<Role, String> SETTLED = Map.of(PRIMARY, FILES, SECONDARY, FILES);
    private static final LoadedRouters THREE = LoadedRouters.of(Map.of("api@internal", "enabled", "blog@file", "enabled",
            "whoami@file", "enabled"));
    private static final LoadedRouters WITHOUT_BLOG = LoadedRouters.of(Map.of("api@internal", "enabled",
            "whoami@file", "enabled"));
    private static final LoadedRouters BLOG_DISABLED = LoadedRouters.of(Map.of("api@internal", "enabled",
            "blog@file", "disabled", "whoami@file", "enabled"));

    static NodeObservation node(Role role, boolean healthy, String configHash, LoadedRouters routers) {
        return new NodeObservation(role, true, null, true, true, true, healthy, role == PRIMARY,
                role == PRIMARY ? "MASTER" : "BACKUP", Map.of(), routers == null ? -1 : routers.count(), "3.1.0", null,
                Map.of(), configHash, routers);
    }

    static NodeObservation node(Role role, LoadedRouters routers) {
        return node(role, true, FILES, routers);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("same routers, files settled", node(PRIMARY, THREE), node(SECONDARY, THREE), SETTLED,
                        Verdict.SAME, RoutesPlanner.MATCH, "both nodes have loaded the same 3 routers (sha256 "),
                Arguments.of("same routers while the files differ: still the same", node(PRIMARY, true, OTHER_FILES, THREE),
                        node(SECONDARY, THREE), Map.of(), Verdict.SAME, RoutesPlanner.MATCH, "the same 3 routers"),
                Arguments.of("secondary lacks one, files the same and settled", node(PRIMARY, THREE),
                        node(SECONDARY, WITHOUT_BLOG), SETTLED, Verdict.DIFFERENT, RoutesPlanner.DIFFER,
                        "the secondary lacks blog@file (3 routers on the primary, 2 on the secondary)"),
                Arguments.of("primary lacks one", node(PRIMARY, WITHOUT_BLOG), node(SECONDARY, THREE), SETTLED,
                        Verdict.DIFFERENT, RoutesPlanner.DIFFER, "the primary lacks blog@file"),
                Arguments.of("a router disabled on one node", node(PRIMARY, THREE), node(SECONDARY, BLOG_DISABLED),
                        SETTLED, Verdict.DIFFERENT, RoutesPlanner.DIFFER,
                        "status differs: blog@file (primary enabled, secondary disabled)"),
                Arguments.of("different while the files differ: a copy under way", node(PRIMARY, true, OTHER_FILES, THREE),
                        node(SECONDARY, WITHOUT_BLOG), SETTLED, Verdict.CANNOT_TELL, RoutesPlanner.FILES_DIFFER,
                        "compared again once the config sync has made them the same: the secondary lacks blog@file"),
                Arguments.of("different right after the files changed: Traefik may still be loading",
                        node(PRIMARY, THREE), node(SECONDARY, WITHOUT_BLOG), Map.of(PRIMARY, FILES, SECONDARY, OTHER_FILES),
                        Verdict.CANNOT_TELL, RoutesPlanner.FILES_CHANGED, "changed since the last look"),
                Arguments.of("different at the first look (no earlier hashes)", node(PRIMARY, THREE),
                        node(SECONDARY, WITHOUT_BLOG), Map.of(), Verdict.CANNOT_TELL, RoutesPlanner.FILES_CHANGED,
                        "compared again at the next look"),
                Arguments.of("different, the secondary's files not listed", node(PRIMARY, THREE),
                        node(SECONDARY, true, null, WITHOUT_BLOG), SETTLED, Verdict.CANNOT_TELL, RoutesPlanner.FILES_UNKNOWN,
                        "could not be listed on the secondary"),
                Arguments.of("secondary unreachable", node(PRIMARY, THREE),
                        NodeObservation.unreachable(SECONDARY, "ssh: connect timed out"), SETTLED, Verdict.CANNOT_TELL,
                        RoutesPlanner.NOT_PROBED, "the secondary cannot be probed: ssh: connect timed out"),
                Arguments.of("primary's Traefik unhealthy", node(PRIMARY, false, FILES, WITHOUT_BLOG),
                        node(SECONDARY, THREE), SETTLED, Verdict.CANNOT_TELL, RoutesPlanner.TRAEFIK_UNHEALTHY,
                        "the primary's Traefik is not healthy"),
                Arguments.of("secondary's API did not list its routers", node(PRIMARY, THREE), node(SECONDARY, null),
                        SETTLED, Verdict.CANNOT_TELL, RoutesPlanner.NOT_LISTED,
                        "the secondary's Traefik API (spec.healthCheck.apiUrl) did not list them"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judges(String name, NodeObservation primary, NodeObservation secondary, Map<Role, String> before,
            Verdict verdict, String reason, String message) {
        Judgement judgement = RoutesPlanner.judge(Map.of(PRIMARY, primary, SECONDARY, secondary), before);

        assertThat(judgement.verdict()).isEqualTo(verdict);
        assertThat(judgement.reason()).isEqualTo(reason);
        assertThat(judgement.message()).contains(message);
    }

    @Test
    void theConditionIsTrueFalseOrUnknown() {
        assertThat(Verdict.SAME.conditionStatus()).isEqualTo("True");
        assertThat(Verdict.DIFFERENT.conditionStatus()).isEqualTo("False");
        assertThat(Verdict.CANNOT_TELL.conditionStatus()).isEqualTo("Unknown");
    }

    @Test
    void namesAtMostTenRoutersAndCountsTheRest() {
        Map<String, String> many = new HashMap<>();
        IntStream.range(0, 14).forEach(i -> many.put("r%02d@file".formatted(i), "enabled"));
        Map<String, String> fewer = new HashMap<>(many);
        IntStream.range(0, 12).forEach(i -> fewer.remove("r%02d@file".formatted(i)));
        fewer.put("only-here@docker", "enabled");

        String difference = RoutesPlanner.difference(LoadedRouters.of(many), LoadedRouters.of(fewer), "secondary");

        assertThat(difference).isEqualTo("the secondary lacks r00@file, r01@file, r02@file, r03@file, r04@file,"
                + " r05@file, r06@file, r07@file, r08@file, r09@file and 2 more; the primary lacks 1 router"
                + " (14 routers on the primary, 3 on the secondary)");
    }

    @Test
    void aListCutShortNamesOnlyWhatBothNodesListed() {
        // the primary listed a..c of its 5 (hash over all 5); the secondary lists all 4 it has: d is beyond the cut
        LoadedRouters primary = new LoadedRouters(5, "a".repeat(64), new TreeMap<>(ordered("a", "b", "c")));
        LoadedRouters secondary = LoadedRouters.of(ordered("a", "c", "d", "e"));

        assertThat(RoutesPlanner.difference(primary, secondary, "secondary"))
                .isEqualTo("the secondary lacks b (5 routers on the primary, 4 on the secondary)");
        assertThat(RoutesPlanner.difference(primary, LoadedRouters.of(ordered("a", "b", "c", "x")), "secondary"))
                .startsWith("the difference lies beyond the first 256 routers a node lists");
    }

    private static Map<String, String> ordered(String... names) {
        Map<String, String> routers = new LinkedHashMap<>();
        for (String name : names) {
            routers.put(name, "enabled");
        }
        return routers;
    }
}
