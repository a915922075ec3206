package io.traefikha.sync;

import static io.traefikha.keepalived.Role.PRIMARY;
import static io.traefikha.keepalived.Role.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.keepalived.Role;
import io.traefikha.sync.ReloadPlanner.Action;
import io.traefikha.sync.ReloadPlanner.Action.Defer;
import io.traefikha.sync.ReloadPlanner.Action.HandOverVip;
import io.traefikha.sync.ReloadPlanner.Action.Restart;
import io.traefikha.sync.ReloadPlanner.Action.Verify;
import io.traefikha.sync.ReloadPlanner.NodeHealth;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReloadPlannerTest {

    static final List<String> STATIC = StaticConfig.paths(List.of("/etc/traefik"), List.of());
    static final String DYNAMIC = "/etc/traefik/dynamic/routes.yml";
    static final String TRAEFIK_YML = "/etc/traefik/traefik.yml";
    static final NodeHealth UP = new NodeHealth(true, true, 12);
    static final NodeHealth DOWN = new NodeHealth(false, false, -1);

    static Stream<Arguments> table() {
        Map<Role, NodeHealth> bothUp = Map.of(PRIMARY, UP, SECONDARY, UP);
        return Stream.of(
                Arguments.of("dynamic file: the file provider picks it up, nothing is signalled",
                        List.of(DYNAMIC), PRIMARY, bothUp, List.of()),
                Arguments.of("static change, primary holds the VIP: secondary first, then the VIP moves, then the primary",
                        List.of(DYNAMIC, TRAEFIK_YML), PRIMARY, bothUp, List.of(new Restart(SECONDARY), new Verify(SECONDARY),
                                new HandOverVip(PRIMARY, SECONDARY), new Restart(PRIMARY), new Verify(PRIMARY))),
                Arguments.of("static change, secondary holds the VIP: the primary first",
                        List.of(TRAEFIK_YML), SECONDARY, bothUp, List.of(new Restart(PRIMARY), new Verify(PRIMARY),
                                new HandOverVip(SECONDARY, PRIMARY), new Restart(SECONDARY), new Verify(SECONDARY))),
                Arguments.of("static change, nobody holds the VIP: both restarted, no handover",
                        List.of("/etc/traefik/traefik.toml"), null, bothUp, List.of(new Restart(SECONDARY),
                                new Verify(SECONDARY), new Restart(PRIMARY), new Verify(PRIMARY))),
                Arguments.of("static change, the VIP holder's peer is down: only the peer is restarted, the holder waits",
                        List.of(TRAEFIK_YML), PRIMARY, Map.of(PRIMARY, UP, SECONDARY, DOWN), List.of(new Restart(SECONDARY),
                                new Verify(SECONDARY), new Defer(PRIMARY, "PRIMARY holds the VIP and SECONDARY is not healthy:"
                                        + " Traefik on PRIMARY keeps its old static configuration for now"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void plans(String situation, List<String> changed, Role vipHolder, Map<Role, NodeHealth> health, List<Action> expected) {
        assertThat(ReloadPlanner.plan(changed, STATIC, vipHolder, health)).isEqualTo(expected);
    }
}
