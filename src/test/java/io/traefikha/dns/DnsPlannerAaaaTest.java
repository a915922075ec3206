package io.traefikha.dns;

import static io.traefikha.dns.ServedEvidence.CLEAR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.traefikha.dns.DnsChange.Reason;
import io.traefikha.dns.DnsPlan.DnsConflict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The AAAA half of the ownership and migration rules: AAAA follows A name by name, owned and given back the same way. */
class DnsPlannerAaaaTest {

    static final String P = "192.168.1.110";
    static final String V = "192.168.1.100";
    static final String X = "192.168.1.50";
    static final String P6 = "fd00:1::110";
    static final String V6 = "fd00:1::100";
    static final String X6 = "fd00:1::50";
    static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
    static final Duration SOAK = Duration.ofHours(24);

    static MigrationSpec spec(boolean takeOver, String vip6, MigrationSpec.Group... groups) {
        return new MigrationSpec(List.of(groups), SOAK, takeOver, P, V).withIpv6(vip6, List.of(P6));
    }

    static MigrationSpec.Group group(String name, String... names) {
        return new MigrationSpec.Group(name, List.of(names));
    }

    static Stream<Arguments> ownership() {
        return Stream.of(
                // current AAAA answers, owned before, takeOverConflicts -> change reason (null: none), conflict, in place
                Arguments.of(List.of(), false, false, Reason.MIGRATE, false, false),
                Arguments.of(List.of(P6), false, false, Reason.MIGRATE, false, false),
                Arguments.of(List.of(P6, V6), false, false, Reason.MIGRATE, false, false),
                Arguments.of(List.of(P6), true, false, Reason.MIGRATE, false, false),
                Arguments.of(List.of(V6), false, false, null, false, true),
                Arguments.of(List.of(V6), true, false, null, false, true),
                Arguments.of(List.of(X6), false, false, null, true, false),
                Arguments.of(List.of(P6, X6), false, false, null, true, false),
                Arguments.of(List.of(X6), true, false, null, true, false),
                Arguments.of(List.of("AAAA"), false, false, null, true, false),
                Arguments.of(List.of("other.example.org"), false, false, null, true, false),
                Arguments.of(List.of(X6), false, true, Reason.TAKE_OVER, false, false));
    }

    @ParameterizedTest(name = "AAAA {0} owned={1} takeOver={2} -> {3}")
    @MethodSource("ownership")
    void anAaaaAnswerOfANameAtTheVipIsChangedOnlyWhenMissingAtThePrimaryOrAtTheIpv6Vip(List<String> current, boolean owned,
            boolean takeOver, Reason expectedChange, boolean conflict, boolean inPlace) {
        String name = "grafana.lan";
        OwnershipRegistry registry = OwnershipRegistry.empty().with(name, List.of(P));
        if (owned) {
            registry = registry.withAaaa(name, List.of(P6), V6);
        }

        DnsPlan plan = DnsPlanner.plan(spec(takeOver, V6, group("g", name)), Map.of(name, List.of(V)),
                Map.of(name, current), registry, new MigrationProgress("g", T0), true, CLEAR, T0);

        assertThat(plan.changes()).extracting(DnsChange::reason)
                .containsExactlyElementsOf(expectedChange == null ? List.of() : List.of(expectedChange));
        plan.changes().forEach(c -> assertThat(c.type()).isEqualTo(RecordType.AAAA));
        plan.changes().forEach(c -> assertThat(c.from()).isEqualTo(current));
        plan.changes().forEach(c -> assertThat(c.to()).containsExactly(V6));
        assertThat(plan.conflicts()).isEmpty();
        assertThat(plan.aaaa().conflicts()).isEqualTo(conflict ? List.of(new DnsConflict(name, current)) : List.of());
        assertThat(plan.aaaa().wanted()).isEqualTo(1);
        assertThat(plan.aaaa().inPlace()).isEqualTo(inPlace ? 1 : 0);
        if (expectedChange != null) {
            assertThat(plan.registry().previousAaaaAnswers().get(name)).isEqualTo(owned ? List.of(P6) : current);
            assertThat(plan.registry().aaaaVip()).isEqualTo(V6);
        }
        if (conflict) {
            assertThat(plan.registry().ownsAaaa(name)).isFalse(); // pointed elsewhere since: no longer ours
        }
        assertThat(plan.settled()).isEqualTo(inPlace);
    }

    @Test
    void aaaaFollowsAGroupByGroupInTheSameRoundAndWaitsForReady() {
        MigrationSpec spec = spec(false, V6, group("day-1", "a.lan"), group("day-2", "b.lan"));
        Map<String, List<String>> a = Map.of("a.lan", List.of(P), "b.lan", List.of(P));
        Map<String, List<String>> aaaa = Map.of("a.lan", List.of(P6));

        DnsPlan notReady = DnsPlanner.plan(spec, a, aaaa, OwnershipRegistry.empty(), MigrationProgress.NONE, false, CLEAR, T0);
        assertThat(notReady.changes()).isEmpty();
        assertThat(notReady.aaaa().wanted()).isZero();

        DnsPlan first = DnsPlanner.plan(spec, a, aaaa, OwnershipRegistry.empty(), MigrationProgress.NONE, true, CLEAR, T0);
        assertThat(first.changes()).containsExactly(
                new DnsChange("a.lan", List.of(P), List.of(V), Reason.MIGRATE, "day-1"),
                new DnsChange(RecordType.AAAA, "a.lan", List.of(P6), List.of(V6), Reason.MIGRATE, "day-1"));
        assertThat(first.aaaa().wanted()).isEqualTo(1);
        assertThat(first.registry()).isEqualTo(new OwnershipRegistry(Map.of("a.lan", List.of(P)),
                Map.of("a.lan", List.of(P6)), V6));
        assertThat(first.changes().get(1).describe()).isEqualTo("a.lan AAAA: [" + P6 + "] -> [" + V6 + "] (MIGRATE, group day-1)");

        // The next group's A and AAAA move together after the soak; b.lan had no AAAA answer.
        DnsPlan second = DnsPlanner.plan(spec, Map.of("a.lan", List.of(V), "b.lan", List.of(P)),
                Map.of("a.lan", List.of(V6)), first.registry(), new MigrationProgress("day-1", T0), true, CLEAR,
                T0.plus(SOAK));
        assertThat(second.changes()).containsExactly(
                new DnsChange("b.lan", List.of(P), List.of(V), Reason.MIGRATE, "day-2"),
                new DnsChange(RecordType.AAAA, "b.lan", List.of(), List.of(V6), Reason.MIGRATE, "day-2"));
        assertThat(second.aaaa().inPlace()).isEqualTo(1);
        assertThat(second.registry().previousAaaaAnswers()).containsEntry("b.lan", List.of());
    }

    @Test
    void aNameWhoseAAnswerIsNotTheOperatorsGetsNoAaaaAndAnOwnedOneIsGivenBack() {
        MigrationSpec spec = spec(false, V6, group("g", "foreign.lan", "retaken.lan"));
        OwnershipRegistry registry = OwnershipRegistry.empty().with("retaken.lan", List.of(P))
                .withAaaa("retaken.lan", List.of(P6), V6);

        DnsPlan plan = DnsPlanner.plan(spec, Map.of("foreign.lan", List.of(X), "retaken.lan", List.of(X)),
                Map.of("retaken.lan", List.of(V6)), registry, new MigrationProgress("g", T0), true, CLEAR, T0);

        assertThat(plan.changes()).containsExactly(
                new DnsChange(RecordType.AAAA, "retaken.lan", List.of(V6), List.of(P6), Reason.REVERT, null));
        assertThat(plan.aaaa().wanted()).isZero();
        assertThat(plan.conflicts()).extracting(DnsConflict::name).containsExactly("foreign.lan", "retaken.lan");
        // kept until the revert is made, so a crash in between loses nothing
        assertThat(plan.registry().ownsAaaa("retaken.lan")).isTrue();
    }

    @Test
    void removingTheIpv6VipGivesBackTheOwnedAaaaAnswersEvenWhileNotReadyAndLeavesTheAAnswers() {
        MigrationSpec spec = spec(false, null, group("g", "a.lan", "created.lan", "changed.lan"));
        OwnershipRegistry registry = OwnershipRegistry.empty().with("a.lan", List.of(P)).with("created.lan", List.of(P))
                .with("changed.lan", List.of(P)).withAaaa("a.lan", List.of(P6), V6).withAaaa("created.lan", List.of(), V6)
                .withAaaa("changed.lan", List.of(P6), V6);
        Map<String, List<String>> a = Map.of("a.lan", List.of(V), "created.lan", List.of(V), "changed.lan", List.of(V));

        DnsPlan plan = DnsPlanner.plan(spec, a, Map.of("a.lan", List.of(V6), "created.lan", List.of(V6),
                "changed.lan", List.of(X6)), registry, new MigrationProgress("g", T0), false, CLEAR, T0);

        assertThat(plan.changes()).containsExactly(
                new DnsChange(RecordType.AAAA, "a.lan", List.of(V6), List.of(P6), Reason.REVERT, null),
                new DnsChange(RecordType.AAAA, "created.lan", List.of(V6), List.of(), Reason.REVERT, null));
        assertThat(plan.aaaa()).isNull();
        assertThat(plan.toStatus().aaaa).isNull();
        assertThat(plan.registry().previousAaaaAnswers()).containsOnlyKeys("a.lan", "created.lan");
        assertThat(plan.registry().previousAnswers()).containsOnlyKeys("a.lan", "created.lan", "changed.lan");
    }

    @Test
    void aChangedIpv6VipFirstGivesBackTheAnswersOfTheEarlierOneThenMovesToTheNewOne() {
        String newVip = "fd00:1::200";
        MigrationSpec spec = spec(false, newVip, group("g", "a.lan", "b.lan"));
        OwnershipRegistry registry = OwnershipRegistry.empty().with("a.lan", List.of(P)).with("b.lan", List.of(P))
                .withAaaa("a.lan", List.of(P6), V6);
        Map<String, List<String>> a = Map.of("a.lan", List.of(V), "b.lan", List.of(V));

        DnsPlan giveBack = DnsPlanner.plan(spec, a, Map.of("a.lan", List.of(V6)), registry, new MigrationProgress("g", T0),
                true, CLEAR, T0);
        assertThat(giveBack.changes()).containsExactly(
                new DnsChange(RecordType.AAAA, "a.lan", List.of(V6), List.of(P6), Reason.REVERT, null));
        assertThat(giveBack.aaaa().conflicts()).isEmpty();
        assertThat(giveBack.waitingFor()).contains("earlier IPv6 VIP " + V6);

        DnsPlan move = DnsPlanner.plan(spec, a, Map.of("a.lan", List.of(P6)), registry.withoutAaaa("a.lan"),
                new MigrationProgress("g", T0), true, CLEAR, T0);
        assertThat(move.changes()).containsExactly(
                new DnsChange(RecordType.AAAA, "a.lan", List.of(P6), List.of(newVip), Reason.MIGRATE, "g"),
                new DnsChange(RecordType.AAAA, "b.lan", List.of(), List.of(newVip), Reason.MIGRATE, "g"));
        assertThat(move.registry().aaaaVip()).isEqualTo(newVip);
    }

    @Test
    void aNameLeavingTheSpecGetsBothItsAAndItsAaaaAnswersBack() {
        MigrationSpec spec = spec(false, V6, group("g", "a.lan"));
        OwnershipRegistry registry = OwnershipRegistry.empty().with("a.lan", List.of(P)).with("gone.lan", List.of(P))
                .withAaaa("a.lan", List.of(P6), V6).withAaaa("gone.lan", List.of(P6), V6);

        DnsPlan plan = DnsPlanner.plan(spec, Map.of("a.lan", List.of(V), "gone.lan", List.of(V)),
                Map.of("a.lan", List.of(V6), "gone.lan", List.of(V6)), registry, new MigrationProgress("g", T0), true,
                CLEAR, T0);

        assertThat(plan.changes()).containsExactly(
                new DnsChange("gone.lan", List.of(V), List.of(P), Reason.REVERT, null),
                new DnsChange(RecordType.AAAA, "gone.lan", List.of(V6), List.of(P6), Reason.REVERT, null));
        assertThat(plan.aaaa()).isEqualTo(new DnsPlan.AaaaProgress(V6, 1, 1, List.of()));
    }

    @Test
    void rollbackRestoresTheAaaaAnswersTheRegistryRecordsAndTouchesNothingElse() {
        OwnershipRegistry registry = OwnershipRegistry.empty().with("a.lan", List.of(P)).with("b.lan", List.of(P))
                .withAaaa("a.lan", List.of(P6), V6).withAaaa("b.lan", List.of(), V6).withAaaa("changed.lan", List.of(P6), V6);

        DnsPlan plan = DnsPlanner.rollback(registry, Map.of("a.lan", List.of(V), "b.lan", List.of(V)),
                Map.of("a.lan", List.of(V6), "b.lan", List.of(V6), "changed.lan", List.of(X6), "not-ours.lan", List.of(V6)), V);

        assertThat(plan.changes()).containsExactly(
                new DnsChange("a.lan", List.of(V), List.of(P), Reason.ROLLBACK, null),
                new DnsChange("b.lan", List.of(V), List.of(P), Reason.ROLLBACK, null),
                new DnsChange(RecordType.AAAA, "a.lan", List.of(V6), List.of(P6), Reason.ROLLBACK, null),
                new DnsChange(RecordType.AAAA, "b.lan", List.of(V6), List.of(), Reason.ROLLBACK, null));
        assertThat(plan.registry().previousAaaaAnswers()).containsOnlyKeys("a.lan", "b.lan");
    }

    @Test
    void theStatusShowsTheAaaaProgress() {
        MigrationSpec spec = spec(false, V6, group("g", "a.lan", "b.lan", "c.lan"));
        DnsPlan plan = DnsPlanner.plan(spec, Map.of("a.lan", List.of(V), "b.lan", List.of(V), "c.lan", List.of(V)),
                Map.of("a.lan", List.of(V6), "b.lan", List.of(X6)), OwnershipRegistry.empty(),
                new MigrationProgress("g", T0), false, CLEAR, T0);

        var status = plan.toStatus().aaaa;

        assertThat(status.vip).isEqualTo(V6);
        assertThat(status.wanted).isEqualTo(3);
        assertThat(status.inPlace).isEqualTo(1);
        assertThat(status.conflicting).containsExactly("b.lan");
        assertThat(plan.settled()).isFalse();
        assertThat(plan.changes()).as("AAAA answers move only while Ready, like A answers").isEmpty();
        assertThat(plan.waitingFor()).isEqualTo("the cluster to be Ready");
    }

    @Test
    void theIpv6AddressesOfTheSpecAreComparedInTheirCanonicalText() {
        MigrationSpec spec = new MigrationSpec(List.of(group("g", "a.lan")), SOAK, false, P, V)
                .withIpv6("FD00:1:0::100", List.of("fd00:0001::0110"));

        assertThat(spec.vip6Address()).isEqualTo(V6);
        assertThat(spec.primaryAddresses6()).containsExactly(P6);
    }

    @Test
    void theRegistryKeepsItsIpv4OnlyJsonAndReadsTheAaaaHalfBack() throws Exception {
        ObjectMapper json = new ObjectMapper();
        OwnershipRegistry ipv4 = OwnershipRegistry.empty().with("a.lan", List.of(P));
        assertThat(json.writeValueAsString(ipv4)).isEqualTo("{\"previousAnswers\":{\"a.lan\":[\"" + P + "\"]}}");
        assertThat(json.readValue("{\"previousAnswers\":{\"a.lan\":[\"" + P + "\"]}}", OwnershipRegistry.class))
                .isEqualTo(ipv4);

        OwnershipRegistry dual = ipv4.withAaaa("a.lan", List.of(), V6);
        assertThat(json.readValue(json.writeValueAsString(dual), OwnershipRegistry.class)).isEqualTo(dual);
        assertThat(dual.withoutAaaa("a.lan").aaaaVip()).isNull();
    }
}
