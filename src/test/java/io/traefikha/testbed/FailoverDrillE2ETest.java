package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.DrillScenario;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.step.DrillExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failover drills on real keepalived and sshd (fast profile): the operator's drill stops the service on the MASTER over
 * SSH, its 10 ms probe measures the gap, and everything runs again afterwards. Each gap is printed next to a
 * {@link FailoverScenario} run on the same bed (a client polling the VIP), never asserted on.
 */
class FailoverDrillE2ETest extends HaPairE2ETest {

    private static final TraefikHAClusterSpec SPEC = HaPair.spec(ClusterSpecs.homelab());

    @BeforeAll
    static void deploy() {
        pair.deploy(SPEC, null);
        assertThat(HaPair.await(Duration.ofSeconds(20), () -> pair.onlyHolder(pair.primary))).isTrue();
    }

    @Test
    void aStopTraefikDrillMeasuresTheGapAndTraefikRunsAgain() {
        List<DrillStatus> journal = new ArrayList<>();

        DrillStatus drill = measure(DrillScenario.StopTraefik, journal, FailoverScenario.TRAEFIK_DIES);

        assertThat(journal).extracting(j -> j.node).containsExactly("primary");
        assertThat(pair.primary.exec("systemctl is-active --quiet traefik").exitCode()).as("traefik runs again").isZero();
        assertThat(drill.gapMillis).as("a stopped Traefik is an outage the probe sees").isPositive();
    }

    @Test
    void aStopKeepalivedDrillHandsOverAndKeepalivedRunsAgain() {
        DrillStatus drill = measure(DrillScenario.StopKeepalived, new ArrayList<>(), FailoverScenario.KEEPALIVED_CRASH);

        assertThat(pair.primary.keepalivedRunning()).isTrue();
        assertThat(drill.failbackGapMillis).isNotNull();
    }

    /** The drill, then the benchmark's scenario on the same bed for comparison; both printed. */
    private static DrillStatus measure(DrillScenario scenario, List<DrillStatus> journal, FailoverScenario baseline) {
        DrillExecutor.Outcome outcome = pair.drill(SPEC, scenario, journal);
        DrillStatus drill = outcome.status();
        assertThat(drill.result).as(drill.message).isEqualTo(DrillStatus.SUCCEEDED);
        assertThat(HaPair.await(Duration.ofSeconds(20), () -> pair.onlyHolder(pair.primary))).as("the VIP is back").isTrue();
        FailoverScenario.Result reference = baseline.run(pair);
        System.out.printf("%nDrill %s (fast profile): gap %d ms, failback gap %d ms, %d probes | %s from a client: %d ms,"
                + " failback %d ms%n", scenario, drill.gapMillis, drill.failbackGapMillis, outcome.timeline().samples().size(),
                baseline.label, reference.failoverGapMillis(), reference.failbackGapMillis());
        return drill;
    }
}
