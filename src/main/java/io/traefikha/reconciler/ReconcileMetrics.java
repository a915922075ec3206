package io.traefikha.reconciler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.traefikha.api.TraefikHACluster;
import io.traefikha.keepalived.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's Prometheus metrics, each tagged with the cluster as namespace/name. Names as scraped:
 * traefikha_reconcile_seconds, traefikha_reconcile_errors_total, traefikha_failovers_total, traefikha_repairs_total
 * (tag kind), traefikha_vip_holder and traefikha_node_healthy (tag role; 1 or 0), traefikha_cluster_ready (1 or 0),
 * traefikha_sync_lag_seconds.
 * The chart's alert rules and dashboard are written against these names.
 */
@ApplicationScoped
public class ReconcileMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void reconciled(TraefikHACluster resource, Duration took, boolean failed) {
        Timer.builder("traefikha.reconcile").description("Time one reconcile of a cluster took")
                .tag("cluster", cluster(resource)).register(registry).record(took);
        if (failed) {
            Counter.builder("traefikha.reconcile.errors").description("Reconciles that ended with a failed action")
                    .tag("cluster", cluster(resource)).register(registry).increment();
        }
    }

    public void failover(TraefikHACluster resource) {
        Counter.builder("traefikha.failovers").description("VIP moves from one node to the other, as observed")
                .tag("cluster", cluster(resource)).register(registry).increment();
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
    }

    /** How long the secondary's configuration has been behind the primary's (0 when equal). */
    public void syncLag(TraefikHACluster resource, Duration lag) {
        gauges.computeIfAbsent("traefikha.sync.lag|" + cluster(resource), k -> {
            AtomicInteger millis = new AtomicInteger();
            Gauge.builder("traefikha.sync.lag.seconds", millis, m -> m.get() / 1000.0)
                    .description("How long the secondary's configuration has been behind the primary's")
                    .tag("cluster", cluster(resource)).register(registry);
            return millis;
        }).set((int) Math.min(Integer.MAX_VALUE, lag.toMillis()));
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
        return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }
}
