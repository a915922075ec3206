package io.traefikha.sync;

import static io.traefikha.sync.TreeDiffTest.A;
import static io.traefikha.sync.TreeDiffTest.B;
import static io.traefikha.sync.TreeDiffTest.file;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriftAssessmentTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final Duration DELAY = Duration.ofSeconds(2);
    static final AcmeStorage ACME = new AcmeStorage(Set.of("/etc/traefik/certs/le.json"));
    static final String ROUTE = "/etc/traefik/dynamic/r.yml";

    static final FileTree PRIMARY = FileTree.of(List.of(file(ROUTE, A)));
    static final FileTree SECONDARY_BEHIND = FileTree.of(List.of(file(ROUTE, B)));

    static SyncMemory seen(String primaryHash, Instant differentSince) {
        return new SyncMemory(primaryHash, differentSince, null, null);
    }

    static DriftAssessment assess(SyncMode mode, FileTree secondary, SyncMemory memory) {
        return DriftAssessment.assess(mode, DELAY, PRIMARY, secondary, memory, ACME, NOW);
    }

    @Test
    void equalTreesAreInSync() {
        DriftAssessment a = assess(SyncMode.Lsyncd, PRIMARY, SyncMemory.EMPTY);
        assertThat(a.state()).isEqualTo(SyncState.InSync);
        assertThat(a.push()).isFalse();
        assertThat(a.lag(NOW)).isZero();
    }

    @Test
    void lsyncdGetsItsDelayForAChangeOnThePrimary() {
        DriftAssessment a = assess(SyncMode.Lsyncd, SECONDARY_BEHIND, seen("older primary", null));
        assertThat(a.state()).isEqualTo(SyncState.Syncing);
        assertThat(a.push()).isFalse();
        assertThat(a.differentSince()).isEqualTo(NOW);
    }

    @Test
    void aDifferenceOutlivingDelayPlusTransferIsDriftAndHealed() {
        Instant since = NOW.minus(DELAY).minus(DriftAssessment.TRANSFER_ALLOWANCE).minusMillis(1);
        DriftAssessment a = assess(SyncMode.Lsyncd, SECONDARY_BEHIND, seen("primary changed again", since));
        assertThat(a.state()).isEqualTo(SyncState.Drifted);
        assertThat(a.drifted()).containsExactly(ROUTE);
        assertThat(a.push()).isTrue();
        assertThat(a.lag(NOW)).isGreaterThan(DELAY);
    }

    @Test
    void aDifferenceWhileThePrimaryStoodStillWasMadeOnTheSecondary() {
        for (SyncMode mode : List.of(SyncMode.Lsyncd, SyncMode.Push)) {
            DriftAssessment a = assess(mode, SECONDARY_BEHIND, seen(PRIMARY.aggregateHash(), null));
            assertThat(a.state()).as(mode.name()).isEqualTo(SyncState.Drifted);
            assertThat(a.push()).isTrue();
        }
    }

    @Test
    void pushModeCopiesAChangeOnThePrimaryAtOnceWithoutAlarm() {
        DriftAssessment a = assess(SyncMode.Push, SECONDARY_BEHIND, SyncMemory.EMPTY);
        assertThat(a.state()).isEqualTo(SyncState.Syncing);
        assertThat(a.drifted()).isEmpty();
        assertThat(a.push()).isTrue();
    }

    @Test
    void theSecondarysOwnAcmeWritesAreOverwrittenNotAlarmed() {
        FileTree primary = FileTree.of(List.of(file("/etc/traefik/acme.json", A), file("/etc/traefik/certs/le.json", A)));
        FileTree secondary = FileTree.of(List.of(file("/etc/traefik/acme.json", B), file("/etc/traefik/certs/le.json", B)));

        DriftAssessment a = DriftAssessment.assess(SyncMode.Lsyncd, DELAY, primary, secondary,
                seen(primary.aggregateHash(), NOW.minusSeconds(600)), ACME, NOW);

        assertThat(a.state()).isEqualTo(SyncState.Syncing);
        assertThat(a.drifted()).isEmpty();
        assertThat(a.push()).isTrue();
    }
}
