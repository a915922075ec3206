package io.traefikha.testbed;

import java.time.Duration;

/** Ways the primary fails, and how it is repaired afterwards. */
public enum FailoverScenario {

    TRAEFIK_DIES("traefik dies") {
        @Override
        void breakPrimary(HaPair pair) {
            pair.primary.killTraefik();
        }

        @Override
        void repairPrimary(HaPair pair) {
            pair.primary.startTraefik();
        }
    },
    KEEPALIVED_CRASH("keepalived crash") {
        @Override
        void breakPrimary(HaPair pair) {
            pair.primary.crashKeepalived();
        }

        @Override
        void repairPrimary(HaPair pair) {
            pair.primary.systemctl("start keepalived").orThrow("restarting keepalived");
        }
    },
    LINK_DOWN("link down") {
        @Override
        void breakPrimary(HaPair pair) {
            pair.primary.linkDown();
        }

        @Override
        void repairPrimary(HaPair pair) {
            pair.primary.linkUp();
        }
    };

    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** How long the client keeps polling after the VIP settled, so the samples show who serves. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    public final String label;

    FailoverScenario(String label) {
        this.label = label;
    }

    abstract void breakPrimary(HaPair pair);

    abstract void repairPrimary(HaPair pair);

    /**
     * What a client saw while the primary failed and came back.
     *
     * @param failoverGapMillis    longest time without an answer after the primary broke
     * @param failbackGapMillis    longest time without an answer after it was repaired
     * @param servedAfterFailover  who answered once the VIP had moved (the secondary, if failover worked)
     * @param primaryAloneAgain    the primary ended up the only holder of the VIP
     * @param servedAfterFailback  who answered at the end
     */
    public record Result(long failoverGapMillis, long failbackGapMillis, String servedAfterFailover, boolean primaryAloneAgain,
                         String servedAfterFailback) {
    }

    /** Starts from the primary holding the VIP alone; breaks it, waits for the secondary, repairs, waits for failback. */
    public Result run(HaPair pair) {
        if (!HaPair.await(LIMIT, () -> pair.onlyHolder(pair.primary))) {
            throw new IllegalStateException(label + ": the primary does not hold the VIP alone before the scenario");
        }
        try (VipPoller poller = pair.bed.pollVip(HaPair.VIP).awaitAnswer(Duration.ofSeconds(5))) {
            long broken = System.currentTimeMillis();
            breakPrimary(pair);
            HaPair.await(LIMIT, () -> pair.secondary.holds(HaPair.VIP));
            TestBed.sleep(SETTLE.toMillis());
            String servedAfterFailover = poller.lastServedBy();
            long repaired = System.currentTimeMillis();
            repairPrimary(pair);
            boolean primaryAlone = HaPair.await(LIMIT, () -> pair.onlyHolder(pair.primary));
            TestBed.sleep(SETTLE.toMillis());
            Timeline timeline = poller.stop();
            return new Result(timeline.longestGapBetween(broken, repaired), timeline.longestGapBetween(repaired, Long.MAX_VALUE),
                    servedAfterFailover, primaryAlone, timeline.lastServedBy());
        }
    }
}
