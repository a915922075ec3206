package io.traefikha.dns;

import static io.traefikha.dns.ServedEvidence.CLEAR;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.dns.DnsChange.Reason;
import io.traefikha.dns.DnsPlan.DnsConflict;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ownership and migration rules, table by table, without any server. */
class DnsPlannerTest {

    static final String P = "192.168.1.110";
    static final String V = "192.168.1.100";
    static final String X = "192.168.1.50";
    static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
    static final Duration SOAK = Duration.ofHours(24);

    static MigrationSpec spec(boolean takeOver, MigrationSpec.Group... groups) {
        return new MigrationSpec(List.of(groups), SOAK, takeOver, P, V);
    }

    static MigrationSpec.Group group(String name, String... names) {
        return new MigrationSpec.Group(name, List.of(names));
    }

    static Stream<Arguments> ownership() {
        return Stream.of(
                // current answers, owned before, takeOverConflicts -> change reason (null: none), conflict, in place
                Arguments.of(List.of(P), false, false, Reason.MIGRATE, false, false),
                Arguments.of(List.of(), false, false, Reason.MIGRATE, false, false),
                Arguments.of(List.of(P, V), false, false, Reason.MIGRATE, false, false),
                Arguments.of(List.of(V), false, false, null, false, true),
                Arguments.of(List.of(V), true, false, null, false, true),
                Arguments.of(List.of(X), false, false, null, true, false),
                Arguments.of(List.of(P, X), false, false, null, true, false),
                Arguments.of(List.of("other.example.org"), false, false, null, true, false),
                Arguments.of(List.of(X), true, false, null, true, false),
                Arguments.of(List.of(X), false, true, Reason.TAKE_OVER, false, false),
                Arguments.of(List.of(P), true, false, Reason.MIGRATE, false, false));
    }

    @ParameterizedTest(name = "{0} owned={1} takeOver={2} -> {3}")
    @MethodSource("ownership")
    void aRecordIsChangedOnlyWhenMissingAtThePrimaryOrAtTheVip(List<String> current, boolean owned, boolean takeOver,
            Reason expectedChange, boolean conflict, boolean inPlace) {
        String name = "grafana.lan";
        OwnershipRegistry registry = owned ? OwnershipRegistry.empty().with(name, List.of(P)) : OwnershipRegistry.empty();

        DnsPlan plan = DnsPlanner.plan(spec(takeOver, group("g", name)), Map.of(name, current), Map.of(), registry,
                MigrationProgress.NONE, true, CLEAR, T0);

        assertThat(plan.changes()).extracting(DnsChange::reason)
                .containsExactlyElementsOf(expectedChange == null ? List.of() : List.of(expectedChange));
        plan.changes().forEach(c -> assertThat(c.from()).isEqualTo(current));
        plan.changes().forEach(c -> assertThat(c.to()).containsExactly(V));
        assertThat(plan.conflicts()).isEqualTo(conflict ? List.of(new DnsConflict(name, current)) : List.of());
        assertThat(plan.inPlace()).isEqualTo(inPlace ? 1 : 0);
        // Whoever changes a record owns it; the first previous answer is the one kept.
        if (expectedChange != null) {
            assertThat(plan.registry().previous(name)).isEqualTo(owned ? List.of(P) : current);
        }
        // A moved record someone pointed elsewhere is no longer ours.
        if (owned && conflict) {
            assertThat(plan.released()).containsExactly(name);
            assertThat(plan.registry().owns(name)).isFalse();
        }
    }

    @Test
    void groupsMoveInOrderOnlyWhileReadyAndAfterTheSoakTime() {
        MigrationSpec spec = spec(false, group("day-1", "a.lan"), group("day-2", "b.lan", "c.lan"), group("day-3", "d.lan"));
        Map<String, List<String>> dns = new HashMap<>(Map.of("a.lan", List.of(P), "b.lan", List.of(P), "c.lan", List.of(P),
                "d.lan", List.of(P)));

        DnsPlan notReady = DnsPlanner.plan(spec, dns, Map.of(), OwnershipRegistry.empty(), MigrationProgress.NONE, false,
                CLEAR, T0);
        assertThat(notReady.changes()).isEmpty();
        assertThat(notReady.waitingFor()).isEqualTo("the cluster to be Ready");
        assertThat(notReady.nextGroup()).isEqualTo("day-1");

        DnsPlan first = DnsPlanner.plan(spec, dns, Map.of(), OwnershipRegistry.empty(), MigrationProgress.NONE, true,
                CLEAR, T0);
        assertThat(first.changes()).extracting(DnsChange::name).containsExactly("a.lan");
        assertThat(first.progress()).isEqualTo(MigrationProgress.NONE);
        dns.put("a.lan", List.of(V));

        // The group is observed in place: it is live from now, and day-2 waits for its soak.
        Instant t1 = T0.plusSeconds(30);
        DnsPlan live = DnsPlanner.plan(spec, dns, Map.of(), first.registry(), first.progress(), true, CLEAR, t1);
        assertThat(live.progress()).isEqualTo(new MigrationProgress("day-1", t1));
        assertThat(live.changes()).isEmpty();
        assertThat(live.nextGroup()).isEqualTo("day-2");
        assertThat(live.nextGroupNotBefore()).isEqualTo(t1.plus(SOAK));
        assertThat(live.waitingFor()).startsWith("group day-1 to soak until");

        DnsPlan stillSoaking = DnsPlanner.plan(spec, dns, Map.of(), live.registry(), live.progress(), true, CLEAR,
                t1.plus(SOAK).minusSeconds(1));
        assertThat(stillSoaking.changes()).isEmpty();
        assertThat(stillSoaking.progress()).isEqualTo(live.progress());

        DnsPlan soakedButNotReady = DnsPlanner.plan(spec, dns, Map.of(), live.registry(), live.progress(), false, CLEAR,
                t1.plus(SOAK));
        assertThat(soakedButNotReady.changes()).isEmpty();

        DnsPlan second = DnsPlanner.plan(spec, dns, Map.of(), live.registry(), live.progress(), true, CLEAR, t1.plus(SOAK));
        assertThat(second.changes()).extracting(DnsChange::name).containsExactly("b.lan", "c.lan");
        assertThat(second.changes()).extracting(DnsChange::group).containsOnly("day-2");
        assertThat(second.registry().previousAnswers()).containsOnlyKeys("a.lan", "b.lan", "c.lan");
        assertThat(second.wanted()).isEqualTo(4);
        assertThat(second.inPlace()).isEqualTo(1);
    }

    @Test
    void theSoakCountsOnlyWhileTheMovedNamesAnswerThroughTheVip() {
        MigrationSpec spec = spec(false, group("day-1", "a.lan", "b.lan"), group("day-2", "c.lan"));
        Map<String, List<String>> dns = Map.of("a.lan", List.of(V), "b.lan", List.of(V), "c.lan", List.of(P));
        MigrationProgress live = new MigrationProgress("day-1", T0);
        Instant soaked = T0.plus(SOAK);

        DnsPlan unchecked = DnsPlanner.plan(spec, dns, Map.of(), OwnershipRegistry.empty(), live, true,
                new ServedEvidence(List.of(), List.of("b.lan")), soaked);
        assertThat(unchecked.changes()).as("soaked, but b.lan was not checked since it moved").isEmpty();
        assertThat(unchecked.waitingFor()).isEqualTo("b.lan to be checked through the VIP");
        assertThat(unchecked.progress()).as("not seen failing: the soak is not started again").isEqualTo(live);
        assertThat(unchecked.soakHeldBy()).isEmpty();

        Instant failing = soaked.plusSeconds(15);
        DnsPlan reset = DnsPlanner.plan(spec, dns, Map.of(), OwnershipRegistry.empty(), live, true,
                new ServedEvidence(List.of("a.lan", "c.lan"), List.of()), failing);
        assertThat(reset.changes()).as("a moved name does not answer: day-2 waits").isEmpty();
        assertThat(reset.soakHeldBy()).as("c.lan has not moved: its check says nothing of the soak").containsExactly("a.lan");
        assertThat(reset.progress()).as("the soak starts again").isEqualTo(new MigrationProgress("day-1", failing));
        assertThat(reset.nextGroupNotBefore()).isEqualTo(failing.plus(SOAK));
        assertThat(reset.waitingFor()).isEqualTo("a.lan to answer through the VIP (the soak of group day-1 starts again"
                + " until they do)");
        assertThat(reset.toStatus().soakHeldBy).containsExactly("a.lan");

        Instant stillFailing = failing.plusSeconds(15);
        assertThat(DnsPlanner.plan(spec, dns, Map.of(), OwnershipRegistry.empty(), reset.progress(), true,
                new ServedEvidence(List.of("a.lan"), List.of()), stillFailing).progress().liveSince())
                .as("every round it does not answer").isEqualTo(stillFailing);

        DnsPlan answering = DnsPlanner.plan(spec, dns, Map.of(), OwnershipRegistry.empty(), reset.progress(), true,
                CLEAR, failing.plus(SOAK).minusSeconds(1));
        assertThat(answering.progress()).as("answering again: the soak counts from the last failure")
                .isEqualTo(reset.progress());
        assertThat(answering.toStatus().soakHeldBy).isNull();
        assertThat(answering.changes()).isEmpty();
        assertThat(DnsPlanner.plan(spec, dns, Map.of(), OwnershipRegistry.empty(), reset.progress(), true, CLEAR,
                failing.plus(SOAK)).changes()).extracting(DnsChange::name).containsExactly("c.lan");
    }

    @Test
    void aDriftedRecordOfALiveGroupIsRepairedBeforeTheNextGroupMovesAndTheLiveGroupStays() {
        MigrationSpec spec = spec(false, group("day-1", "a.lan", "b.lan"), group("day-2", "c.lan"));
        MigrationProgress progress = new MigrationProgress("day-1", T0);
        OwnershipRegistry registry = OwnershipRegistry.empty().with("a.lan", List.of(P)).with("b.lan", List.of(P));

        DnsPlan plan = DnsPlanner.plan(spec, Map.of("a.lan", List.of(V), "b.lan", List.of(P), "c.lan", List.of(P)), Map.of(), registry,
                progress, true, CLEAR, T0.plus(SOAK).plus(SOAK));

        assertThat(plan.changes()).extracting(DnsChange::name).containsExactly("b.lan");
        assertThat(plan.progress()).isEqualTo(progress);
        assertThat(plan.registry()).isEqualTo(registry);
    }

    @Test
    void conflictsAreLeftAloneAndDoNotBlockTheNextGroup() {
        MigrationSpec spec = spec(false, group("day-1", "a.lan", "foreign.lan"), group("day-2", "c.lan"));
        Map<String, List<String>> dns = Map.of("a.lan", List.of(V), "foreign.lan", List.of(X), "c.lan", List.of(P));

        DnsPlan plan = DnsPlanner.plan(spec, dns, Map.of(), OwnershipRegistry.empty().with("a.lan", List.of(P)),
                new MigrationProgress("day-1", T0), true, CLEAR, T0.plus(SOAK));

        assertThat(plan.conflicts()).containsExactly(new DnsConflict("foreign.lan", List.of(X)));
        assertThat(plan.changes()).extracting(DnsChange::name).containsExactly("c.lan");
        assertThat(plan.registry().owns("foreign.lan")).isFalse();
    }

    @Test
    void aRecordRemovedFromTheSpecGetsItsPreviousAnswerBackEvenWhileNotReady() {
        MigrationSpec spec = spec(false, group("all", "a.lan"));
        OwnershipRegistry registry = OwnershipRegistry.empty().with("a.lan", List.of(P)).with("gone.lan", List.of(P))
                .with("created.lan", List.of()).with("retaken.lan", List.of(P));
        Map<String, List<String>> dns = Map.of("a.lan", List.of(V), "gone.lan", List.of(V), "created.lan", List.of(V),
                "retaken.lan", List.of(X));

        DnsPlan plan = DnsPlanner.plan(spec, dns, Map.of(), registry, new MigrationProgress("all", T0), false, CLEAR, T0);

        assertThat(plan.changes()).containsExactly(
                new DnsChange("created.lan", List.of(V), List.of(), Reason.REVERT, null),
                new DnsChange("gone.lan", List.of(V), List.of(P), Reason.REVERT, null));
        assertThat(plan.released()).containsExactly("retaken.lan");
        assertThat(plan.registry().previousAnswers()).containsOnlyKeys("a.lan", "created.lan", "gone.lan");
    }

    @Test
    void rollbackRestoresExactlyTheRegistryAndTouchesNothingElse() {
        OwnershipRegistry registry = OwnershipRegistry.empty().with("a.lan", List.of(P)).with("taken.lan", List.of(X))
                .with("created.lan", List.of()).with("changed-since.lan", List.of(P)).with("already-back.lan", List.of(P));
        Map<String, List<String>> dns = Map.of("a.lan", List.of(V), "taken.lan", List.of(V), "created.lan", List.of(V),
                "changed-since.lan", List.of("192.168.1.77"), "already-back.lan", List.of(P), "not-ours.lan", List.of(V));

        DnsPlan plan = DnsPlanner.rollback(registry, dns, Map.of(), V);

        assertThat(plan.changes()).containsExactly(
                new DnsChange("a.lan", List.of(V), List.of(P), Reason.ROLLBACK, null),
                new DnsChange("created.lan", List.of(V), List.of(), Reason.ROLLBACK, null),
                new DnsChange("taken.lan", List.of(V), List.of(X), Reason.ROLLBACK, null));
        assertThat(plan.released()).containsExactly("already-back.lan", "changed-since.lan");
        assertThat(plan.registry().previousAnswers()).containsOnlyKeys("a.lan", "created.lan", "taken.lan");
    }

    @Test
    void thePlanIsTheStatusAndTheStatusGivesTheProgressBack() {
        MigrationSpec spec = spec(false, group("day-1", "a.lan", "nas.lan"), group("day-2", "b.lan"));
        DnsPlan plan = DnsPlanner.plan(spec, Map.of("a.lan", List.of(V), "nas.lan", List.of(X), "b.lan", List.of(P)), Map.of(),
                OwnershipRegistry.empty(), new MigrationProgress("day-1", T0), true, CLEAR, T0.plusSeconds(60));

        var status = plan.toStatus();

        assertThat(status.wanted).isEqualTo(3);
        assertThat(status.inPlace).isEqualTo(1);
        assertThat(status.conflicting).containsExactly("nas.lan");
        assertThat(status.livePhase).isEqualTo("day-1");
        assertThat(status.livePhaseSince).isEqualTo("2025-06-01T08:00:00Z");
        assertThat(status.nextPhase).isEqualTo("day-2");
        assertThat(status.nextPhaseNotBefore).isEqualTo("2025-06-02T08:00:00Z");
        assertThat(MigrationProgress.fromStatus(status)).isEqualTo(plan.progress());
        assertThat(MigrationProgress.fromStatus(null)).isEqualTo(MigrationProgress.NONE);
    }

    @Test
    void theSpecBecomesQualifiedGroupsWithUnphasedRecordsLast() {
        DnsSpec dns = new DnsSpec();
        dns.domain = "internal.example.org";
        dns.records = List.of("traefik", "grafana", "wiki", "nas.other.org");
        dns.phases = List.of(phase("canary", "traefik"), phase("second", "grafana", "traefik", "not-a-record"));
        dns.soakTime = "90m";

        MigrationSpec spec = MigrationSpec.of(dns, P, V);

        assertThat(spec.groups()).containsExactly(group("canary", "traefik.internal.example.org"),
                group("second", "grafana.internal.example.org"),
                group(MigrationSpec.UNPHASED_GROUP, "wiki.internal.example.org", "nas.other.org"));
        assertThat(spec.soakTime()).isEqualTo(Duration.ofMinutes(90));

        dns.phases = List.of();
        assertThat(MigrationSpec.of(dns, P, V).groups()).extracting(MigrationSpec.Group::name)
                .containsExactly(MigrationSpec.SINGLE_GROUP);
    }

    @Test
    void discoveredNamesTheRecordsDoNotListMoveLastAndListedOnesKeepTheirPlace() {
        DnsSpec dns = new DnsSpec();
        dns.domain = "internal.example.org";
        dns.records = List.of("traefik", "grafana");
        dns.phases = List.of(phase("canary", "traefik"));

        MigrationSpec spec = MigrationSpec.of(dns, List.of("wiki.internal.example.org", "traefik.internal.example.org",
                "adguard.internal.example.org", "wiki.internal.example.org"), P, V);

        assertThat(spec.groups()).containsExactly(group("canary", "traefik.internal.example.org"),
                group(MigrationSpec.UNPHASED_GROUP, "grafana.internal.example.org"),
                group(MigrationSpec.DISCOVERED_GROUP, "adguard.internal.example.org", "wiki.internal.example.org"));
        assertThat(spec.discovered()).containsExactly("adguard.internal.example.org", "wiki.internal.example.org");
        assertThat(MigrationSpec.of(dns, List.of("traefik.internal.example.org"), P, V).discovered())
                .as("nothing found beyond the records: no group").isEmpty();
    }

    static DnsSpec.DnsPhaseSpec phase(String name, String... records) {
        DnsSpec.DnsPhaseSpec phase = new DnsSpec.DnsPhaseSpec();
        phase.name = name;
        phase.records = List.of(records);
        return phase;
    }
}
