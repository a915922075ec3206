package io.traefikha.testbed;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.dns.DnsProvider;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NameChecker;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.planner.DurableState;
import io.traefikha.node.NodeAccess;
import io.traefikha.node.SshKey;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.proxmox.ProxmoxApi;
import io.traefikha.proxmox.ProxmoxApiGateway;
import io.traefikha.proxmox.TaskWaiter;

import io.traefikha.reconciler.FixedConnections;
import io.traefikha.reconciler.MemoryStateStore;
import io.traefikha.reconciler.RecordingEvents;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.step.StatusAggregator;
import io.traefikha.step.EntryPointProber;
import io.traefikha.step.VipProber;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * The operator's reconcile chain run as the operator runs it, outside Quarkus: {@link ClusterReconciliation} with the
 * real Proxmox gateway and the real SSH node gateway, the status of one reconcile read by the next, the host keys
 * pinned from status, and the next reconcile after what the chain asks for. It runs on its own thread, bounded in
 * rounds and time, and publishes each round's status for the test to wait on.
 */
final class OperatorLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OperatorLoop.class);
    private static final Duration TASK_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ROUNDS = 2_000;
    private static final Duration MAX_RUN = Duration.ofMinutes(10);

    final RecordingEvents events = new RecordingEvents();
    private final TraefikHACluster resource;
    private final ProxmoxApi proxmox;
    private final TaskWaiter tasks;
    private final NodeAccess access;
    private final SshKey key;
    private final Duration period;
    /** The drill's 10 ms probe of the VIP, from inside the bed (the operator's own prober cannot reach it). */
    private final VipProber vipProber;
    private final EntryPointProber entryPointProber;
    /** spec.dns's server, with the ownership registry that outlives the rounds as its ConfigMap does. */
    private final Optional<DnsProvider> dns;
    private final FixedConnections.MemoryRegistry dnsRegistry = new FixedConnections.MemoryRegistry();
    /** Where the moved names are asked from (the bed's client namespace); empty: as FixedConnections answers them. */
    private final Optional<NameChecker> names;
    private final Map<Role, List<ManagedFile>> files;
    private final ClusterReconciliation reconciliation;
    private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    private final List<Long> roundMillis = new CopyOnWriteArrayList<>();
    private final MemoryStateStore state = new MemoryStateStore();
    private final Object roundLock = new Object();
    private final Thread thread;
    private volatile TraefikHAClusterStatus status = new TraefikHAClusterStatus();
    private volatile boolean running = true;

    /**
     * @param period what a quiet reconcile asks for (the operator's traefikha.reconcile.period)
     * @param busyPeriod how soon to look again while something is under way (traefikha.reconcile.busy-period)
     */
    OperatorLoop(TraefikHACluster resource, ProxmoxApi proxmox, TaskWaiter tasks, NodeAccess access, SshKey key,
            Duration period, Duration busyPeriod, VipProber vipProber, EntryPointProber entryPointProber) {
        this(resource, proxmox, tasks, access, key, period, busyPeriod, vipProber, entryPointProber, Optional.empty(),
                Optional.empty());
    }

    /** With spec.dns's server and the moved names asked through NAMES. */
    OperatorLoop(TraefikHACluster resource, ProxmoxApi proxmox, TaskWaiter tasks, NodeAccess access, SshKey key,
            Duration period, Duration busyPeriod, VipProber vipProber, EntryPointProber entryPointProber,
            Optional<DnsProvider> dns, Optional<NameChecker> names) {
        this.dns = dns;
        this.names = names;
        this.vipProber = vipProber;
        this.entryPointProber = entryPointProber;
        this.resource = resource;
        this.proxmox = proxmox;
        this.tasks = tasks;
        this.access = access;
        this.key = key;
        this.period = period;
        // VRRPv3 (the spec's version) has no password.
        this.files = KeepalivedNodeFiles.render(resource.getSpec(), resource.getMetadata().getName(), null);
        this.reconciliation = new ClusterReconciliation(events, new ReconcileMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC(), busyPeriod);
        this.thread = new Thread(this::loop, "operator-loop");
        thread.setDaemon(true);
    }

    OperatorLoop start() {
        thread.start();
        return this;
    }

    /** The status written by the last finished reconcile. */
    TraefikHAClusterStatus status() {
        return status;
    }

    /** Reconciles that threw, or that a step ended unforeseen (none expected: the chain foresees what the bed does). */
    List<RuntimeException> failures() {
        return List.copyOf(failures);
    }

    /** How long each finished reconcile took. */
    List<Long> roundMillis() {
        return List.copyOf(roundMillis);
    }

    private void loop() {
        long deadline = System.nanoTime() + MAX_RUN.toNanos();
        while (running && roundMillis.size() < MAX_ROUNDS && System.nanoTime() < deadline) {
            Duration next = period;
            long started = System.nanoTime();
            try {
                next = reconcileOnce();
            } catch (RuntimeException e) {
                LOG.warnf(e, "reconcile %d failed", roundMillis.size());
                failures.add(e);
            }
            roundMillis.add((System.nanoTime() - started) / 1_000_000);
            try {
                Thread.sleep(next.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Between two reconciles: DO runs (say, changing a node by hand), then the state object is changed as given, so no
     * reconcile sees one without the other.
     */
    void betweenRounds(Runnable doing, UnaryOperator<DurableState> change) {
        synchronized (roundLock) {
            doing.run();
            state.save(change.apply(state.load()));
        }
    }

    /** The state object as the last reconcile left it. */
    DurableState state() {
        synchronized (roundLock) {
            return state.load();
        }
    }

    private Duration reconcileOnce() {
        synchronized (roundLock) {
            return reconcileLocked();
        }
    }

    private Duration reconcileLocked() {
        StatusAggregator aggregator = new StatusAggregator(resource, Clock.systemUTC());
        aggregator.condition(ConditionTypes.VALID, true, "SpecValid", "the spec passed validation");
        ClusterReconciliation.Outcome outcome;
        try (SshNodeGateway nodes = nodeGateway()) {
            outcome = reconciliation.run(resource, aggregator, connections(nodes), period);
        }
        outcome.failure().ifPresent(failures::add);
        resource.setStatus(aggregator.build());
        status = resource.getStatus();
        return outcome.requeueAfter();
    }

    /**
     * Stops the loop, then runs the finalizer's cleanup (by the spec's deletionPolicy) as the operator does when the
     * resource is deleted, until it lets the resource go.
     *
     * @return whether the resource may go, within a few attempts
     */
    boolean delete() {
        close();
        for (int attempt = 0; attempt < 5; attempt++) {
            try (SshNodeGateway nodes = nodeGateway()) {
                if (reconciliation.cleanup(resource, new StatusAggregator(resource, Clock.systemUTC()), connections(nodes))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Trust on first use, then the fingerprint the state object pins, as the operator does without knownHosts. */
    private SshNodeGateway nodeGateway() {
        return new SshNodeGateway(access, resource.getSpec(), key, HostKeyPolicy.of(resource.getSpec().roles(), Optional.empty(),
                state.load().hostKeys(), state.load().pendingHostKeys()));
    }

    /** The state object outlives the rounds, as the ConfigMap does. */
    private FixedConnections connections(SshNodeGateway nodes) {
        FixedConnections connections = new FixedConnections(new ProxmoxApiGateway(proxmox, tasks, resource.getSpec(),
                TASK_TIMEOUT), nodes, pin -> files, dns, dnsRegistry, vipProber, running -> { }, state, entryPointProber);
        return names.map(connections::with).orElse(connections);
    }

    /** Stops after the reconcile under way. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TASK_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
