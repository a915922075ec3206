package io.traefikha.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"100ms,100", "1s,1000", "2.5s,2500", "0.01s,10", "5m,300000", "1h,3600000", "24h,86400000"})
    void parses(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "s", "1.s", "-1s", "1 s", "1sec", "1s2"})
    void refusesWhatIsNotADuration(String text) {
        assertThat(Durations.isValid(text)).isFalse();
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("'" + text + "'");
    }
}
