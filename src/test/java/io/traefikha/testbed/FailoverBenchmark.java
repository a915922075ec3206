package io.traefikha.testbed;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.keepalived.VrrpPassword;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Service gap per failover scenario for the seed runbook's timing and the project's default (fast) profile, idle and with
 * the machine under CPU load, plus spurious VIP moves during a quiet period under load. Prints; never asserts on time.
 *
 * <p>{@code .ci/benchmarks -Dtest=FailoverBenchmark -Dbenchmark.repetitions=3 -Dbenchmark.quietSeconds=20}
 */
@Tag("benchmark")
class FailoverBenchmark {

    private static final int REPETITIONS = Integer.getInteger("benchmark.repetitions", 3);
    private static final int QUIET_SECONDS = Integer.getInteger("benchmark.quietSeconds", 20);

    private record Profile(String name, Supplier<TraefikHAClusterSpec> spec) {
    }

    @Test
    void printsServiceGapsPerScenarioAndProfile() {
        List<Profile> profiles = List.of(
                new Profile("seed (v2, advert 1s, check 2s x fall 2)", () -> HaPair.spec(ClusterSpecs.seedTiming(ClusterSpecs.homelab()))),
                new Profile("fast (v3, advert 100ms, check 1s x fall 2)", () -> HaPair.spec(ClusterSpecs.homelab())));
        Map<String, String> rows = new LinkedHashMap<>();
        try (HaPair pair = HaPair.create()) {
            for (Profile profile : profiles) {
                TraefikHAClusterSpec spec = profile.spec().get();
                pair.stopKeepalived();
                pair.deploy(spec, spec.vip.version == 2 ? VrrpPassword.generate() : null);
                for (boolean loaded : new boolean[] {false, true}) {
                    Process stress = loaded ? startStress() : null;
                    try {
                        String condition = loaded ? "under load" : "idle";
                        if (loaded) {
                            rows.put(profile.name() + " | " + condition + " | spurious VIP moves in " + QUIET_SECONDS + "s",
                                    String.valueOf(spuriousMoves(pair)));
                        }
                        for (FailoverScenario scenario : FailoverScenario.values()) {
                            List<Long> failover = new ArrayList<>();
                            List<Long> failback = new ArrayList<>();
                            for (int i = 0; i < REPETITIONS; i++) {
                                FailoverScenario.Result result = scenario.run(pair);
                                failover.add(result.failoverGapMillis());
                                failback.add(result.failbackGapMillis());
                            }
                            rows.put(profile.name() + " | " + condition + " | " + scenario.label, summary(failover));
                            rows.put(profile.name() + " | " + condition + " | failback after " + scenario.label, summary(failback));
                        }
                    } finally {
                        if (stress != null) {
                            stress.destroy();
                        }
                    }
                }
            }
        }
        System.out.println("\nService gap seen by a client polling the VIP every 10 ms (min / median / max ms over "
                + REPETITIONS + " runs)");
        rows.forEach((row, value) -> System.out.println(row + " | " + value));
    }

    private static int spuriousMoves(HaPair pair) {
        try (VipPoller poller = pair.bed.pollVip(HaPair.VIP).awaitAnswer(Duration.ofSeconds(10))) {
            TestBed.sleep(QUIET_SECONDS * 1000L);
            return poller.stop().servingHostChanges();
        }
    }

    /** Twice as many CPU hogs as cores, so keepalived competes for the CPU. */
    private static Process startStress() {
        try {
            int workers = 2 * Runtime.getRuntime().availableProcessors();
            return new ProcessBuilder("stress-ng", "--cpu", String.valueOf(workers), "--timeout", "900s", "--quiet")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stress-ng is needed for the loaded runs: .ci/benchmarks installs it", e);
        }
    }

    private static String summary(List<Long> gaps) {
        List<Long> sorted = gaps.stream().sorted().toList();
        return sorted.get(0) + " / " + sorted.get(sorted.size() / 2) + " / " + sorted.get(sorted.size() - 1);
    }
}
