package io.traefikha.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationProgressTest {

    private static final List<String> ORDER = List.of("pilot", "apps", "monitoring");
    private static final Instant T1 = Instant.parse("2026-11-25T08:00:00Z");
    private static final Instant T2 = T1.plusSeconds(60);

    @Test
    void theLeastAdvancedServerSetsTheProgress() {
        MigrationProgress apps = new MigrationProgress("apps", T1);
        MigrationProgress pilot = new MigrationProgress("pilot", T2);

        assertThat(MigrationProgress.leastAdvanced(ORDER, List.of(apps, pilot))).isEqualTo(pilot);
        assertThat(MigrationProgress.leastAdvanced(ORDER, List.of(pilot, MigrationProgress.NONE)))
                .isEqualTo(MigrationProgress.NONE);
    }

    @Test
    void onTheSameGroupTheSoakCountsFromTheLatestStart() {
        assertThat(MigrationProgress.leastAdvanced(ORDER, List.of(new MigrationProgress("apps", T1),
                new MigrationProgress("apps", T2)))).isEqualTo(new MigrationProgress("apps", T2));
        assertThat(MigrationProgress.leastAdvanced(ORDER, List.of())).isEqualTo(MigrationProgress.NONE);
    }
}
