package io.traefikha.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SyncStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
}
