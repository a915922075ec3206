package io.traefikha.testbed;

import java.util.List;
import java.util.Objects;

/** What the client saw: one sample per poll, with the host that answered or null when nobody did. */
public record Timeline(List<Sample> samples) {

    /** @param why for a request nobody answered, the client's error and how long it waited ("TimeoutError/2001ms") */
    public record Sample(long epochMillis, String servedBy, String why) {

        static Sample parse(String line) {
            String[] parts = line.strip().split(" ", 2);
            long epochMillis = Long.parseLong(parts[0]);
            String answer = parts.length == 2 ? parts[1] : "-";
            return answer.equals("-") || answer.startsWith("- ")
                    ? new Sample(epochMillis, null, answer.substring(1).strip())
                    : new Sample(epochMillis, answer, null);
        }

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

    /** Requests nobody answered in time (the poller's timeout is 50 ms): each one a request a client lost. */
    public long failedRequests() {
        return samples.stream().filter(sample -> !sample.answered()).count();
    }

    /** A request nobody answered, with the hosts that answered just before and just after it, and the client's error. */
    public record Failure(long offsetMillis, String before, String after, String why) {

        /** Lost while the VIP moved: a TCP connection in flight to the old holder cannot survive the move. */
        public boolean atMove() {
            return before != null && after != null && !before.equals(after);
        }

        @Override
        public String toString() {
            return "+" + offsetMillis + " ms (" + before + " -> " + after + ", " + why + ")";
        }
    }

    /**
     * Each failed request with its time since the first sample and its neighbours' hosts, so a loss at a VIP move (A
     * differs from B) can be told from an outage or a slow answer under load.
     */
    public List<Failure> failures() {
        List<Failure> failures = new java.util.ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).answered()) {
                continue;
            }
            String before = null;
            for (int j = i - 1; j >= 0 && before == null; j--) {
                before = samples.get(j).servedBy();
            }
            String after = null;
            for (int j = i + 1; j < samples.size() && after == null; j++) {
                after = samples.get(j).servedBy();
            }
            failures.add(new Failure(samples.get(i).epochMillis() - samples.get(0).epochMillis(), before, after,
                    samples.get(i).why()));
        }
        return failures;
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
