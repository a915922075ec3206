package io.traefikha.step;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.Role;
import io.traefikha.domain.ServedName;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's Prometheus metrics, each tagged with the cluster as namespace/name. Names as scraped:
 * traefikha_reconcile_seconds, traefikha_reconcile_errors_total, traefikha_reconcile_failures_total (tags step, kind),
 * traefikha_failovers_total, traefikha_repairs_total (tag kind), traefikha_vip_holder and traefikha_node_healthy (tag
 * role; 1 or 0), traefikha_cluster_ready (1 or 0), traefikha_sync_lag_seconds, traefikha_node_health_failures (tag
 * role; consecutive reconciles that found Traefik unhealthy), traefikha_condition (tag type; 1 while True),
 * traefikha_drills_total (tags scenario, result) and the histogram traefikha_drill_gap_seconds (tags scenario, phase
 * failover|failback), traefikha_name_served (tag name; 1 while the moved name answered through the VIP at its last
 * check) and traefikha_certificate_expiry_seconds (tag name; when its certificate expires, Unix time).
 * The chart's alert rules and dashboard are written against these names (MonitoringTest checks them against a
 * real scrape).
 */
@ApplicationScoped
public class ReconcileMetrics {

    private static final Duration[] GAP_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
    private final Map<String, MultiGauge> multiGauges = new ConcurrentHashMap<>();

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void reconciled(TraefikHACluster resource, Duration took, boolean failed) {
        Timer.builder("traefikha.reconcile").description("Time one reconcile of a cluster took")
                .tag("cluster", cluster(resource)).register(registry).record(took);
        Counter errors = errors(resource);
        if (failed) {
            errors.increment();
        }
        failovers(resource); // exported from the first reconcile at 0, so increase() sees the first failover
    }

    /**
     * A reconcile that failed unforeseen (see {@link ReconcileFailure}): counted by step and exception class, and as a
     * reconcile error, so the alert on traefikha_reconcile_errors_total sees it too.
     */
    public void failed(TraefikHACluster resource, String step, String kind) {
        Counter.builder("traefikha.reconcile.failures").description("Reconciles that failed unforeseen, by step and exception")
                .tag("cluster", cluster(resource)).tag("step", step).tag("kind", kind).register(registry).increment();
        errors(resource).increment();
    }

    private Counter errors(TraefikHACluster resource) {
        return Counter.builder("traefikha.reconcile.errors")
                .description("Reconciles that ended with a failed action or an unforeseen failure")
                .tag("cluster", cluster(resource)).register(registry);
    }

    public void failover(TraefikHACluster resource) {
        failovers(resource).increment();
    }

    private Counter failovers(TraefikHACluster resource) {
        return Counter.builder("traefikha.failovers").description("VIP moves from one node to the other, as observed")
                .tag("cluster", cluster(resource)).register(registry);
    }

    /** A change made to bring the world back to the spec; {@code kind} names the action (StartContainer, WriteFile...). */
    public void repair(TraefikHACluster resource, String kind) {
        Counter.builder("traefikha.repairs").description("Changes the operator made, by kind")
                .tag("cluster", cluster(resource)).tag("kind", kind).register(registry).increment();
    }

    public void vipHolder(TraefikHACluster resource, Role role, boolean holds) {
        gauge("traefikha.vip.holder", "1 while the node holds the VIP", resource, role, holds);
    }

    public void nodeHealthy(TraefikHACluster resource, Role role, boolean healthy) {
        gauge("traefikha.node.healthy", "1 while Traefik on the node is healthy", resource, role, healthy);
        AtomicInteger failures = gauges.computeIfAbsent("traefikha.node.health.failures|" + cluster(resource) + "|"
                + role.label(), k -> {
                    AtomicInteger count = new AtomicInteger();
                    Gauge.builder("traefikha.node.health.failures", count, AtomicInteger::get)
                            .description("Consecutive reconciles that found Traefik on the node unhealthy (0 once healthy)")
                            .tag("cluster", cluster(resource)).tag("role", role.label()).register(registry);
                    return count;
                });
        if (healthy) {
            failures.set(0);
        } else {
            failures.incrementAndGet();
        }
    }

    /** Each condition reported this round: 1 while True, 0 while False (Unknown is not exported). */
    public void conditions(TraefikHACluster resource, List<Condition> conditions) {
        for (Condition condition : conditions) {
            if (Condition.TRUE.equals(condition.status) || Condition.FALSE.equals(condition.status)) {
                String key = "traefikha.condition|" + cluster(resource) + "|" + condition.type;
                gauges.computeIfAbsent(key, k -> {
                    AtomicInteger state = new AtomicInteger();
                    Gauge.builder("traefikha.condition", state, AtomicInteger::get)
                            .description("1 while the status condition is True, 0 while False")
                            .tag("cluster", cluster(resource)).tag("type", condition.type).register(registry);
                    return state;
                }).set(Condition.TRUE.equals(condition.status) ? 1 : 0);
            }
        }
    }

    /**
     * A drill that ended: counted by result; its service gaps (failover, and failback when measured) go into the
     * histogram, in buckets around the fast profile's ~160 ms and the seed profile's seconds.
     */
    public void drill(TraefikHACluster resource, DrillStatus drill) {
        String scenario = String.valueOf(drill.scenario);
        Counter.builder("traefikha.drills").description("Failover drills, by scenario and result")
                .tag("cluster", cluster(resource)).tag("scenario", scenario).tag("result", drill.result)
                .register(registry).increment();
        gap(resource, scenario, "failover", drill.gapMillis);
        gap(resource, scenario, "failback", drill.failbackGapMillis);
    }

    private void gap(TraefikHACluster resource, String scenario, String phase, Long millis) {
        if (millis == null) {
            return;
        }
        Timer.builder("traefikha.drill.gap").description("Longest time the VIP did not answer during a drill")
                .tag("cluster", cluster(resource)).tag("scenario", scenario).tag("phase", phase)
                .serviceLevelObjectives(GAP_BUCKETS).register(registry).record(Duration.ofMillis(millis));
    }

    /** How long a secondary's configuration has been behind the primary's, the longest of them (0 when all are equal). */
    public void syncLag(TraefikHACluster resource, Duration lag) {
        gauges.computeIfAbsent("traefikha.sync.lag|" + cluster(resource), k -> {
            AtomicInteger millis = new AtomicInteger();
            Gauge.builder("traefikha.sync.lag.seconds", millis, m -> m.get() / 1000.0)
                    .description("How long a secondary's configuration has been behind the primary's (the longest of them)")
                    .tag("cluster", cluster(resource)).register(registry);
            return millis;
        }).set((int) Math.min(Integer.MAX_VALUE, lag.toMillis()));
    }

    /** Each moved name's last check; names no longer moved are dropped from both gauges. */
    public void servedNames(TraefikHACluster resource, List<ServedName> latest) {
        String cluster = cluster(resource);
        multiGauges.computeIfAbsent("traefikha.name.served|" + cluster, k -> MultiGauge.builder("traefikha.name.served")
                .description("1 while the moved DNS name answered through the VIP at its last check, else 0")
                .tag("cluster", cluster).register(registry))
                .register(latest.stream().map(n -> MultiGauge.Row.of(Tags.of("name", n.name()), n.served() ? 1 : 0))
                        .toList(), true);
        multiGauges.computeIfAbsent("traefikha.certificate.expiry|" + cluster, k -> MultiGauge.builder(
                "traefikha.certificate.expiry.seconds").description("When the certificate a moved DNS name presented"
                        + " through the VIP expires (Unix time)").tag("cluster", cluster).register(registry))
                .register(latest.stream().filter(n -> n.notAfter() != null).map(n -> MultiGauge.Row.of(
                        Tags.of("name", n.name()), n.notAfter().getEpochSecond())).toList(), true);
    }

    public void ready(TraefikHACluster resource, boolean ready) {
        gauge("traefikha.cluster.ready", "1 while the cluster is Ready", resource, null, ready);
    }

    private void gauge(String name, String description, TraefikHACluster resource, Role role, boolean value) {
        String key = name + "|" + cluster(resource) + "|" + (role == null ? "" : role.label());
        gauges.computeIfAbsent(key, k -> {
            AtomicInteger state = new AtomicInteger();
            Gauge.Builder<AtomicInteger> builder = Gauge.builder(name, state, AtomicInteger::get).description(description)
                    .tag("cluster", cluster(resource));
            if (role != null) {
                builder.tag("role", role.label());
            }
            builder.register(registry);
            return state;
        }).set(value ? 1 : 0);
    }

    private static String cluster(TraefikHACluster resource) {
        return resource.id();
    }
}
