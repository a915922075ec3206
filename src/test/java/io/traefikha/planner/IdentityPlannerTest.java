package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.Role;
import io.traefikha.planner.IdentityPlanner.Decision;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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

    private static final Role SECOND = Role.SECONDARY;
    private static final Role THIRD = Role.of(2);
    private static final Optional<String> THIRD_OWN_KEY = Optional.of("SHA256:ct112");

    /** Three replicas: each secondary decided on its own key and its own record, against the primary's key. */
    static Stream<Arguments> threeReplicas() {
        return Stream.of(
                Arguments.of("both clones fresh: both regenerate", false, CT110, Map.of(SECOND, CT110, THIRD, CT110),
                        Map.of(), Map.of(SECOND, Decision.REGENERATE, THIRD, Decision.REGENERATE)),
                Arguments.of("the first done, the second a fresh clone: only the second", false, CT110,
                        Map.of(SECOND, OWN_KEY, THIRD, CT110), Map.of(),
                        Map.of(SECOND, Decision.OWN, THIRD, Decision.REGENERATE)),
                Arguments.of("one has keys recorded: it resumes, the other is judged by its key", false, CT110,
                        Map.of(SECOND, CT110, THIRD, THIRD_OWN_KEY), Map.of(SECOND, STAGED),
                        Map.of(SECOND, Decision.RESUME, THIRD, Decision.OWN)),
                Arguments.of("the second not reached: only it waits", false, CT110,
                        Map.of(SECOND, CT110, THIRD, NOT_KNOWN), Map.of(),
                        Map.of(SECOND, Decision.REGENERATE, THIRD, Decision.UNKNOWN)),
                Arguments.of("the primary not known: both wait, a recorded replacement still resumes", false, NOT_KNOWN,
                        Map.of(SECOND, CT110, THIRD, CT110), Map.of(THIRD, STAGED),
                        Map.of(SECOND, Decision.UNKNOWN, THIRD, Decision.RESUME)),
                Arguments.of("knownHosts: each copy left to the user, an own key is own", true, CT110,
                        Map.of(SECOND, OWN_KEY, THIRD, CT110), Map.of(),
                        Map.of(SECOND, Decision.OWN, THIRD, Decision.COPIED_KEPT)),
                Arguments.of("two secondaries with their own, different keys", false, CT110,
                        Map.of(SECOND, OWN_KEY, THIRD, THIRD_OWN_KEY), Map.of(),
                        Map.of(SECOND, Decision.OWN, THIRD, Decision.OWN)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threeReplicas")
    void decidesEachSecondaryOfThree(String name, boolean knownHosts, Optional<String> primary,
            Map<Role, Optional<String>> secondaries, Map<Role, Set<String>> pending, Map<Role, Decision> expected) {
        assertThat(IdentityPlanner.decideEach(knownHosts, primary, secondaries, pending))
                .containsExactlyEntriesOf(new TreeMap<>(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, boolean knownHosts, Optional<String> primary, Optional<String> secondary, Set<String> pending,
            Decision expected) {
        assertThat(IdentityPlanner.decide(knownHosts, primary, secondary, pending)).isEqualTo(expected);
    }
}
