package io.traefikha.planner;

import java.util.List;

/**
 * What the operator's VIP probe saw during a drill: one sample per probe (every 10 ms), in order, with milliseconds
 * counted from the drill's start.
 */
public record DrillTimeline(List<Sample> samples) {

    /** How many of the last probes decide whether the VIP served at a moment. */
    static final int LAST_PROBES = 3;

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

    /** Whether the VIP served just before MILLIS: one of the last {@value #LAST_PROBES} probes before it was answered. */
    public boolean answeredLastBefore(long millis) {
        return anyAnswered(samples.stream().filter(sample -> sample.millis() < millis).toList());
    }

    /** Whether the VIP serves at the end: one of the last {@value #LAST_PROBES} probes was answered. */
    public boolean answersAtEnd() {
        return anyAnswered(samples);
    }

    /**
     * One probe is not a verdict: each waits 50 ms, which a loaded node (or the operator's own pod) can miss once while
     * the VIP serves; a VIP that does not serve misses them all.
     */
    private static boolean anyAnswered(List<Sample> probes) {
        return probes.subList(Math.max(0, probes.size() - LAST_PROBES), probes.size()).stream().anyMatch(Sample::answered);
    }
}
