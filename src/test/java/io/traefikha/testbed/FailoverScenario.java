package io.traefikha.testbed;

import io.traefikha.api.v1alpha1.Durations;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ways a replica fails (in {@link #run} the pair's primary), and how it is repaired afterwards. Each names the theoretical
 * limit of its failover gap for the timing at hand: what must pass before the next replica may take over, besides the
 * client's own polling.
 */
public enum FailoverScenario {

    TRAEFIK_DIES("traefik dies") {
        @Override
        void breakReplica(BedHost host) {
            host.killTraefik();
        }

        @Override
        void repairReplica(BedHost host) {
            host.startTraefik();
        }

        @Override
        String limit(Timing t) {
            return t.deathEvent() ? "skew " + t.skewMillis() + " ms (unit stop hook + inotify, then priority-0 advert)"
                    : "skew " + t.skewMillis() + " .. 1000 + " + t.skewMillis() + " ms (pgrep every 1 s)";
        }
    },
    TRAEFIK_HUNG("traefik hung") {
        @Override
        void breakReplica(BedHost host) {
            host.hangTraefik();
        }

        @Override
        void repairReplica(BedHost host) {
            host.resumeTraefik();
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
        void breakReplica(BedHost host) {
            host.crashKeepalived();
        }

        @Override
        void repairReplica(BedHost host) {
            host.systemctl("start keepalived").orThrow("restarting keepalived");
        }

        @Override
        String limit(Timing t) {
            return "0 .. " + t.masterDownLimit() + "; the crashed primary keeps the VIP and serves until the secondary"
                    + " claims it";
        }
    },
    LINK_DOWN("link down") {
        @Override
        void breakReplica(BedHost host) {
            host.linkDown();
        }

        @Override
        void repairReplica(BedHost host) {
            host.linkUp();
        }

        @Override
        String limit(Timing t) {
            return t.masterDownLimit();
        }
    },
    /** The link goes down and up every 200 ms for 2 s (shorter than or near the master-down interval), then stays down. */
    LINK_FLAPPING("link flapping") {
        @Override
        void breakReplica(BedHost host) {
            for (int i = 0; i < 5; i++) {
                host.linkDown();
                TestBed.sleep(200);
                host.linkUp();
                TestBed.sleep(200);
            }
            host.linkDown();
        }

        @Override
        void repairReplica(BedHost host) {
            host.linkUp();
        }

        @Override
        String limit(Timing t) {
            return t.masterDownLimit() + " per outage";
        }
    },
    /** As pct shutdown: the container's services stop (in parallel, as systemd stops unrelated units), then it is off. */
    CONTAINER_STOPPED("container stopped") {
        @Override
        void breakReplica(BedHost host) {
            host.shutdown();
        }

        @Override
        void repairReplica(BedHost host) {
            powerOn(host);
        }

        @Override
        String limit(Timing t) {
            return "skew " + t.skewMillis() + " ms (keepalived's priority-0 advert on stop)";
        }
    },
    /** As a host crash or pct stop: every process of the container dies at once, its link goes down. */
    CONTAINER_KILLED("container killed") {
        @Override
        void breakReplica(BedHost host) {
            host.powerOff();
        }

        @Override
        void repairReplica(BedHost host) {
            powerOn(host);
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

    abstract void breakReplica(BedHost host);

    /** Undoes {@link #breakReplica} on the same host. */
    abstract void repairReplica(BedHost host);

    /** The container started again at its address: keepalived (enabled) with it, and Traefik, as at boot. */
    private static void powerOn(BedHost host) {
        host.powerOn(host.address());
        host.startTraefik();
    }

    /** The theoretical limit of the failover gap, and what it is made of. */
    abstract String limit(Timing t);

    /**
     * The timing of a handover to one backup (the pair's secondary unless named).
     *
     * @param skewMillis the backup's skew time, (256 - its priority) / 256 of the advert interval
     * @param deathEvent whether Traefik's death is told by its unit's stop hook (else polled with pgrep)
     */
    public record Timing(long advertMillis, long skewMillis, long checkIntervalMillis, long checkTimeoutMillis, int fall,
                         boolean deathEvent) {

        public static Timing of(TraefikHAClusterSpec spec, boolean deathEvent) {
            return of(spec, deathEvent, Role.SECONDARY);
        }

        /** The timing of a handover to BACKUP, e.g. to the third replica when the second fails in its turn. */
        public static Timing of(TraefikHAClusterSpec spec, boolean deathEvent, Role backup) {
            long advert = Durations.parse(spec.vip.advertInterval).toMillis();
            return new Timing(advert, (256 - spec.vip.priority(backup)) * advert / 256,
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
            breakReplica(pair.primary);
            HaPair.await(LIMIT, () -> vips.stream().allMatch(pair.secondary::holds));
            TestBed.sleep(SETTLE.toMillis());
            String servedAfterFailover = pollers.get(0).lastServedBy();
            long repaired = System.currentTimeMillis();
            repairReplica(pair.primary);
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

    /** "min / median / max" of gaps over runs, as the failover figures are printed. */
    static String summary(List<Long> gapsMillis) {
        List<Long> sorted = gapsMillis.stream().sorted().toList();
        return sorted.get(0) + " / " + sorted.get(sorted.size() / 2) + " / " + sorted.get(sorted.size() - 1);
    }

    private static boolean holdsAlone(HaPair pair, BedHost host, List<String> vips) {
        return vips.stream().allMatch(vip -> pair.onlyHolder(host, vip));
    }
}
