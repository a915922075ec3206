package io.traefikha.testbed;

import io.traefikha.api.SyncSpec;
import io.traefikha.api.SyncSpec.SyncMode;
import io.traefikha.keepalived.Role;
import io.traefikha.node.NodeSession;
import io.traefikha.sync.ConfigSync;
import io.traefikha.sync.LsyncdFiles;
import io.traefikha.sync.LsyncdInstaller;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import io.traefikha.sync.SyncMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Change-to-present latency on the test bed: a route file written on the primary until it is on the secondary, in Push
 * mode (one operator round: list both, copy, verify) and in Lsyncd mode (delay 2s, the default). Prints; never asserts
 * on time. {@code ./mvnw verify -Pbenchmark -Dtest=SyncLatencyBenchmark -Dbenchmark.repetitions=5}
 */
@Tag("benchmark")
class SyncLatencyBenchmark {

    private static final int REPETITIONS = Integer.getInteger("benchmark.repetitions", 5);

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

            SyncSpec lsyncd = new SyncSpec();
            SyncKeyPair key = SyncKeyPair.generate();
            LsyncdFiles files = LsyncdRenderer.render(lsyncd, "bench", HaPair.PRIMARY_ADDRESS, HaPair.SECONDARY_ADDRESS, 22,
                    LsyncdInstaller.readHostKeys(secondary), key);
            LsyncdInstaller.installOnSecondary(secondary, files, ConfigSyncE2ETest.BED_AUTHORIZED_KEYS);
            LsyncdInstaller.installOnPrimary(primary, files, key);
            HaPair.await(Duration.ofSeconds(15), () -> pair.primary.exists("/var/log/lsyncd/lsyncd.status"));
            List<Long> lsyncdMillis = measure(pair, "lsyncd", () -> { });

            System.out.println("=== sync change-to-present latency, " + REPETITIONS + " runs (min / median / max ms) ===");
            System.out.println("Push   (one operator round) | " + summary(pushMillis));
            System.out.println("Lsyncd (delay " + lsyncd.delay + ")            | " + summary(lsyncdMillis));
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
