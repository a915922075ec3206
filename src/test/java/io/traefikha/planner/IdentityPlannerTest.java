package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.planner.IdentityPlanner.Decision;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether the secondary's identity is its own: every combination of the keys known, the record and knownHosts. */
class IdentityPlannerTest {

    private static final Optional<String> CT110 = Optional.of("SHA256:ct110");
    private static final Optional<String> OWN_KEY = Optional.of("SHA256:ct111");
    private static final Optional<String> NOT_KNOWN = Optional.empty();
    private static final Set<String> NONE = Set.of();
    private static final Set<String> STAGED = Set.of("SHA256:new-ed25519", "SHA256:new-rsa");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("keys differ: nothing to do, ever again", false, CT110, OWN_KEY, NONE, Decision.OWN),
                Arguments.of("a fresh clone presents the primary's key: regenerate", false, CT110, CT110, NONE,
                        Decision.REGENERATE),
                Arguments.of("provisioned before this feature, pinned with the primary's key: regenerate once", false,
                        CT110, CT110, NONE, Decision.REGENERATE),
                Arguments.of("the secondary not reached: decided later", false, CT110, NOT_KNOWN, NONE, Decision.UNKNOWN),
                Arguments.of("the primary stopped and not pinned yet: decided later", false, NOT_KNOWN, CT110, NONE,
                        Decision.UNKNOWN),
                Arguments.of("new keys recorded: finish, whatever the keys look like now", false, NOT_KNOWN, NOT_KNOWN,
                        STAGED, Decision.RESUME),
                Arguments.of("new keys recorded and the key already moved: finish (pin it)", false, CT110, OWN_KEY, STAGED,
                        Decision.RESUME),
                Arguments.of("knownHosts and the primary's key: left to the user", true, CT110, CT110, NONE,
                        Decision.COPIED_KEPT),
                Arguments.of("knownHosts and own keys", true, CT110, OWN_KEY, NONE, Decision.OWN),
                Arguments.of("knownHosts added mid-way: a recorded replacement is not finished behind the user's pins",
                        true, CT110, CT110, STAGED, Decision.COPIED_KEPT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, boolean knownHosts, Optional<String> primary, Optional<String> secondary, Set<String> pending,
            Decision expected) {
        assertThat(IdentityPlanner.decide(knownHosts, primary, secondary, pending)).isEqualTo(expected);
    }
}
