package io.traefikha.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

class LeaderElectionProducerTest {

    private final LeaderElectionProducer producer = new LeaderElectionProducer();

    @Test
    void offProducesNoConfigurationSoTheOperatorRunsWithoutElection() {
        assertThat(producer.leaderElectionConfiguration(false, "lease", Optional.of("ns"))).isNull();
    }

    @Test
    void onProducesTheLeaseInTheGivenNamespace() {
        LeaderElectionConfiguration config = producer.leaderElectionConfiguration(true, "lease", Optional.of("ops"));
        assertThat(config.getLeaseName()).isEqualTo("lease");
        assertThat(config.getLeaseNamespace()).contains("ops");
    }

    @Test
    void withoutANamespaceTheClientsOwnIsUsed() {
        assertThat(producer.leaderElectionConfiguration(true, "lease", Optional.empty()).getLeaseNamespace()).isEmpty();
        assertThat(producer.leaderElectionConfiguration(true, "lease", Optional.of(" ")).getLeaseNamespace()).isEmpty();
    }
}
