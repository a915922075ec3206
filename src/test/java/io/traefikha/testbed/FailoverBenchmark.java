package io.traefikha.testbed;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.keepalived.KeepalivedRenderer;
import io.traefikha.keepalived.VrrpPassword;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Service gap per failover scenario, idle and with the machine under CPU load, with each scenario's theoretical limit
 * beside it, plus spurious VIP moves during a quiet period under load. The project's default (fast) profile runs every
 * scenario; the previous default priorities and advert run the handovers they changed, and the previous default with
 * Traefik's death polled by pgrep every second (the configuration before the unit stop hook, rendered here as it was)
 * runs the scenario the hook changed, as the baselines of the same run. A dual-stack VIP with the default timing runs
 * the handovers with one client on each family's VIP in the same failovers, beside the IPv4-only default profile. The
 * seed runbook's timing joins with {@code -Dbenchmark.seed=true}; three replicas with the default timing join with
 * {@code -Dbenchmark.replicas=3} ({@link ThreeReplicas}: the MASTER fails, then the replica that took over, each gap
 * beside the default pair's for the same scenario and condition of the same run). Prints; never asserts on time.
 *
 * <p>{@code .ci/benchmarks -Dtest=FailoverBenchmark -Dbenchmark.repetitions=5 -Dbenchmark.quietSeconds=60}
 */
@Tag("benchmark")
class FailoverBenchmark {

    private static final int REPETITIONS = Integer.getInteger("benchmark.repetitions", 5);
    private static final int QUIET_SECONDS = Integer.getInteger("benchmark.quietSeconds", 60);
    private static final boolean SEED = Boolean.getBoolean("benchmark.seed");
    /** 3 adds the three-replica profile; the pair (2) is the default. */
    private static final int REPLICAS = Integer.getInteger("benchmark.replicas", 2);
    /** The handovers the three-replica profile runs twice in a row (told at once, and lost). */
    private static final List<FailoverScenario> THREE_REPLICA_SCENARIOS = List.of(FailoverScenario.TRAEFIK_DIES,
            FailoverScenario.LINK_DOWN);
    private static final String[] CONDITIONS = {"idle", "under load"};
    /** -Dbenchmark.scenarios=TRAEFIK_DIES,LINK_DOWN runs only these (the quiet periods still run). */
    private static final List<FailoverScenario> ONLY = System.getProperty("benchmark.scenarios", "").isBlank() ? List.of()
            : Stream.of(System.getProperty("benchmark.scenarios").split(",")).map(String::strip).map(FailoverScenario::valueOf)
                    .toList();

    /**
     * @param polledDeath Traefik's death noticed by the previous configuration's pgrep script instead of the unit hook
     * @param quiet       whether to count spurious VIP moves under load (closer priorities shorten the master-down
     *                    interval, so they are counted too before anyone makes them the default)
     * @param vips        the VIPs a client polls in each failover: the IPv4 one, or both families' of a dual-stack spec
     */
    private record Profile(String name, TraefikHAClusterSpec spec, boolean polledDeath, List<FailoverScenario> scenarios,
                           boolean quiet, List<String> vips) {

        Profile(String name, TraefikHAClusterSpec spec, boolean polledDeath, List<FailoverScenario> scenarios, boolean quiet) {
            this(name, spec, polledDeath, scenarios, quiet, List.of(HaPair.VIP));
        }
    }

    /** How a dual-stack profile's rows name each VIP's gaps, in the order of {@link Profile#vips()}. */
    private static final List<String> FAMILIES = List.of("IPv4", "IPv6");

    @Test
    void printsServiceGapsPerScenarioAndProfile() {
        if (REPLICAS != 2 && REPLICAS != 3) {
            throw new IllegalArgumentException("-Dbenchmark.replicas is " + REPLICAS + "; 2 (the pair) or 3 are measured");
        }
        List<FailoverScenario> handovers = List.of(FailoverScenario.TRAEFIK_DIES, FailoverScenario.LINK_DOWN,
                FailoverScenario.CONTAINER_STOPPED);
        List<Profile> profiles = new ArrayList<>();
        profiles.add(new Profile("fast: 250/240, advert 120 ms (default)", timing(250, 240, "120ms"), false,
                List.of(FailoverScenario.values()), true));
        profiles.add(new Profile("dual-stack (default timing)", HaPair.dualStack(timing(250, 240, "120ms")), false, handovers,
                false, List.of(HaPair.VIP, HaPair.VIP6)));
        // The backup's skew time, (256 - its priority) / 256 of an advert, is what is left of a handover once the
        // failure is told at once; its master-down interval, 3 adverts + skew, is how long a loaded primary may miss
        // adverts before it is taken over. The previous default had the long skew; 250/240 alone shortens both.
        profiles.add(new Profile("fast before: 200/100, advert 100 ms", timing(200, 100, "100ms"), false, handovers, true));
        profiles.add(new Profile("fast: 250/240, advert 100 ms", timing(250, 240, "100ms"), false,
                List.of(FailoverScenario.TRAEFIK_DIES, FailoverScenario.LINK_DOWN), true));
        profiles.add(new Profile("fast before, pgrep every 1 s (before the unit stop hook)", timing(200, 100, "100ms"),
                true, List.of(FailoverScenario.TRAEFIK_DIES), false));
        if (SEED) {
            profiles.add(new Profile("seed (v2, advert 1s, check 2s x fall 2)",
                    HaPair.spec(ClusterSpecs.seedTiming(ClusterSpecs.homelab())), false, List.of(FailoverScenario.values()), false));
        }
        if (!ONLY.isEmpty()) {
            profiles.replaceAll(profile -> new Profile(profile.name(), profile.spec(), profile.polledDeath(),
                    profile.scenarios().stream().filter(ONLY::contains).toList(), profile.quiet(), profile.vips()));
        }
        List<String> rows = new ArrayList<>();
        // The default profile's failover gaps by condition and scenario: the three replicas' baseline from the same run.
        Map<String, String> pairGaps = new HashMap<>();
        try (HaPair pair = HaPair.create()) {
            for (Profile profile : profiles) {
                TraefikHAClusterSpec spec = profile.spec();
                String password = spec.vip.version == 2 ? VrrpPassword.generate() : null;
                pair.stopKeepalived();
                if (profile.vips().contains(HaPair.VIP6)) {
                    pair.enableIpv6();
                }
                pair.deploy(spec, password);
                if (profile.polledDeath()) {
                    renderPolledDeathCheck(pair, spec, password);
                }
                FailoverScenario.Timing timing = FailoverScenario.Timing.of(spec, !profile.polledDeath());
                for (String condition : CONDITIONS) {
                    boolean loaded = condition.equals("under load");
                    Consumer<String> row = line -> rows.add(profile.name() + " | " + condition + " | " + line);
                    try (CpuStress stress = loaded ? CpuStress.start() : null) {
                        if (loaded && profile.quiet()) {
                            row.accept("spurious VIP moves in " + QUIET_SECONDS + " s | " + spuriousMoves(pair)
                                    + " | 0 (master-down interval " + timing.masterDownLimit() + ")");
                        }
                        for (FailoverScenario scenario : profile.scenarios()) {
                            List<FailoverScenario.Result> results = new ArrayList<>();
                            for (int i = 0; i < REPETITIONS; i++) {
                                results.add(scenario.run(pair, profile.vips()));
                            }
                            String failover = summaries(results, FailoverScenario.Gaps::failoverMillis);
                            if (profile == profiles.get(0)) {
                                pairGaps.put(condition + scenario, failover);
                            }
                            row.accept(scenario.label + " | " + failover + " | " + scenario.limit(timing));
                            row.accept("failback after " + scenario.label + " | "
                                    + summaries(results, FailoverScenario.Gaps::failbackMillis)
                                    + " | 0 ms (preempts as soon as it is healthy)");
                            System.out.println(rows.get(rows.size() - 2));
                        }
                    }
                }
            }
            if (REPLICAS == 3) {
                threeReplicas(pair, pairGaps, rows);
            }
        }
        System.out.println("\nService gap seen by a client polling the VIP every 10 ms, 50 ms timeout per request (dual-stack:"
                + " one client per family in the same failovers; min / median / max ms over " + REPETITIONS + " runs; "
                + Runtime.getRuntime().availableProcessors() + " cores, load: stress-ng --cpu "
                + 2 * Runtime.getRuntime().availableProcessors() + ")");
        System.out.println("profile | condition | scenario | min / median / max | theoretical limit");
        rows.forEach(System.out::println);
    }

    /**
     * The default timing on three replicas: for each scenario, the MASTER fails, then the second replica that took over;
     * each failure's gap in its own row, then the default pair's gap for the same scenario and condition (PAIR_GAPS).
     */
    private static void threeReplicas(HaPair pair, Map<String, String> pairGaps, List<String> rows) {
        String name = "three replicas: 250/240/230, advert 120 ms (default)";
        TraefikHAClusterSpec spec = ThreeReplicas.spec(timing(250, 240, "120ms"));
        List<FailoverScenario> scenarios = THREE_REPLICA_SCENARIOS.stream()
                .filter(scenario -> ONLY.isEmpty() || ONLY.contains(scenario)).toList();
        pair.stopKeepalived();
        try (ThreeReplicas replicas = ThreeReplicas.add(pair)) {
            replicas.deploy(spec, null);
            for (String condition : CONDITIONS) {
                Consumer<String> row = line -> {
                    rows.add(name + " | " + condition + " | " + line);
                    System.out.println(rows.get(rows.size() - 1));
                };
                try (CpuStress stress = condition.equals("under load") ? CpuStress.start() : null) {
                    for (FailoverScenario scenario : scenarios) {
                        List<Long> first = new ArrayList<>();
                        List<Long> second = new ArrayList<>();
                        for (int i = 0; i < REPETITIONS; i++) {
                            ThreeReplicas.TwoFailures failures = replicas.failTwice(scenario);
                            first.add(failures.firstGapMillis());
                            second.add(failures.secondGapMillis());
                        }
                        // The pair's secondary has the second replica's priority: the same limit as the first failure.
                        String firstLimit = scenario.limit(FailoverScenario.Timing.of(spec, true, Role.SECONDARY));
                        row.accept(scenario.label + ", first failure (MASTER -> second replica) | "
                                + FailoverScenario.summary(first) + " | " + firstLimit);
                        row.accept(scenario.label + ", second failure (second -> third replica) | "
                                + FailoverScenario.summary(second) + " | "
                                + scenario.limit(FailoverScenario.Timing.of(spec, true, Role.of(2))));
                        row.accept(scenario.label + ", the pair's failover (baseline, same run) | "
                                + pairGaps.get(condition + scenario) + " | " + firstLimit);
                    }
                }
            }
        }
    }

    /**
     * The baseline: keepalived.conf as rendered before the unit stop hook, Traefik's death polled by pgrep every second
     * (the drop-in stays on the node, but nothing watches its file), loaded by a reload on both nodes.
     */
    private static void renderPolledDeathCheck(HaPair pair, TraefikHAClusterSpec spec, String password) {
        spec.healthCheck.trackProcess = false;
        try {
            for (Role role : spec.roles()) {
                String conf = KeepalivedRenderer.render(spec, "bed", role, password).keepalivedConf()
                        .replace("\nvrrp_instance", "\nvrrp_script traefik_ha_process {\n"
                                + "    script \"/usr/bin/pgrep -x traefik\"\n"
                                + "    interval 1\n    timeout 1\n    fall 1\n    rise 1\n"
                                + "    weight " + spec.healthCheck.weight + "\n}\n\nvrrp_instance")
                        .replace("        traefik_ha_check\n", "        traefik_ha_check\n        traefik_ha_process\n");
                BedHost host = pair.host(role);
                host.write(KeepalivedPaths.CONFIG, conf, "600");
                host.systemctl("reload keepalived").orThrow("reloading keepalived with the polled check");
            }
        } finally {
            spec.healthCheck.trackProcess = true;
        }
        TestBed.sleep(3000); // the reloaded checks settle before the first scenario
    }

    /** The bed's homelab spec with these VRRP priorities and advert interval. */
    private static TraefikHAClusterSpec timing(int primary, int secondary, String advert) {
        TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
        spec.vip.priorities.primary = primary;
        spec.vip.priorities.secondary = secondary;
        spec.vip.advertInterval = advert;
        return spec;
    }

    private static int spuriousMoves(HaPair pair) {
        try (VipPoller poller = pair.bed.pollVip(HaPair.VIP).awaitAnswer(Duration.ofSeconds(10))) {
            TestBed.sleep(QUIET_SECONDS * 1000L);
            return poller.stop().servingHostChanges();
        }
    }

    /** min / median / max of one gap over the runs; per family ("IPv4 a / b / c, IPv6 d / e / f") for a dual-stack VIP. */
    private static String summaries(List<FailoverScenario.Result> results, ToLongFunction<FailoverScenario.Gaps> gap) {
        List<String> perVip = IntStream.range(0, results.get(0).gaps().size())
                .mapToObj(i -> FailoverScenario.summary(
                        results.stream().map(result -> gap.applyAsLong(result.gaps().get(i))).toList()))
                .toList();
        return perVip.size() == 1 ? perVip.get(0) : IntStream.range(0, perVip.size())
                .mapToObj(i -> FAMILIES.get(i) + " " + perVip.get(i)).collect(Collectors.joining(", "));
    }
}
