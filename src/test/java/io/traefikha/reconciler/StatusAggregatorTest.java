package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.step.StatusAggregator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

    private static final Clock T1 = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Clock T2 = Clock.fixed(Instant.parse("2026-01-01T11:00:00Z"), ZoneOffset.UTC);

    @Test
    void stampsGenerationAndTransitionTime() {
        TraefikHACluster resource = resource(3L);

        TraefikHAClusterStatus status = new StatusAggregator(resource, T1)
                .condition("Valid", true, "SpecValid", "ok").phase(ClusterPhase.Pending).build();

        assertThat(status.observedGeneration).isEqualTo(3L);
        assertThat(status.phase).isEqualTo(ClusterPhase.Pending);
        Condition valid = status.condition("Valid");
        assertThat(valid.lastTransitionTime).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(valid.observedGeneration).isEqualTo(3L);
    }

    @Test
    void keepsTransitionTimeWhileStatusIsUnchangedAndMovesItOnChange() {
        TraefikHACluster resource = resource(1L);
        resource.setStatus(new StatusAggregator(resource, T1).condition("Valid", true, "SpecValid", "ok").build());

        TraefikHAClusterStatus same = new StatusAggregator(resource, T2).condition("Valid", true, "SpecValid", "still ok").build();
        assertThat(same.condition("Valid").lastTransitionTime).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(same.condition("Valid").message).isEqualTo("still ok");

        TraefikHAClusterStatus flipped = new StatusAggregator(resource, T2).condition("Valid", false, "InvalidSpec", "bad").build();
        assertThat(flipped.condition("Valid").lastTransitionTime).isEqualTo("2026-01-01T11:00:00Z");
    }

    @Test
    void conditionsNotReportedThisRoundAreKept() {
        TraefikHACluster resource = resource(1L);
        resource.setStatus(new StatusAggregator(resource, T1).condition("SplitBrain", false, "OneHolder", "ok").build());

        TraefikHAClusterStatus next = new StatusAggregator(resource, T2).condition("Valid", true, "SpecValid", "ok").build();

        assertThat(next.conditions).extracting(c -> c.type).containsExactly("Valid", "SplitBrain");
    }

    /** A warning (InsecureTransport) is reported but never taken for the problem that keeps Ready False. */
    @Test
    void aWarningIsNotAProblemWhateverItsStatus() {
        for (boolean warning : new boolean[] {true, false}) {
            StatusAggregator status = new StatusAggregator(resource(1L), T1)
                    .condition("InsecureTransport", warning, warning ? "Insecure" : "Verified", "m")
                    .condition("ProxmoxReachable", true, "Reachable", "ok");
            assertThat(status.firstFalse()).isNull();
            assertThat(status.build().condition("InsecureTransport").status).isEqualTo(warning ? "True" : "False");
        }
    }

    @Test
    void anUnchangedStatusIsNotAChange() {
        TraefikHACluster resource = resource(1L);
        resource.setStatus(new StatusAggregator(resource, T1).condition("Valid", true, "SpecValid", "ok").build());

        TraefikHAClusterStatus again = new StatusAggregator(resource, T2).condition("Valid", true, "SpecValid", "ok").build();

        assertThat(StatusAggregator.changed(resource.getStatus(), again)).isFalse();
        assertThat(StatusAggregator.changed(resource.getStatus(),
                new StatusAggregator(resource, T2).condition("Valid", true, "SpecValid", "other").build())).isTrue();
    }

    private static TraefikHACluster resource(long generation) {
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setGeneration(generation);
        return resource;
    }
}
