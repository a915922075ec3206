package io.traefikha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.traefikha.api.ClusterPhase;
import io.traefikha.api.ExampleSpecs;
import io.traefikha.api.TraefikHACluster;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.proxmox.TlsTrust;
import io.traefikha.reconciler.BenchmarkSupport;
import io.traefikha.reconciler.ClusterReconciliation;
import io.traefikha.reconciler.ProxmoxApiGateway;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reconcile chain against the Proxmox simulator (through the real client) and in-memory nodes: time from a lone
 * primary to Ready, per simulated task duration, and the Proxmox calls and node round trips of a steady-state
 * reconcile. Prints numbers; asserts only that the runs happened. Run: ./mvnw verify -Pbenchmark -Dtest=ReconcileBenchmark
 */
@Tag("benchmark")
class ReconcileBenchmark {

    private static final int RUNS = Integer.getInteger("bench.runs", 3);

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
                + " node round trips = one probe per node plus one per action)");
    }

    record Result(long createToReadyMillis, int rounds, int proxmoxCallsPerSteadyReconcile, int nodeRoundTripsPerSteadyReconcile) {
    }

    private static Result run(Duration taskDuration) {
        try (ProxmoxSimulator proxmox = ProxmoxSimulator.homelab().taskDuration(taskDuration).statsInterval(Duration.ZERO).start()) {
            ProxmoxClient client = ProxmoxClient.create(ProxmoxConnection.of(proxmox.baseUrl(), proxmox.tokenId(),
                    proxmox.tokenSecret(), TlsTrust.fingerprint(proxmox.fingerprint())));
            TraefikHACluster resource = ExampleSpecs.homelab();
            resource.getMetadata().setUid("be0c4000-0000-4000-8000-000000000001");
            resource.getMetadata().setGeneration(1L);
            BenchmarkSupport nodes = new BenchmarkSupport(resource,
                    new ProxmoxApiGateway(client, new TaskWaiter(client, Duration.ofMillis(20), Duration.ofMillis(200), 10),
                            resource.getSpec(), Duration.ofMinutes(2), false, false));
            ClusterReconciliation chain = new ClusterReconciliation(BenchmarkSupport.silentEvents(),
                    BenchmarkSupport.metrics(new SimpleMeterRegistry()), Clock.systemUTC(), Duration.ZERO);

            long start = System.nanoTime();
            int rounds = 0;
            while (rounds < 20 && (resource.getStatus() == null || resource.getStatus().phase != ClusterPhase.Ready)) {
                nodes.reconcileOnce(chain);
                rounds++;
            }
            long createToReady = (System.nanoTime() - start) / 1_000_000;
            assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);

            int callsBefore = proxmox.exchanges().size();
            int nodeTripsBefore = nodes.nodeRoundTrips();
            nodes.reconcileOnce(chain);
            return new Result(createToReady, rounds, proxmox.exchanges().size() - callsBefore,
                    nodes.nodeRoundTrips() - nodeTripsBefore);
        }
    }
}
