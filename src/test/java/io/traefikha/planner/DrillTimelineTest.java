package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gaps measured from the probe's samples: last answer before the outage to the first answer after it. */
class DrillTimelineTest {

    @Test
    void theGapRunsFromTheLastAnswerBeforeToTheFirstAnswerAfter() {
        // answered until 100, nothing 110..250, answered from 260; stopped at 95, restarted at 500; failback gap 510..540
        DrillTimeline timeline = timeline(0, 100, true, 110, 250, false, 260, 500, true, 510, 540, false, 550, 700, true);

        assertThat(timeline.longestGapBetween(95, 500)).isEqualTo(160);
        assertThat(timeline.longestGapBetween(500, Long.MAX_VALUE)).isEqualTo(50);
        assertThat(timeline.answeredLastBefore(500)).isTrue();
        assertThat(timeline.answersAtEnd()).isTrue();
    }

    @Test
    void anOutageThatHasNotEndedIsNoGapButShowsAsUnanswered() {
        DrillTimeline timeline = timeline(0, 100, true, 110, 400, false);

        assertThat(timeline.longestGapBetween(95, 500)).as("only the probe interval between answers ended").isEqualTo(10);
        assertThat(timeline.answeredLastBefore(500)).isFalse();
        assertThat(timeline.answersAtEnd()).isFalse();
    }

    @Test
    void oneUnansweredProbeAmongAnsweredOnesIsNoOutage() {
        DrillTimeline lastMissed = timeline(0, 100, true, 110, 110, false);
        DrillTimeline threeMissed = timeline(0, 100, true, 110, 130, false);

        assertThat(lastMissed.answersAtEnd()).as("a 50 ms probe missed once on a loaded machine").isTrue();
        assertThat(lastMissed.answeredLastBefore(115)).isTrue();
        assertThat(threeMissed.answersAtEnd()).as("the last three missed: it does not serve").isFalse();
        assertThat(threeMissed.answeredLastBefore(135)).isFalse();
        assertThat(new DrillTimeline(List.of()).answersAtEnd()).isFalse();
    }

    /** Runs of samples every 10 ms: from, to (inclusive), answered; repeated. */
    private static DrillTimeline timeline(Object... runs) {
        List<DrillTimeline.Sample> samples = new ArrayList<>();
        for (int i = 0; i < runs.length; i += 3) {
            for (long t = (Integer) runs[i]; t <= (Integer) runs[i + 1]; t += 10) {
                samples.add(new DrillTimeline.Sample(t, (Boolean) runs[i + 2]));
            }
        }
        return new DrillTimeline(samples);
    }
}
