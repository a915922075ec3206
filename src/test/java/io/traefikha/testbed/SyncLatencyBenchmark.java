package io.traefikha.testbed;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.node.ConfigSync;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.NodeSession;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.step.LsyncdStep;
import io.traefikha.sync.SyncKeyPair;
import io.traefikha.sync.SyncMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Change-to-present latency on the test bed: a route file written on the primary until it is on the secondary, in Push
 * mode (one operator round: list both, copy, verify) and in Lsyncd mode as the operator installs it (through its SSH
 * gateway), for each delay in {@code benchmark.lsyncd.delays} (default: the spec's default, then 2s for comparison),
 * idle and with the machine under CPU load (stress-ng). Target: under 1 s under load in Lsyncd mode with the default
 * delay. Prints; never asserts on time.
 * {@code .ci/benchmarks -Dtest=SyncLatencyBenchmark -Dbenchmark.repetitions=5 -Dbenchmark.lsyncd.delays=1s,500ms}
 */
@Tag("benchmark")
class SyncLatencyBenchmark {

    private static final String LSYNCD_LOG = "/var/log/lsyncd/lsyncd.log";
    private static final int REPETITIONS = Integer.getInteger("benchmark.repetitions", 5);
    private static final List<String> DELAYS = List.of(System.getProperty("benchmark.lsyncd.delays",
            new SyncSpec().delay + ",2s").split(","));

    @Test
    void printsChangeToPresentLatency() {
        E2ePrerequisites.requireExecutable("lsyncd", "lsyncd");
        E2ePrerequisites.requireExecutable("rsync", "rsync");
        try (HaPair pair = HaPair.create(); NodeSession primary = pair.open(Role.PRIMARY);
             NodeSession secondary = pair.open(Role.SECONDARY)) {
            SyncSpec push = new SyncSpec();
            push.mode = SyncMode.Push;
            SyncMemory[] memory = {SyncMemory.EMPTY};
            List<Long> pushMillis = measure(pair, "push", () ->
                    memory[0] = ConfigSync.round(primary, secondary, push, memory[0], Set.of(), Instant.now()).memory());

            Map<String, List<Long>> lsyncdMillis = new LinkedHashMap<>();
            TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
            SyncKeyPair key = SyncKeyPair.generate();
            try (SshNodeGateway nodes = new SshNodeGateway(pair.access, spec, pair.bed.ed25519Key(), Map.of(
                    Role.PRIMARY, new HostKeyPolicy.TrustOnFirstUse(pair.primary.hostKeyFingerprint()),
                    Role.SECONDARY, new HostKeyPolicy.TrustOnFirstUse(pair.secondary.hostKeyFingerprint())),
                    ConfigSyncE2ETest.BED_AUTHORIZED_KEYS)) {
                for (String delay : DELAYS) {
                    spec.sync.delay = delay;
                    LsyncdStep.keepInPlace(nodes, spec.sync, "bench", key); // a changed delay rewrites the config and restarts lsyncd
                    int startups = lsyncdMillis.size() + 1;
                    HaPair.await(Duration.ofSeconds(15), () -> pair.primary.exists(LSYNCD_LOG) && pair.primary
                            .readFile(LSYNCD_LOG).lines().filter(line -> line.contains("Startup of")).count() >= startups);
                    TestBed.sleep(1000); // lsyncd's startup sync is done
                    String label = "lsyncd" + delay.replace(".", "");
                    lsyncdMillis.put(delay + ", idle", measure(pair, label + "idle", () -> { }));
                    try (CpuStress stress = CpuStress.start()) {
                        lsyncdMillis.put(delay + ", under load", measure(pair, label + "loaded", () -> { }));
                    }
                }
            }

            System.out.println("=== sync change-to-present latency, " + REPETITIONS + " runs (min / median / max ms) ===");
            System.out.println("Push   (one operator round)             | " + summary(pushMillis));
            lsyncdMillis.forEach((delay, millis) ->
                    System.out.println("Lsyncd (delay " + delay + ")" + " ".repeat(Math.max(0, 26 - delay.length()))
                            + "| " + summary(millis)));
        }
    }
    /** @param afterWrite what the operator does once the file is written (a push round; nothing for lsyncd) */
    private static List<Long> measure(HaPair pair, String label, Runnable afterWrite) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < REPETITIONS; i++) {
            String path = "/etc/traefik/dynamic/" + label + "-" + i + ".yml";
            long written = System.nanoTime();
            pair.primary.write(path, ConfigSyncE2ETest.route(label + i + ".internal"), "644");
            afterWrite.run();
            if (!HaPair.await(Duration.ofSeconds(15), () -> pair.secondary.exists(path))) {
                throw new IllegalStateException(path + " did not reach the secondary within 15 s (" + label + ")");
            }
            millis.add((System.nanoTime() - written) / 1_000_000);
            TestBed.sleep(500);
        }
        return millis;
    }

    private static String summary(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get(0) + " / " + sorted.get(sorted.size() / 2) + " / " + sorted.get(sorted.size() - 1) + "   " + millis;
    }
}
