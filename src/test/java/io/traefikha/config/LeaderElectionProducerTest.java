package io.traefikha.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

class LeaderElectionProducerTest {

    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration RENEW = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final LeaderElectionProducer producer = new LeaderElectionProducer();

    @Test
    void offProducesNoConfigurationSoTheOperatorRunsWithoutElection() {
        assertThat(producer.leaderElectionConfiguration(false, "lease", Optional.of("ns"), LEASE, RENEW, RETRY)).isNull();
    }

    @Test
    void onProducesTheLeaseInTheGivenNamespaceWithItsTiming() {
        LeaderElectionConfiguration config = producer.leaderElectionConfiguration(true, "lease", Optional.of("ops"),
                Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofSeconds(1));
        assertThat(config.getLeaseName()).isEqualTo("lease");
        assertThat(config.getLeaseNamespace()).contains("ops");
        assertThat(config.getLeaseDuration()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.getRenewDeadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.getRetryPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.isExitOnStopLeading()).as("a leader that lost its lease never reconciles beside the next").isTrue();
    }

    @Test
    void withoutANamespaceTheClientsOwnIsUsed() {
        assertThat(producer.leaderElectionConfiguration(true, "lease", Optional.empty(), LEASE, RENEW, RETRY)
                .getLeaseNamespace()).isEmpty();
        assertThat(producer.leaderElectionConfiguration(true, "lease", Optional.of(" "), LEASE, RENEW, RETRY)
                .getLeaseNamespace()).isEmpty();
    }

    @Test
    void timingOutOfOrderIsRefusedNamingTheProperties() {
        assertThatThrownBy(() -> producer.leaderElectionConfiguration(true, "lease", Optional.empty(), RENEW, LEASE, RETRY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease-duration")
                .hasMessageContaining("renew-deadline");
        assertThatThrownBy(() -> producer.leaderElectionConfiguration(true, "lease", Optional.empty(), LEASE, RETRY, RETRY))
                .hasMessageContaining("retry-period");
    }
}
