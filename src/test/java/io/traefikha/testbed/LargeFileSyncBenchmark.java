package io.traefikha.testbed;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import io.traefikha.domain.Role;
import io.traefikha.node.ConfigSync;
import io.traefikha.node.NodeSession;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A file larger than the operator's heap (1 GiB; the chart gives the operator about 230 MiB) synced in Push mode, the
 * mode whose bytes pass through the operator's JVM, by the operator's own code (one {@link ConfigSync} round over SSH on
 * the test bed). A sampler reads the heap in use after a GC every 200 ms while it syncs and prints the baseline before,
 * the maximum during and the value after: streamed, it stays flat. Prints; never asserts on time.
 * {@code .ci/benchmarks -Dtest=LargeFileSyncBenchmark [-Dbenchmark.largeFile.mib=1024]}
 */
@Tag("benchmark")
class LargeFileSyncBenchmark {

    private static final int MIB = Integer.getInteger("benchmark.largeFile.mib", 1024);
    private static final String FILE = "/etc/traefik/large.bin";
    private static final long SAMPLE_MILLIS = 200;

    @Test
    void printsTheHeapWhileALargeFileSyncs() throws Exception {
        try (HaPair pair = HaPair.create(); NodeSession primary = pair.open(Role.PRIMARY);
             NodeSession secondary = pair.open(Role.SECONDARY)) {
            pair.primary.exec("dd if=/dev/urandom of=" + FILE + " bs=1M count=" + MIB + " status=none").orThrow("writing " + FILE);
            SyncSpec spec = new SyncSpec();
            spec.mode = SyncMode.Push;
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

            long before = heapAfterGc(memory);
            AtomicLong max = new AtomicLong();
            AtomicInteger samples = new AtomicInteger();
            AtomicBoolean syncing = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (syncing.get()) {
                    max.accumulateAndGet(heapAfterGc(memory), Math::max);
                    samples.incrementAndGet();
                    TestBed.sleep(SAMPLE_MILLIS);
                }
            }, "heap-sampler");
            sampler.start();
            long started = System.nanoTime();
            SyncOutcome outcome = ConfigSync.round(primary, secondary, spec, SyncMemory.EMPTY, Set.of(), Instant.now());
            double seconds = (System.nanoTime() - started) / 1e9;
            syncing.set(false);
            sampler.join();
            long after = heapAfterGc(memory);

            String onPrimary = pair.primary.exec("sha256sum " + FILE).stdout().split(" ")[0];
            String onSecondary = pair.secondary.exec("sha256sum " + FILE).stdout().split(" ")[0];
            if (!onPrimary.equals(onSecondary) || !outcome.push().copied().contains(FILE)) {
                throw new IllegalStateException("the file did not arrive whole: " + outcome.configInSync());
            }
            System.out.printf("=== Push sync of a %d MiB file through the operator's JVM (max heap %d MiB) ===%n", MIB,
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("synced in %.1f s (%.0f MiB/s), %d heap samples every %d ms after a GC%n", seconds,
                    MIB / seconds, samples.get(), SAMPLE_MILLIS);
            System.out.printf("heap used: before %.1f MiB | max during %.1f MiB | after %.1f MiB | max - before %.1f MiB%n",
                    mib(before), mib(max.get()), mib(after), mib(max.get() - before));
        }
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
