package io.traefikha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.proxmox.ProxmoxApiGateway;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.http.TlsTrust;
import io.traefikha.reconciler.BenchmarkSupport;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ContainerEvent;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.step.ClusterReconciliation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reconcile chain against the Proxmox simulator (through the real client) and in-memory nodes: time from a lone
 * primary to Ready, per simulated task duration; the Proxmox calls and node round trips of a steady-state reconcile;
 * 50 resources at once by number of reconcile threads; and the time to detect and to repair each kind of drift.
 * Prints numbers; asserts only that the runs happened.
 * Run: .ci/benchmarks -Dtest=ReconcileBenchmark (one of them: -Dtest='ReconcileBenchmark#fiftyResourcesAtOnce';
 * -Dbench.resources=N)
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
@Tag("benchmark")
class ReconcileBenchmark {

    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final String SECONDARY_NODE = "proxmox2";
    private static final int SECONDARY_VMID = 111;

    @Test
    void createToReadyAndSteadyStateCost() {
        System.out.printf("%n=== reconcile chain against the Proxmox simulator (median of %d runs) ===%n", RUNS);
        System.out.printf("%-28s %14s %10s %22s %22s%n", "simulated task duration", "create->Ready", "rounds",
                "Proxmox calls/steady", "node round trips/steady");
        for (Duration task : List.of(Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(2))) {
            List<Long> millis = new ArrayList<>();
            Result last = null;
            for (int i = 0; i < RUNS; i++) {
                last = run(task);
                millis.add(last.createToReadyMillis);
            }
            millis.sort(Long::compare);
            System.out.printf("%-28s %11d ms %10d %22d %22d%n", task.toMillis() + " ms", millis.get(millis.size() / 2),
                    last.rounds, last.proxmoxCallsPerSteadyReconcile, last.nodeRoundTripsPerSteadyReconcile);
            assertThat(last.rounds).isPositive();
        }
        System.out.println("(reconcile work only: the operator's 5 s busy period between rounds is not included;"
                + " node round trips = one probe per node and one per action (the steady config sync compares the trees the"
                + " probes reported); Proxmox calls of a steady reconcile that is not the periodic full read, every "
                + ProxmoxApiGateway.DEFAULT_FULL_READ_EVERY + " reconciles by default)");
    }

    record Result(long createToReadyMillis, int rounds, int proxmoxCallsPerSteadyReconcile, int nodeRoundTripsPerSteadyReconcile) {
    }

    private static Result run(Duration taskDuration) {
        try (Harness pair = Harness.start(taskDuration, Duration.ZERO)) {
            long start = System.nanoTime();
            int rounds = pair.reconcileUntilReady();
            long createToReady = (System.nanoTime() - start) / 1_000_000;
            pair.support.reconcileOnce(pair.chain); // the first look after the last change still reads everything

            int callsBefore = pair.proxmox.exchanges().size();
            int nodeTripsBefore = pair.support.nodeRoundTrips();
            pair.support.reconcileOnce(pair.chain);
            return new Result(createToReady, rounds, pair.proxmox.exchanges().size() - callsBefore,
                    pair.support.nodeRoundTrips() - nodeTripsBefore);
        }
    }

    private static final int FLEET = Integer.getInteger("bench.resources", 50);

    /**
     * FLEET resources created at once against one Proxmox simulator (one shared client, as the operator shares it),
     * each with its own in-memory nodes, reconciled by a fixed pool as JOSDK's executor does (50 threads by default,
     * quarkus.operator-sdk.concurrent-reconciliation-threads): the time until every one is Ready, and then what one
     * period costs per resource.
     */
    @Test
    void fiftyResourcesAtOnce() throws Exception {
        System.out.printf("%n=== %d resources at once against the Proxmox simulator (50 ms tasks, no busy period,"
                + " %d cores) ===%n", FLEET, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-26s %14s %12s %26s %28s%n", "reconcile threads", "all Ready s", "max rounds",
                "Proxmox calls/resource/period", "SSH round trips/resource/period");
        for (int threads : List.of(4, 8, FLEET)) { // the default last: it does not profit from the others' warm-up
            FleetResult r = fleetRun(threads);
            System.out.printf("%-26s %14.1f %12d %26.1f %28.1f%n", threads + (threads == FLEET ? " (JOSDK's default)" : ""),
                    r.seconds(), r.maxRounds(), r.proxmoxCallsPerResource(), r.roundTripsPerResource());
        }
        System.out.println("(a round here is one reconcile; the operator waits its 5 s busy period between a resource's"
                + " rounds, so add (rounds - 1) x 5 s; SSH round trips = node probes + node actions, the steady sync"
                + " compares the trees the probes reported and costs none, see SteadyStateRoundTripsE2ETest)");
    }

    /** Seconds until all Ready, the most rounds one resource took, Proxmox calls and SSH round trips per resource. */
    record FleetResult(double seconds, int maxRounds, double proxmoxCallsPerResource, double roundTripsPerResource) {
    }

    private static FleetResult fleetRun(int threads) throws Exception {
        ProxmoxSimulator.Builder builder = ProxmoxSimulator.homelab().taskDuration(TASK);
        for (int n = 1; n < FLEET; n++) {
            builder.container(FLEET_PRIMARY + n, "proxmox", true, fleetPrimaryConfig(n));
        }
        List<Harness> fleet = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ProxmoxSimulator proxmox = builder.start()) {
            ProxmoxClient client = Harness.clientOf(proxmox);
            for (int n = 0; n < FLEET; n++) {
                fleet.add(new Harness(proxmox, client, fleetResource(n), false));
            }
            long start = System.nanoTime();
            List<Future<Integer>> rounds = new ArrayList<>();
            for (Harness pair : fleet) {
                rounds.add(pool.submit(pair::reconcileUntilReady));
            }
            int maxRounds = 0;
            for (Future<Integer> r : rounds) {
                maxRounds = Math.max(maxRounds, r.get(10, TimeUnit.MINUTES));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Harness pair : fleet) { // the first look after the last change still reads everything
                pair.support.reconcileOnce(pair.chain);
            }
            int callsBefore = proxmox.exchanges().size();
            int tripsBefore = fleet.stream().mapToInt(h -> h.support.nodeRoundTrips()).sum();
            List<Future<?>> period = new ArrayList<>();
            for (Harness pair : fleet) {
                period.add(pool.submit(() -> pair.support.reconcileOnce(pair.chain)));
            }
            for (Future<?> f : period) {
                f.get(10, TimeUnit.MINUTES);
            }
            assertThat(fleet).allMatch(Harness::ready);
            double calls = (proxmox.exchanges().size() - callsBefore) / (double) FLEET;
            double trips = (fleet.stream().mapToInt(h -> h.support.nodeRoundTrips()).sum() - tripsBefore) / (double) FLEET;
            return new FleetResult(seconds, maxRounds, calls, trips);
        } finally {
            pool.shutdownNow();
        }
    }

    private static final int FLEET_PRIMARY = 1000;

    /** Resource 0 is the example homelab (CT 110/111); resource n has CTs 1000+n/2000+n and the network 10.0.n.0/24. */
    private static TraefikHACluster fleetResource(int n) {
        TraefikHACluster resource = ExampleSpecs.homelab();
        if (n == 0) {
            return resource;
        }
        resource.getMetadata().setName("traefik-" + n);
        resource.getMetadata().setUid(String.format("be0c4000-0000-4000-8000-%012d", n));
        TraefikHAClusterSpec spec = resource.getSpec();
        spec.primary.vmid = FLEET_PRIMARY + n;
        spec.primary.hostname = "traefik-" + n;
        spec.primary.address = "10.0." + n + ".10/24";
        spec.secondary.vmid = 2 * FLEET_PRIMARY + n;
        spec.secondary.hostname = "traefik-" + n + "-b";
        spec.secondary.address = "10.0." + n + ".11/24";
        spec.vip.address = "10.0." + n + ".100/24";
        spec.vip.virtualRouterId = n;
        spec.network.gateway = "10.0." + n + ".1";
        return resource;
    }

    private static Map<String, String> fleetPrimaryConfig(int n) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("arch", "amd64");
        config.put("cores", "2");
        config.put("features", "nesting=1");
        config.put("hostname", "traefik-" + n);
        config.put("memory", "2048");
        config.put("net0", String.format("name=eth0,bridge=vmbr0,gw=10.0.%d.1,hwaddr=BC:24:11:5F:%02X:10,ip=10.0.%d.10/24,"
                + "type=veth", n, n, n));
        config.put("onboot", "1");
        config.put("ostype", "debian");
        config.put("rootfs", "local-lvm:vm-" + (FLEET_PRIMARY + n) + "-disk-0,size=20G");
        config.put("unprivileged", "1");
        return config;
    }

    /** The drifts of the self-healing list: how to cause each, and when it counts as repaired. */
    enum Drift {
        SECONDARY_STOPPED("secondary stopped (Proxmox API)", h -> h.proxmoxTask(h.client.stop(SECONDARY_NODE, SECONDARY_VMID)),
                h -> h.proxmox.isRunning(SECONDARY_VMID) && h.ready()),
        SECONDARY_DELETED("secondary deleted (Proxmox API)", h -> {
            h.proxmoxTask(h.client.stop(SECONDARY_NODE, SECONDARY_VMID));
            h.proxmoxTask(h.client.deleteContainer(SECONDARY_NODE, SECONDARY_VMID, true, false));
        }, Harness::ready),
        KEEPALIVED_STOPPED("keepalived stopped on the secondary", h -> h.onNode(Role.SECONDARY, n -> {
            n.active = false;
            n.vip = false;
            n.state = "STOP";
        }), Harness::ready),
        CONFIG_EDITED("keepalived.conf edited on the secondary", h -> h.onNode(Role.SECONDARY,
                n -> n.files.put(KeepalivedPaths.CONFIG, "edited by hand")),
                h -> h.ready() && h.support.renderedHash(Role.SECONDARY, KeepalivedPaths.CONFIG)
                        .equals(h.node(Role.SECONDARY).files.get(KeepalivedPaths.CONFIG))),
        VIP_ON_BOTH_STALE("VIP on both (stale after a crash)", h -> h.onNode(Role.SECONDARY, n -> {
            n.active = false; // keepalived died hard as MASTER: the address stays
            n.vip = true;
            n.state = "MASTER";
        }), Harness::ready),
        VIP_ON_BOTH_ADVERTS("VIP on both (adverts blocked)", h -> h.support.nodes().blockAdverts(true),
                h -> h.node(Role.PRIMARY).vip && !h.node(Role.SECONDARY).vip),
        VIP_ON_NONE("VIP on none (keepalived stopped on both)", h -> {
            for (Role role : Role.pair()) {
                h.onNode(role, n -> {
                    n.active = false;
                    n.vip = false;
                    n.state = "STOP";
                });
            }
        }, Harness::ready);

        final String label;
        final java.util.function.Consumer<Harness> cause;
        final Predicate<Harness> repaired;

        Drift(String label, java.util.function.Consumer<Harness> cause, Predicate<Harness> repaired) {
            this.label = label;
            this.cause = cause;
            this.repaired = repaired;
        }
    }

    /** Scaled-down periods so a run takes seconds; the times scale with them (see the printed note). */
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final Duration BUSY_PERIOD = Duration.ofMillis(200);
    private static final Duration STATS_INTERVAL = Duration.ofSeconds(1);
    private static final Duration TASK = Duration.ofMillis(50);

    @Test
    void timeToDetectAndRepairEachDrift() throws Exception {
        System.out.printf("%n=== drift: time to detect and to repair (median of %d runs) ===%n", RUNS);
        System.out.printf("period %d ms, busy period %d ms, cluster view broadcast every %d ms, Proxmox tasks %d ms;"
                + " drift injected at a random point of the period%n", PERIOD.toMillis(), BUSY_PERIOD.toMillis(),
                STATS_INTERVAL.toMillis(), TASK.toMillis());
        System.out.printf("%-44s %12s %12s%n", "drift", "detect ms", "repair ms");
        for (Drift drift : Drift.values()) {
            List<Long> detect = new ArrayList<>();
            List<Long> repair = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                long[] times = measure(drift);
                detect.add(times[0]);
                repair.add(times[1]);
            }
            System.out.printf("%-44s %12d %12d%n", drift.label, median(detect), median(repair));
            assertThat(repair).hasSize(RUNS);
        }
        System.out.println("(detect = end of the first reconcile that reported or repaired it; repair = end of the"
                + " reconcile after which the pair is Ready again, or for blocked adverts the VIP is on the primary"
                + " alone. With the default 15 s period, 5 s busy period and pvestatd's 10 s broadcast, expect detection"
                + " within one period and repair one to three busy periods later)");
    }

    /** Drift injected into a Ready pair kept by a reconcile loop; returns {detect, repair} in ms since the drift. */
    private static long[] measure(Drift drift) throws Exception {
        try (Harness pair = Harness.start(TASK, STATS_INTERVAL)) {
            pair.reconcileUntilReady();
            pair.loop();
            Thread.sleep(ThreadLocalRandom.current().nextLong(PERIOD.toMillis()) + PERIOD.toMillis());
            drift.cause.accept(pair);
            pair.watch(drift.repaired);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (pair.repairedAt == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pair.repairedAt).as(drift.label + " repaired within 60 s").isPositive();
            return new long[] {(pair.detectedAt - pair.driftAt) / 1_000_000, (pair.repairedAt - pair.driftAt) / 1_000_000};
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        return sorted.get(sorted.size() / 2);
    }

    /**
     * The Proxmox simulator, in-memory nodes that follow their containers' power (a stopped CT's node does not answer,
     * a started one boots keepalived if enabled, a new clone has no keepalived yet), and the chain over them.
     */
    private static final class Harness implements AutoCloseable {
        final ProxmoxSimulator proxmox;
        final ProxmoxClient client;
        final TraefikHACluster resource;
        final BenchmarkSupport support;
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final ClusterReconciliation chain = new ClusterReconciliation(BenchmarkSupport.silentEvents(),
                BenchmarkSupport.metrics(registry), Clock.systemUTC(), Duration.ZERO);
        private ScheduledExecutorService loop;
        volatile long driftAt;
        volatile long detectedAt;
        volatile long repairedAt;
        private volatile Predicate<Harness> repaired;
        private double repairsAtDrift;

        private final boolean ownsSimulator;
        private final int secondaryVmid;

        /** The resource against this simulator over this client (one client per Proxmox, as the operator shares it). */
        private Harness(ProxmoxSimulator proxmox, ProxmoxClient client, TraefikHACluster resource, boolean ownsSimulator) {
            this.proxmox = proxmox;
            this.client = client;
            this.resource = resource;
            this.ownsSimulator = ownsSimulator;
            this.secondaryVmid = resource.getSpec().secondary.vmid;
            if (resource.getMetadata().getUid() == null) {
                resource.getMetadata().setUid("be0c4000-0000-4000-8000-000000000001");
            }
            resource.getMetadata().setGeneration(1L);
            support = new BenchmarkSupport(resource, new ProxmoxApiGateway(client,
                    new TaskWaiter(client, Duration.ofMillis(20), Duration.ofMillis(200), 10), resource.getSpec(),
                    Duration.ofMinutes(2)));
            proxmox.addListener(this::followContainer);
        }

        /** The example homelab on a simulator of its own. */
        static Harness start(Duration task, Duration stats) {
            ProxmoxSimulator proxmox = ProxmoxSimulator.homelab().taskDuration(task).statsInterval(stats).start();
            return new Harness(proxmox, clientOf(proxmox), ExampleSpecs.homelab(), true);
        }

        static ProxmoxClient clientOf(ProxmoxSimulator proxmox) {
            return ProxmoxClient.create(ProxmoxConnection.of(proxmox.baseUrl(), proxmox.tokenId(), proxmox.tokenSecret(),
                    TlsTrust.fingerprint(proxmox.fingerprint())));
        }

        private void followContainer(ContainerEvent event) {
            if (event.vmid() != secondaryVmid) {
                return;
            }
            SimulatedNodes nodes = support.nodes();
            synchronized (nodes) {
                if (event.type() == ContainerEvent.Type.DESTROYED) {
                    nodes.nodes.put(Role.SECONDARY, new SimulatedNodes.Node());
                    nodes.nodes.get(Role.SECONDARY).reachable = false;
                } else if (event.type() == ContainerEvent.Type.STOPPED) {
                    SimulatedNodes.Node node = nodes.nodes.get(Role.SECONDARY);
                    node.reachable = false;
                    node.active = false;
                    node.vip = false;
                } else if (event.type() == ContainerEvent.Type.STARTED) {
                    SimulatedNodes.Node node = nodes.nodes.get(Role.SECONDARY);
                    node.reachable = true;
                    node.active = node.enabled;
                }
                nodes.elect();
            }
        }

        int reconcileUntilReady() {
            int rounds = 0;
            while (rounds < 20 && !ready()) {
                support.reconcileOnce(chain);
                rounds++;
            }
            assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
            return rounds;
        }

        boolean ready() {
            return resource.getStatus() != null && resource.getStatus().phase == ClusterPhase.Ready;
        }

        SimulatedNodes.Node node(Role role) {
            return support.nodes().nodes.get(role);
        }

        void onNode(Role role, java.util.function.Consumer<SimulatedNodes.Node> change) {
            SimulatedNodes nodes = support.nodes();
            synchronized (nodes) {
                change.accept(nodes.nodes.get(role));
            }
        }

        void proxmoxTask(io.traefikha.proxmox.Upid upid) {
            TaskWaiter.withDefaults(client).await(upid, Duration.ofSeconds(30));
        }

        /** Reconciles on its own thread as the operator does: after each, waits the period (or the busy period). */
        void loop() {
            loop = Executors.newSingleThreadScheduledExecutor();
            loop.execute(new Runnable() {
                @Override
                public void run() {
                    Duration next = support.reconcileOnce(chain, PERIOD);
                    judge();
                    loop.schedule(this, (next.isZero() ? BUSY_PERIOD : next).toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        }

        /** From now on, the loop notes when the drift was first noticed and when it was repaired. */
        void watch(Predicate<Harness> isRepaired) {
            repairsAtDrift = repairs();
            driftAt = System.nanoTime();
            repaired = isRepaired;
        }

        private void judge() {
            if (repaired == null) {
                return;
            }
            long now = System.nanoTime();
            if (detectedAt == 0 && (!ready() || repairs() > repairsAtDrift)) {
                detectedAt = now;
            }
            if (detectedAt != 0 && repairedAt == 0 && repaired.test(this)) {
                repairedAt = now;
            }
        }

        private double repairs() {
            return registry.find("traefikha.repairs").counters().stream().mapToDouble(Counter::count).sum();
        }

        @Override
        public void close() {
            if (loop != null) {
                loop.shutdownNow();
                try {
                    loop.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (ownsSimulator) {
                proxmox.close();
            }
        }
    }
}
