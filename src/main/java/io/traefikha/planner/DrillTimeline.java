package io.traefikha.planner;

import java.util.List;

/**
 * What the operator's VIP probe saw during a drill: one sample per probe (every 10 ms), in order, with milliseconds
 * counted from the drill's start.
 */
public record DrillTimeline(List<Sample> samples) {

    public record Sample(long millis, boolean answered) {
    }

    /**
     * The longest time without an answer that ended in [FROM, TO): from the last answer before the outage to the first
     * answer after it (a gap that has not ended by TO is not counted here; see {@link #answeredLastBefore}). Resolution is
     * the probe interval.
     */
    public long longestGapBetween(long fromMillis, long toMillis) {
        long longest = 0;
        Sample previousAnswer = null;
        for (Sample sample : samples) {
            if (!sample.answered()) {
                continue;
            }
            if (previousAnswer != null && sample.millis() >= fromMillis && sample.millis() < toMillis) {
                longest = Math.max(longest, sample.millis() - previousAnswer.millis());
            }
            previousAnswer = sample;
        }
        return longest;
    }

    /** Whether the last probe before MILLIS was answered: the VIP served just then. */
    public boolean answeredLastBefore(long millis) {
        Sample last = null;
        for (Sample sample : samples) {
            if (sample.millis() < millis) {
                last = sample;
            }
        }
        return last != null && last.answered();
    }

    /** Whether the last probe was answered: the VIP serves at the end. */
    public boolean answersAtEnd() {
        return !samples.isEmpty() && samples.get(samples.size() - 1).answered();
    }
}
