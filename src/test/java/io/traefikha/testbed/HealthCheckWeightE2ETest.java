package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SpecValidator;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.keepalived.ClusterSpecs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * KNOWN-DEFECTS item 1 with real keepalived: the runbook's weight -20 with priorities 200/100 never moves the VIP off a
 * primary whose Traefik is dead (200 - 20 per failing check stays above 100), which is why the validator refuses it;
 * the project's weight 0 (FAULT on a failed check) moves it.
 */
class HealthCheckWeightE2ETest extends HaPairE2ETest {

    /** Longer than the check needs to fail (interval 1 s x fall 2) plus the master-down interval (about 0.4 s). */
    private static final Duration OBSERVE = Duration.ofSeconds(6);


    @Test
    void theRunbooksWeightKeepsTheVipOnABrokenPrimaryAndWeightZeroMovesIt() {
        TraefikHAClusterSpec seedWeight = HaPair.spec(ClusterSpecs.homelab());
        seedWeight.vip.priorities.primary = 200;
        seedWeight.vip.priorities.secondary = 100;
        seedWeight.healthCheck.weight = -20;
        assertThat(SpecValidator.validate(seedWeight)).as("the operator refuses this spec").isNotEmpty();

        pair.deploy(seedWeight, null);
        assertThat(HaPair.await(Duration.ofSeconds(10), () -> pair.onlyHolder(pair.primary))).isTrue();
        pair.primary.killTraefik();
        boolean movedWithSeedWeight = HaPair.await(OBSERVE, () -> pair.secondary.holds(HaPair.VIP));
        assertThat(movedWithSeedWeight).as("weight -20: the VIP stays on the primary whose Traefik is dead").isFalse();
        assertThat(pair.primary.holds(HaPair.VIP)).isTrue();

        pair.primary.startTraefik();
        TraefikHAClusterSpec projectDefault = HaPair.spec(ClusterSpecs.homelab());
        assertThat(SpecValidator.validate(projectDefault)).isEmpty();
        pair.deploy(projectDefault, null);
        assertThat(HaPair.await(Duration.ofSeconds(10), () -> pair.onlyHolder(pair.primary))).isTrue();
        pair.primary.killTraefik();
        assertThat(HaPair.await(OBSERVE, () -> pair.onlyHolder(pair.secondary)))
                .as("weight 0: the same failure hands the VIP to the secondary").isTrue();
    }
}
