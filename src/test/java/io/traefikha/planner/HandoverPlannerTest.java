package io.traefikha.planner;

import static io.traefikha.domain.Role.PRIMARY;
import static io.traefikha.domain.Role.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import io.traefikha.planner.HandoverPlanner.Memory;
import io.traefikha.planner.HandoverPlanner.State;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Moving the VIP to the secondary: every state of both nodes and of the previous round. */
class HandoverPlannerTest {

    static NodeObservation master(Role role) {
        return node(role, true, true, true, "MASTER");
    }

    static NodeObservation backup(Role role) {
        return node(role, true, true, false, "BACKUP");
    }

    static NodeObservation node(Role role, boolean keepalived, boolean traefik, boolean vip, String state) {
        return new NodeObservation(role, true, null, true, keepalived, true, traefik, vip, state, Map.of());
    }

    static Stream<Arguments> cases() {
        NodeObservation brokenTraefik = node(SECONDARY, true, false, false, "FAULT");
        NodeObservation noKeepalived = node(SECONDARY, false, true, false, "STOP");
        NodeObservation unreachable = NodeObservation.unreachable(SECONDARY, "ssh: connect timed out");
        return Stream.of(
                Arguments.of("healthy target, VIP on the peer: move (pin the target)", master(PRIMARY), backup(SECONDARY), null,
                        State.Moving, Optional.of(SECONDARY), "priority is lowered"),
                Arguments.of("the target holds the VIP and answers: held", backup(PRIMARY), master(SECONDARY),
                        new Memory(SECONDARY, State.Moving), State.Held, Optional.of(SECONDARY), "holds the VIP and answers"),
                Arguments.of("both still carry the address: not yet held", master(PRIMARY), master(SECONDARY),
                        new Memory(SECONDARY, State.Moving), State.Moving, Optional.of(SECONDARY), "waiting"),
                Arguments.of("target Traefik broken: refused, nothing pinned", master(PRIMARY), brokenTraefik, null,
                        State.Refused, Optional.empty(), "its Traefik is not healthy"),
                Arguments.of("target keepalived down: refused", master(PRIMARY), noKeepalived, null,
                        State.Refused, Optional.empty(), "keepalived is not running"),
                Arguments.of("target unreachable: refused", master(PRIMARY), unreachable, null,
                        State.Refused, Optional.empty(), "connect timed out"),
                Arguments.of("target broke while moving: refused, pin dropped", master(PRIMARY), brokenTraefik,
                        new Memory(SECONDARY, State.Moving), State.Refused, Optional.empty(), "refused"),
                Arguments.of("target broke after taking the VIP: keepalived failed over, the pin stays", master(PRIMARY),
                        brokenTraefik, new Memory(SECONDARY, State.Held), State.Displaced, Optional.of(SECONDARY),
                        "keeps the VIP on the primary"),
                Arguments.of("a refusal of another target does not count as pinned", master(PRIMARY), brokenTraefik,
                        new Memory(PRIMARY, State.Held), State.Refused, Optional.empty(), "refused"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handsTheVipOnlyToAHealthyNode(String name, NodeObservation primary, NodeObservation secondary, Memory previous,
            State state, Optional<Role> pin, String message) {
        HandoverPlanner.Handover handover = HandoverPlanner.plan(new HandoverPlanner.Request(SECONDARY, "maintenance of the primary"),
                previous, Map.of(PRIMARY, primary, SECONDARY, secondary));

        assertThat(handover.state()).isEqualTo(state);
        assertThat(handover.pin()).isEqualTo(pin);
        assertThat(handover.message()).contains(message).contains("maintenance of the primary");
    }
}
