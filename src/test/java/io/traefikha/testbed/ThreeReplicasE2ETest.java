package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.ClusterSpecs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three replicas with real keepalived ({@link ThreeReplicas}: priorities 250, 240, 230). The MASTER fails, then the next
 * (Traefik dies, or the link goes down): the VIP lands on the second, then on the third, with the gap a client polling
 * every 10 ms (50 ms timeout) sees for each; repaired, the VIP goes back to the first. Prints min / median / max over
 * the runs; asserts where the VIP is, never how fast.
 */
class ThreeReplicasE2ETest extends HaPairE2ETest {

    private static final int RUNS = 3;

    @Test
    void theVipGoesToTheNextReplicaAtEachFailureAndBackToTheFirst() {
        TraefikHAClusterSpec spec = ThreeReplicas.spec(HaPair.spec(ClusterSpecs.homelab()));
        try (ThreeReplicas replicas = ThreeReplicas.add(pair)) {
            replicas.deploy(spec, null);
            for (FailoverScenario scenario : List.of(FailoverScenario.TRAEFIK_DIES, FailoverScenario.LINK_DOWN)) {
                List<Long> firstGaps = new ArrayList<>();
                List<Long> secondGaps = new ArrayList<>();
                for (int run = 0; run < RUNS; run++) {
                    ThreeReplicas.TwoFailures failures = replicas.failTwice(scenario);
                    assertThat(failures.servedAfterFirst()).as(scenario.label + ", first: the second replica serves")
                            .isEqualTo(pair.secondary.name());
                    assertThat(failures.servedAfterSecond()).as(scenario.label + ", second: the third replica serves")
                            .isEqualTo(replicas.third.name());
                    firstGaps.add(failures.firstGapMillis());
                    secondGaps.add(failures.secondGapMillis());
                }
                System.out.printf("ThreeReplicasE2ETest: %s on the MASTER: gap %s ms until the second replica (limit %s);"
                        + " then on the second: gap %s ms until the third (limit %s); min / median / max of %d runs%n",
                        scenario.label, FailoverScenario.summary(firstGaps), limit(scenario, spec, Role.SECONDARY),
                        FailoverScenario.summary(secondGaps), limit(scenario, spec, Role.of(2)), RUNS);
            }
        }
    }

    /** The scenario's limit for a handover to BACKUP, Traefik's death told by its unit's stop hook as rendered. */
    private static String limit(FailoverScenario scenario, TraefikHAClusterSpec spec, Role backup) {
        return scenario.limit(FailoverScenario.Timing.of(spec, true, backup));
    }
}
