package io.traefikha.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SyncStatus;
import io.traefikha.domain.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyncOutcomeTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void driftIsReportedByConditionAndEventAndTheStatusListsAtMostTwenty() {
        List<String> files = IntStream.range(0, 25).mapToObj(i -> "/etc/traefik/dynamic/r" + i + ".yml").toList();
        SyncOutcome outcome = new SyncOutcome(SyncState.Drifted, "p", "p", files, files,
                new PushResult("the secondary 10.0.0.2", files, List.of(), List.of()), List.of(), "s", Duration.ZERO,
                new SyncMemory("p", null, NOW, "s"), List.of());

        SyncStatus status = outcome.toStatus();
        assertThat(status.state).isEqualTo("Drifted");
        assertThat(status.outOfSync).hasSize(20);
        assertThat(status.lastSync).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(outcome.configInSync()).isEqualTo(new SyncOutcome.Condition(false, "Drifted", outcome.driftEvent().orElseThrow()));
        assertThat(outcome.driftEvent().orElseThrow()).contains("25 file(s)", "restored", "/etc/traefik/dynamic/r0.yml", "and 5 more");
        assertThat(SyncMemory.from(status)).isEqualTo(outcome.memory());
    }

    @Test
    void lackOfSpaceAndRefusalsAreNeverInSyncAndNameTheNodeThePathAndTheSpace() {
        PushResult.NotCopied big = new PushResult.NotCopied("/etc/traefik/big.bin",
                new SyncWrite(SyncWrite.Outcome.NO_SPACE, "", 1L << 30, 10L << 20));
        SyncOutcome full = outcome(SyncState.Blocked, new PushResult("the secondary 10.0.0.2",
                List.of("/etc/traefik/small.yml"), List.of(), List.of(big)), List.of());
        SyncOutcome refused = outcome(SyncState.Blocked, null,
                List.of("the primary 10.0.0.1: /etc/traefik: the synced root is a symlink (to /srv/t)"));

        assertThat(full.configInSync()).isEqualTo(new SyncOutcome.Condition(false, "InsufficientSpace",
                "the secondary 10.0.0.2 has too little space: /etc/traefik/big.bin needs 1.0 GiB, 10.0 MiB free;"
                        + " everything else was copied"));
        assertThat(refused.configInSync().status()).isFalse();
        assertThat(refused.configInSync().reason()).isEqualTo("Refused");
        assertThat(refused.configInSync().message()).contains("the primary 10.0.0.1", "/etc/traefik", "symlink");
        assertThat(full.toStatus().state).isEqualTo("Blocked");
    }

    private static SyncOutcome outcome(SyncState state, PushResult push, List<String> refused) {
        return new SyncOutcome(state, "p", "s", List.of("/etc/traefik/big.bin"), List.of(), push, List.of(), "s",
                Duration.ofSeconds(5), new SyncMemory("p", NOW, null, "s"), refused);
    }

    @Test
    void syncingAndOffAreNoAlarm() {
        assertThat(SyncOutcome.off().configInSync().status()).isTrue();
        assertThat(SyncOutcome.off().toStatus().state).isEqualTo("Off");
        assertThat(SyncOutcome.off().driftEvent()).isEmpty();
    }

    private static final Role THIRD = Role.of(2);
    private static final Instant EARLIER = NOW.minusSeconds(30);

    private static SyncOutcome inSync() {
        return new SyncOutcome(SyncState.InSync, "p", "p", List.of(), List.of(), null, List.of(), "s", Duration.ZERO,
                new SyncMemory("p", null, NOW, "s"), List.of());
    }

    private static SyncOutcome behind(SyncState state, Instant since, List<String> drifted, PushResult push) {
        return new SyncOutcome(state, "p", "old", List.of("/etc/traefik/dynamic/r.yml"), drifted, push, List.of(), "s",
                Duration.between(since, NOW), new SyncMemory("p", since, EARLIER, "s"), List.of());
    }

    @Test
    void threeReplicasAreInSyncOnlyWhenBothSecondariesAre() {
        SyncOutcome both = SyncOutcome.combine(Map.of(Role.SECONDARY, inSync(), THIRD, inSync()), SyncMemory.EMPTY);

        assertThat(both.state()).isEqualTo(SyncState.InSync);
        assertThat(both.configInSync()).isEqualTo(new SyncOutcome.Condition(true, "InSync",
                "the files of every secondary (secondary, secondary-2) equal the primary's"));
        assertThat(both.toStatus().behind).isNull();
        assertThat(both.memory().lastSync()).isEqualTo(NOW);

        SyncMemory before = new SyncMemory("p", null, EARLIER, "s");
        SyncOutcome oneSyncing = SyncOutcome.combine(Map.of(Role.SECONDARY, inSync(),
                THIRD, behind(SyncState.Syncing, NOW, List.of(), null)), before);
        assertThat(oneSyncing.state()).isEqualTo(SyncState.Syncing);
        assertThat(oneSyncing.configInSync().message()).isEqualTo("copying to the secondary-2: /etc/traefik/dynamic/r.yml");
        assertThat(oneSyncing.secondaryHash()).as("the one that lags").isEqualTo("old");
        assertThat(oneSyncing.memory().lastSync()).as("not all equal: the last time they were").isEqualTo(EARLIER);
        assertThat(oneSyncing.toStatus().behind).containsExactly(Map.entry("secondary-2", NOW.toString()));
    }

    @Test
    void ofThreeReplicasTheSecondaryThatDriftedIsNamedAndEachKeepsItsOwnEpisode() {
        SyncOutcome drifted = behind(SyncState.Drifted, EARLIER, List.of("/etc/traefik/dynamic/r.yml"),
                new PushResult("the secondary 10.0.0.3", List.of("/etc/traefik/dynamic/r.yml"), List.of(), List.of()));
        SyncOutcome syncing = behind(SyncState.Syncing, NOW, List.of(), null);

        SyncOutcome outcome = SyncOutcome.combine(Map.of(Role.SECONDARY, syncing, THIRD, drifted), SyncMemory.EMPTY);

        assertThat(outcome.state()).as("the worst").isEqualTo(SyncState.Drifted);
        assertThat(outcome.configInSync().status()).isFalse();
        assertThat(outcome.configInSync().reason()).isEqualTo("Drifted");
        assertThat(outcome.configInSync().message()).startsWith("the secondary-2: 1 file(s) on the secondary differed");
        assertThat(outcome.driftEvent()).hasValueSatisfying(m -> assertThat(m).startsWith("the secondary-2: "));
        assertThat(outcome.lag()).isEqualTo(Duration.ofSeconds(30));
        assertThat(outcome.staticConfigChanged()).isEmpty();

        SyncMemory next = SyncMemory.from(outcome.toStatus());
        assertThat(next.of(Role.SECONDARY).differentSince()).as("its own start, not the other's").isEqualTo(NOW);
        assertThat(next.of(THIRD).differentSince()).isEqualTo(EARLIER);
        assertThat(next.differentSince()).isEqualTo(EARLIER);
    }

    @Test
    void aPairReportsAsBefore() {
        SyncOutcome one = inSync();
        assertThat(SyncOutcome.combine(Map.of(Role.SECONDARY, one), SyncMemory.EMPTY)).isSameAs(one);
        assertThat(new SyncMemory("p", EARLIER, NOW, "s").of(Role.SECONDARY).differentSince()).isEqualTo(EARLIER);
    }

    @Test
    void aSecondaryThatDidNotAnswerIsNamedNeverCountedInSyncAndKeepsItsEpisode() {
        SyncMemory before = new SyncMemory("p", EARLIER, EARLIER, "s", Map.of(THIRD, EARLIER));

        SyncOutcome outcome = SyncOutcome.combine(Map.of(Role.SECONDARY, inSync(),
                THIRD, SyncOutcome.unreachable(before.of(THIRD))), before);

        assertThat(outcome.state()).isEqualTo(SyncState.Unreachable);
        assertThat(outcome.configInSync()).isEqualTo(new SyncOutcome.Condition(false, "Unreachable",
                "the secondary-2: not reachable, so its files were not compared"));
        assertThat(outcome.primaryHash()).as("from the secondary whose trees were compared").isEqualTo("p");
        assertThat(outcome.memory().lastSync()).as("not all compared: the last time all were equal").isEqualTo(EARLIER);
        assertThat(outcome.toStatus().behind).as("behind since before it stopped answering")
                .containsExactly(Map.entry("secondary-2", EARLIER.toString()));
        assertThat(outcome.staticConfigChanged()).isEmpty();
        assertThat(outcome.driftEvent()).isEmpty();
    }

    @Test
    void aPairWhoseSecondaryDidNotAnswerSaysSoInsteadOfKeepingAnOldInSync() {
        SyncOutcome outcome = SyncOutcome.combine(Map.of(Role.SECONDARY, SyncOutcome.unreachable(
                new SyncMemory("p", null, EARLIER, "s").of(Role.SECONDARY))), new SyncMemory("p", null, EARLIER, "s"));

        assertThat(outcome.toStatus().state).isEqualTo("Unreachable");
        assertThat(outcome.configInSync()).isEqualTo(new SyncOutcome.Condition(false, "Unreachable",
                "the secondary: not reachable, so its files were not compared"));
        assertThat(outcome.memory().lastSync()).isEqualTo(EARLIER);
    }
}
