package io.traefikha.testbed;

import io.traefikha.api.v1alpha1.Durations;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ways the primary fails, and how it is repaired afterwards. Each names the theoretical limit of its failover gap for the
 * timing at hand: what must pass before the secondary may take over, besides the client's own polling.
 */
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

        @Override
        String limit(Timing t) {
            return t.deathEvent() ? "skew " + t.skewMillis() + " ms (unit stop hook + inotify, then priority-0 advert)"
                    : "skew " + t.skewMillis() + " .. 1000 + " + t.skewMillis() + " ms (pgrep every 1 s)";
        }
    },
    TRAEFIK_HUNG("traefik hung") {
        @Override
        void breakPrimary(HaPair pair) {
            pair.primary.hangTraefik();
        }

        @Override
        void repairPrimary(HaPair pair) {
            pair.primary.resumeTraefik();
        }

        @Override
        String limit(Timing t) {
            long first = (t.fall() - 1) * t.checkIntervalMillis() + t.checkTimeoutMillis() + t.skewMillis();
            return first + " .. " + (first + t.checkIntervalMillis()) + " ms (check every " + t.checkIntervalMillis()
                    + " ms, curl timeout " + t.checkTimeoutMillis() + " ms, fall " + t.fall() + ", skew " + t.skewMillis() + ")";
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

        @Override
        String limit(Timing t) {
            return "0 .. " + t.masterDownLimit() + "; the crashed primary keeps the VIP and serves until the secondary"
                    + " claims it";
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

        @Override
        String limit(Timing t) {
            return t.masterDownLimit();
        }
    },
    /** The link goes down and up every 200 ms for 2 s (shorter than or near the master-down interval), then stays down. */
    LINK_FLAPPING("link flapping") {
        @Override
        void breakPrimary(HaPair pair) {
            for (int i = 0; i < 5; i++) {
                pair.primary.linkDown();
                TestBed.sleep(200);
                pair.primary.linkUp();
                TestBed.sleep(200);
            }
            pair.primary.linkDown();
        }

        @Override
        void repairPrimary(HaPair pair) {
            pair.primary.linkUp();
        }

        @Override
        String limit(Timing t) {
            return t.masterDownLimit() + " per outage";
        }
    },
    /** As pct shutdown: the container's services stop (in parallel, as systemd stops unrelated units), then it is off. */
    CONTAINER_STOPPED("container stopped") {
        @Override
        void breakPrimary(HaPair pair) {
            pair.primary.shutdown();
        }

        @Override
        void repairPrimary(HaPair pair) {
            powerOnPrimary(pair);
        }

        @Override
        String limit(Timing t) {
            return "skew " + t.skewMillis() + " ms (keepalived's priority-0 advert on stop)";
        }
    },
    /** As a host crash or pct stop: every process of the container dies at once, its link goes down. */
    CONTAINER_KILLED("container killed") {
        @Override
        void breakPrimary(HaPair pair) {
            pair.primary.powerOff();
        }

        @Override
        void repairPrimary(HaPair pair) {
            powerOnPrimary(pair);
        }

        @Override
        String limit(Timing t) {
            return t.masterDownLimit();
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

    /** The container started again: keepalived (enabled) with it, and Traefik, as its unit would be at boot. */
    private static void powerOnPrimary(HaPair pair) {
        pair.primary.powerOn(HaPair.PRIMARY_ADDRESS);
        pair.primary.startTraefik();
    }

    /** The theoretical limit of the failover gap, and what it is made of. */
    abstract String limit(Timing t);

    /**
     * The timing a pair runs with.
     *
     * @param skewMillis the backup's skew time, (256 - its priority) / 256 of the advert interval
     * @param deathEvent whether Traefik's death is told by its unit's stop hook (else polled with pgrep)
     */
    public record Timing(long advertMillis, long skewMillis, long checkIntervalMillis, long checkTimeoutMillis, int fall,
                         boolean deathEvent) {

        public static Timing of(TraefikHAClusterSpec spec, boolean deathEvent) {
            long advert = Durations.parse(spec.vip.advertInterval).toMillis();
            return new Timing(advert, (256 - spec.vip.priorities.secondary) * advert / 256,
                    Durations.parse(spec.healthCheck.interval).toMillis(),
                    Durations.parse(spec.healthCheck.timeout).toMillis(), spec.healthCheck.fall,
                    deathEvent);
        }

        /** The backup's master-down interval: three adverts missed plus its skew. */
        String masterDownLimit() {
            return (3 * advertMillis + skewMillis) + " ms (3 x advert " + advertMillis + " + skew " + skewMillis + ")";
        }
    }

    /**
     * The longest times without an answer a client polling one VIP saw.
     *
     * @param failoverMillis longest time without an answer after the primary broke
     * @param failbackMillis longest time without an answer after it was repaired
     */
    public record Gaps(long failoverMillis, long failbackMillis) {
    }

    /**
     * What a client saw while the primary failed and came back.
     *
     * @param gaps                 per VIP polled, in the order asked (the IPv4 VIP first)
     * @param servedAfterFailover  who answered on the first VIP once it had moved (the secondary, if failover worked)
     * @param primaryAloneAgain    the primary ended up the only holder of every VIP
     * @param servedAfterFailback  who answered on the first VIP at the end
     */
    public record Result(List<Gaps> gaps, String servedAfterFailover, boolean primaryAloneAgain, String servedAfterFailback) {

        /** The first (IPv4) VIP's failover gap. */
        public long failoverGapMillis() {
            return gaps.get(0).failoverMillis();
        }

        /** The first (IPv4) VIP's failback gap. */
        public long failbackGapMillis() {
            return gaps.get(0).failbackMillis();
        }
    }

    /** The same with the pair's IPv4 VIP alone. */
    public Result run(HaPair pair) {
        return run(pair, List.of(HaPair.VIP));
    }

    /**
     * Starts from the primary holding every VIP alone; breaks it, waits for the secondary, repairs, waits for failback,
     * while one client per VIP polls it (all at once, so the gaps of a dual-stack VIP are from the same failover).
     */
    public Result run(HaPair pair, List<String> vips) {
        if (!HaPair.await(LIMIT, () -> holdsAlone(pair, pair.primary, vips))) {
            throw new IllegalStateException(label + ": the primary does not hold " + vips + " alone before the scenario");
        }
        List<VipPoller> pollers = new ArrayList<>();
        try {
            for (String vip : vips) {
                pollers.add(pair.bed.pollVip(vip));
            }
            pollers.forEach(poller -> poller.awaitAnswer(Duration.ofSeconds(5)));
            long broken = System.currentTimeMillis();
            breakPrimary(pair);
            HaPair.await(LIMIT, () -> vips.stream().allMatch(pair.secondary::holds));
            TestBed.sleep(SETTLE.toMillis());
            String servedAfterFailover = pollers.get(0).lastServedBy();
            long repaired = System.currentTimeMillis();
            repairPrimary(pair);
            boolean primaryAlone = HaPair.await(LIMIT, () -> holdsAlone(pair, pair.primary, vips));
            TestBed.sleep(SETTLE.toMillis());
            List<Timeline> timelines = pollers.stream().map(VipPoller::stop).toList();
            return new Result(timelines.stream().map(timeline -> new Gaps(timeline.longestGapBetween(broken, repaired),
                    timeline.longestGapBetween(repaired, Long.MAX_VALUE))).toList(),
                    servedAfterFailover, primaryAlone, timelines.get(0).lastServedBy());
        } finally {
            pollers.forEach(VipPoller::close);
        }
    }

    private static boolean holdsAlone(HaPair pair, BedHost host, List<String> vips) {
        return vips.stream().allMatch(vip -> pair.onlyHolder(host, vip));
    }
}
