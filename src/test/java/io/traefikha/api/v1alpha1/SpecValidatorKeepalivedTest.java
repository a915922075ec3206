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
        spec.healthCheck.weight = -20;
        assertThat(fields(spec)).containsExactly("spec.healthCheck.weight");
    }

    @Test
    void refusesAPositiveWeightThatMakesBothHealthyNodesTieAtTheCap() {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        spec.healthCheck.weight = 160;
        assertThat(fields(spec)).containsExactly("spec.healthCheck.weight");
        spec.healthCheck.weight = 120;
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
