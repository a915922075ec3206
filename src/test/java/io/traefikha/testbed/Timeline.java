package io.traefikha.testbed;

import java.util.List;
import java.util.Objects;

/** What the client saw: one sample per poll, with the host that answered or null when nobody did. */
public record Timeline(List<Sample> samples) {

    public record Sample(long epochMillis, String servedBy) {

        boolean answered() {
            return servedBy != null;
        }
    }

    /**
     * The longest time without an answer that ended in [FROM, TO) (epoch millis): from the last answer before the outage
     * to the first answer after it. Resolution is the poll interval (10 ms).
     */
    public long longestGapBetween(long fromMillis, long toMillis) {
        long longest = 0;
        Sample previous = null;
        for (Sample sample : samples) {
            if (!sample.answered()) {
                continue;
            }
            if (previous != null && sample.epochMillis() >= fromMillis && sample.epochMillis() < toMillis) {
                longest = Math.max(longest, sample.epochMillis() - previous.epochMillis());
            }
            previous = sample;
        }
        return longest;
    }

    /** Who answered last. */
    public String lastServedBy() {
        for (int i = samples.size() - 1; i >= 0; i--) {
            if (samples.get(i).answered()) {
                return samples.get(i).servedBy();
            }
        }
        return null;
    }

    /** How often the answering host changed: in a quiet period every change is a spurious VIP move. */
    public int servingHostChanges() {
        int changes = 0;
        String current = null;
        for (Sample sample : samples) {
            if (sample.answered()) {
                if (current != null && !Objects.equals(current, sample.servedBy())) {
                    changes++;
                }
                current = sample.servedBy();
            }
        }
        return changes;
    }
}
