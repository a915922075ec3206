package io.traefikha.step;

import io.traefikha.planner.DrillTimeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Probes the VIP every {@link #INTERVAL_MILLIS} ms on its own thread while a drill breaks and repairs a node, so the
 * reconcile thread can stop and start services and watch the nodes meanwhile. Bounded in time and so in count; it
 * stops by itself at the bound even if nobody calls {@link #stop()}.
 */
final class VipGapSampler {

    static final int INTERVAL_MILLIS = 10;

    private final VipProber prober;
    private final long startNanos = System.nanoTime();
    private final long maxNanos;
    private final List<DrillTimeline.Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile RuntimeException failure;

    private VipGapSampler(VipProber prober, Duration max) {
        this.prober = prober;
        this.maxNanos = max.toNanos();
        this.thread = new Thread(this::sample, "drill-vip-probe");
        thread.setDaemon(true);
    }

    static VipGapSampler start(VipProber prober, Duration max) {
        VipGapSampler sampler = new VipGapSampler(prober, max);
        sampler.thread.start();
        return sampler;
    }

    /** Milliseconds since the sampler started, on the samples' clock. */
    long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void sample() {
        long next = System.nanoTime();
        try {
            while (!stopping && System.nanoTime() - startNanos < maxNanos) {
                boolean answered = prober.answers();
                synchronized (samples) {
                    samples.add(new DrillTimeline.Sample(now(), answered));
                }
                next += INTERVAL_MILLIS * 1_000_000L;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Stops probing and returns what was seen; a prober that broke is reported as its exception. */
    DrillTimeline stop() {
        stopping = true;
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        synchronized (samples) {
            return new DrillTimeline(List.copyOf(samples));
        }
    }
}
