package io.traefikha.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** spec.drill: the schedule is Unix cron, checked by cron-utils; a bad one names the field. */
class DrillSpecValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"0 4 1 * *", "*/15 * * * *", "30 3 * * 0", "0 4 1-7 * 1"})
    void unixCronSchedulesAreValid(String schedule) {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        spec.drill = new DrillSpec();
        spec.drill.schedule = schedule;
        assertThat(SpecValidator.validate(spec)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"monthly", "0 4 1 *", "61 * * * *", "0 4 32 * *", "0 0 4 1 * ?"})
    void aScheduleThatIsNotUnixCronIsRefusedNamingTheField(String schedule) {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        spec.drill = new DrillSpec();
        spec.drill.schedule = schedule;
        assertThat(SpecValidator.validate(spec)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.drill.schedule");
            assertThat(v.message()).contains(schedule).contains("Unix cron");
        });
    }

    @Test
    void theNextSlotIsStrictlyAfterTheGivenTimeInUtc() {
        DrillSchedule monthly = DrillSchedule.parse("0 4 1 * *");
        assertThat(monthly.nextAfter(Instant.parse("2026-11-25T10:00:00Z"))).contains(Instant.parse("2026-12-01T04:00:00Z"));
        assertThat(monthly.nextAfter(Instant.parse("2026-12-01T04:00:00Z"))).contains(Instant.parse("2027-01-01T04:00:00Z"));
    }
}
