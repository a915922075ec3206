package io.traefikha.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.keepalived.ClusterSpecs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The refusals that keep rendered keepalived configurations meaningful. */
class SpecValidatorKeepalivedTest {

    @Test
    void theProjectDefaultsAreValid() {
        assertThat(SpecValidator.validate(ClusterSpecs.homelab())).isEmpty();
    }

    @Test
    void refusesTheSeedWeightThatNeverMovesTheVip() {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        spec.vip.priorities.primary = 200;
        spec.vip.priorities.secondary = 100;
        spec.healthCheck.weight = -20;
        assertThat(fields(spec)).containsExactly("spec.healthCheck.weight");
    }

    @Test
    void refusesAPositiveWeightThatMakesBothHealthyNodesTieAtTheCap() {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        spec.healthCheck.weight = 15; // 240 + 15 is capped at 254, as is 250 + 15
        assertThat(fields(spec)).containsExactly("spec.healthCheck.weight");
        spec.healthCheck.weight = 12;
        assertThat(fields(spec)).isEmpty();
    }

    @Test
    void refusesCheckTimingKeepalivedCannotExpress() {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        spec.healthCheck.interval = "500ms";
        spec.healthCheck.timeout = "1.5s";
        spec.vip.preemptDelay = "20m";
        assertThat(fields(spec)).containsExactlyInAnyOrder("spec.healthCheck.interval", "spec.healthCheck.timeout",
                "spec.vip.preemptDelay");
    }

    private static List<String> fields(TraefikHAClusterSpec spec) {
        return SpecValidator.validate(spec).stream().map(Violation::field).toList();
    }
}
