package io.traefikha.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SyncStatus;
import io.traefikha.node.ConfigPush;
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
                new ConfigPush.Result(files, List.of(), List.of()), List.of(), "s", Duration.ZERO,
                new SyncMemory("p", null, NOW, "s"));

        SyncStatus status = outcome.toStatus();
        assertThat(status.state).isEqualTo("Drifted");
        assertThat(status.outOfSync).hasSize(20);
        assertThat(status.lastSync).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(outcome.configInSync()).isEqualTo(new SyncOutcome.Condition(false, "Drifted", outcome.driftEvent().orElseThrow()));
        assertThat(outcome.driftEvent().orElseThrow()).contains("25 file(s)", "restored", "/etc/traefik/dynamic/r0.yml", "and 5 more");
        assertThat(SyncMemory.from(status)).isEqualTo(outcome.memory());
    }

    @Test
    void syncingAndOffAreNoAlarm() {
        assertThat(SyncOutcome.off().configInSync().status()).isTrue();
        assertThat(SyncOutcome.off().toStatus().state).isEqualTo("Off");
        assertThat(SyncOutcome.off().driftEvent()).isEmpty();
    }
}
