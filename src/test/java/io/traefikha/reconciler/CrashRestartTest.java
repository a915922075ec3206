package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.dns.AdGuardHomeProvider;
import io.traefikha.dns.DnsProvider;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.http.TlsTrust;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.proxmox.ClusterResource;
import io.traefikha.proxmox.ProxmoxApi;
import io.traefikha.proxmox.ProxmoxApiGateway;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.SnapshotInfo;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ContainerEvent;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.step.ClusterConnections;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.sync.SyncKeyPair;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14 §5, "what must survive a crash is written before it is needed", as a table: the operator is killed at each
 * step of provisioning (and of a keepalived change on a Ready pair), a new operator starts, and it must reconcile to
 * Ready with nothing left behind.
 *
 * <p>Killing: every call the operator makes to Proxmox (the REST API under the real gateway), to the nodes and to DNS
 * passes a {@link Tripwire}; at the row's call it throws {@link OperatorKilled}, an Error that no layer of the operator
 * catches, so nothing later in that round happens and its status patch never lands. "Before" kills before the call
 * is sent; "after" kills once it was sent, so a Proxmox task started by it keeps running in the simulator while nobody
 * waits for it, as a real Proxmox worker outlives the operator: the simulator holds it for the successor's first
 * {@value #OUTLIVED_ROUNDS} rounds (waiting for its lock, or acting past it), then lets it end. A worker that dies with
 * the operator and leaves its lock is {@link #aLockLeftByAKilledWorkerIsWaitedForUntilItIsCleared}. The new operator is new objects throughout (the
 * reconciliation, the Proxmox gateway and its read memory, the connections); what survives is what survives a real
 * crash: the Proxmox simulator, the simulated nodes, the AdGuard Home simulator, the resource, the state object (the
 * ConfigMap {@code <name>-state}, kept in memory as {@link MemoryStateStore}) and the DNS ownership registry. Each row
 * runs twice: with the status of the last round that finished, and with the status lost (null, as when no status patch
 * of the first life ever landed), so only the state object can carry what the crash must not lose.
 *
 * <p>Asserted for every run:
 * <ul>
 * <li>no orphan: the only containers are the primary and the one secondary, on their nodes, unlocked, without
 *     snapshots (the temporary clone snapshot is gone);</li>
 * <li>no double clone: one clone task across both lives. The operator never deletes a clone it started to try again
 *     (a CT with the secondary's VMID is waited for while locked and finished when unlocked), so a second clone could
 *     only hit an existing VMID: one is the only right count here;</li>
 * <li>one backup: one vzdump across both lives, one archive on the storage, recorded as taken;</li>
 * <li>the primary runs at the end (with StopPrimary: it was stopped, and started again);</li>
 * <li>no VIP loss, on the simulated nodes' model: a node holds the VIP when its {@code vip} flag is set (what
 *     {@code ip addr} would show). Every change to the nodes ends in their election ({@link SimulatedNodes#elect()}),
 *     so the moments observed are every election; from the first moment a node held the VIP, each later moment must
 *     find at least one holder, and at most one (two only during a handover, which none of these rows asks for);</li>
 * <li>DNS: every record of the spec answers the VIP at the end.</li>
 * </ul>
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class CrashRestartTest {

    private static final int PRIMARY = 110;
    private static final int SECONDARY = 111;
    private static final String FQDN = "." + HomelabPreset.DOMAIN;
    private static final Duration TASK = Duration.ofMillis(10);
    private static final Duration BUSY = Duration.ofMillis(10);
    /** Rounds the successor runs before the dead operator's task ends: enough to start again what that task stops. */
    static final int OUTLIVED_ROUNDS = 3;
    private static final int MAX_ROUNDS = 40;
    /** The whole table's time (simulators started for each run included), printed at the end. */
    private static long tableNanos;
    private static int runs;
    private long started;
    private static final java.util.logging.Logger OPERATOR_LOG = java.util.logging.Logger.getLogger("io.traefikha");

    /** No layer of the operator catches an Error: the round ends here, as the process would. */
    static final class OperatorKilled extends Error {
        OperatorKilled(String at) {
            super("operator killed " + at, null, false, false);
        }
    }

    enum When { BEFORE, AFTER }

    /**
     * One crash point: the first outgoing call whose signature matches, killed before it is sent or after; fromReady
     * starts from a Ready pair whose keepalived configuration then changes.
     */
    record CrashPoint(String name, SecondarySpec.CloneStrategy strategy, boolean fromReady, String call, When when) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> table() {
        SecondarySpec.CloneStrategy snapshot = SecondarySpec.CloneStrategy.Snapshot;
        SecondarySpec.CloneStrategy stop = SecondarySpec.CloneStrategy.StopPrimary;
        String conf = KeepalivedPaths.CONFIG;
        List<CrashPoint> points = List.of(
                new CrashPoint("backup: recorded, the vzdump not sent", snapshot, false, "proxmox vzdump 110", When.BEFORE),
                new CrashPoint("backup: the vzdump sent, its task id not stored (task running)", snapshot, false,
                        "proxmox vzdump 110", When.AFTER),
                new CrashPoint("before the snapshot", snapshot, false, "proxmox createSnapshot 110", When.BEFORE),
                new CrashPoint("during the snapshot (task running)", snapshot, false, "proxmox createSnapshot 110", When.AFTER),
                new CrashPoint("after the snapshot, before the clone", snapshot, false, "proxmox cloneContainer 110", When.BEFORE),
                new CrashPoint("during the clone (task running)", snapshot, false, "proxmox cloneContainer 110", When.AFTER),
                new CrashPoint("after the clone, before the migration", snapshot, false, "proxmox migrate 111", When.BEFORE),
                new CrashPoint("during the migration (task running)", snapshot, false, "proxmox migrate 111", When.AFTER),
                new CrashPoint("after the migration, before net0/hostname", snapshot, false, "proxmox updateConfig 111", When.BEFORE),
                new CrashPoint("after net0/hostname, before the snapshot is deleted", snapshot, false, "proxmox deleteSnapshot 110", When.BEFORE),
                new CrashPoint("during the snapshot deletion (task running)", snapshot, false, "proxmox deleteSnapshot 110", When.AFTER),
                new CrashPoint("after net0/hostname, before the start", snapshot, false, "proxmox start 111", When.BEFORE),
                new CrashPoint("during the secondary's start (task running)", snapshot, false, "proxmox start 111", When.AFTER),
                new CrashPoint("after the start, before keepalived", snapshot, false, "node InstallPackage PRIMARY keepalived", When.BEFORE),
                new CrashPoint("keepalived.conf written on the primary, not started", snapshot, false, "node StartService PRIMARY keepalived", When.BEFORE),
                new CrashPoint("keepalived.conf written on the primary, not on the secondary", snapshot, false, "node WriteFile SECONDARY " + conf, When.BEFORE),
                new CrashPoint("keepalived.conf written on the secondary, not started", snapshot, false, "node StartService SECONDARY keepalived", When.BEFORE),
                new CrashPoint("changed keepalived.conf written on the primary, not reloaded", snapshot, true, "node ReloadService PRIMARY keepalived", When.BEFORE),
                new CrashPoint("changed keepalived.conf written on the primary, not on the secondary", snapshot, true, "node WriteFile SECONDARY " + conf, When.BEFORE),
                new CrashPoint("DNS half moved (pilot moved, the next group not)", snapshot, false, "dns replace memos" + FQDN, When.BEFORE),
                new CrashPoint("DNS half moved (inside a group)", snapshot, false, "dns replace gitops" + FQDN, When.AFTER),
                new CrashPoint("StopPrimary: the stop recorded, not sent", stop, false, "proxmox shutdown 110", When.BEFORE),
                new CrashPoint("StopPrimary: the stop sent (task running)", stop, false, "proxmox shutdown 110", When.AFTER),
                new CrashPoint("StopPrimary: primary stopped, before the clone", stop, false, "proxmox cloneContainer 110", When.BEFORE),
                new CrashPoint("StopPrimary: during the clone (task running)", stop, false, "proxmox cloneContainer 110", When.AFTER),
                new CrashPoint("StopPrimary: cloned, before the primary's start", stop, false, "proxmox start 110", When.BEFORE),
                new CrashPoint("StopPrimary: during the primary's start (task running)", stop, false, "proxmox start 110", When.AFTER));
        String only = System.getProperty("crash.only", ""); // -Dcrash.only=StopPrimary: the rows whose name has it
        return points.stream().filter(p -> p.name().contains(only))
                .flatMap(point -> Stream.of(Arguments.of(point, true), Arguments.of(point, false)));
    }

    private ProxmoxSimulator proxmox;
    private AdGuardHomeSimulator adguard;
    private WatchedNodes nodes;
    private final MemoryStateStore state = new MemoryStateStore();
    private final FixedConnections.MemoryRegistry dnsRegistry = new FixedConnections.MemoryRegistry();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private TraefikHACluster resource;

    @BeforeEach
    void start() {
        started = System.nanoTime();
        proxmox = ProxmoxSimulator.homelab().taskDuration(TASK).statsInterval(Duration.ZERO).start();
        adguard = AdGuardHomeSimulator.builder().user("admin", "pw").rewrites(HomelabPreset.rewrites()).start();
        nodes = new WatchedNodes();
        nodes.replaceWithFreshContainer(Role.SECONDARY); // CT 111 does not exist yet
        proxmox.addListener(this::power);
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid(UUID.randomUUID().toString());
        resource.getMetadata().setGeneration(1L);
        resource.getSpec().dns.soakTime = "0s";
        resource.getSpec().dns.adguard.url = adguard.url();
    }

    @AfterEach
    void stop() {
        proxmox.close();
        adguard.close();
        tableNanos += System.nanoTime() - started;
        runs++;
    }

    /** The operator's debug log costs more than the table itself; its INFO and above still show. */
    @BeforeAll
    static void quieter() {
        OPERATOR_LOG.setLevel(java.util.logging.Level.INFO);
    }

    @AfterAll
    static void time() {
        OPERATOR_LOG.setLevel(null);
        System.out.printf("CrashRestartTest: %d runs in %.1f s%n", runs, tableNanos / 1e9);
    }

    /** The simulated containers follow Proxmox: a clone is a fresh container, a start boots it, a stop powers it off. */
    private void power(ContainerEvent event) {
        Role role = event.vmid() == PRIMARY ? Role.PRIMARY : event.vmid() == SECONDARY ? Role.SECONDARY : null;
        if (role == null) {
            return;
        }
        switch (event.type()) {
            case CREATED, DESTROYED -> nodes.replaceWithFreshContainer(role);
            case STARTED -> nodes.powerOn(role);
            case STOPPED -> nodes.powerOff(role);
            default -> { }
        }
    }

    @ParameterizedTest(name = "{0}, status kept: {1}")
    @MethodSource("table")
    void aKilledOperatorsSuccessorReconcilesToReadyWithNothingLost(CrashPoint point, boolean statusKept) {
        resource.getSpec().secondary.cloneStrategy = point.strategy();
        if (point.fromReady()) {
            new Life(Tripwire.NEVER).untilSettled();
            // a keepalived change to carry out on both nodes: each writes its conf and reloads
            resource.getSpec().vip.advertInterval = "200ms";
            resource.getMetadata().setGeneration(2L);
        }
        Tripwire tripwire = new Tripwire(point.call(), point.when());
        // a task the dying operator started outlives it long enough for its successor to find it running
        tripwire.onFatalCall = () -> proxmox.holdTasks(true);
        new Life(tripwire).untilKilled();
        proxmox.holdTasks(false);
        boolean taskOutlivesTheOperator = point.when() == When.AFTER && point.call().startsWith("proxmox");
        assertThat(proxmox.tasksRunning()).as("the killed operator's task still runs").isEqualTo(taskOutlivesTheOperator);
        if (!statusKept) {
            resource.setStatus(null);
        }

        Life successor = new Life(Tripwire.NEVER);
        for (int round = 0; round < OUTLIVED_ROUNDS; round++) {
            successor.round(); // with the dead operator's task still running: waiting for its lock, or past it
        }
        proxmox.releaseHeldTasks();
        successor.untilSettled();

        assertNothingLost(point);
    }

    /**
     * Proxmox's worker dies with the operator (the host rebooted under both): its lock stays, with nothing running under
     * it. The successor cannot tell a stale lock from a task still under way, so it waits, says on what, and changes
     * nothing; once an administrator runs {@code pct unlock}, it carries on from what it finds.
     */
    @ParameterizedTest(name = "{0} killed with the operator")
    @MethodSource("killedWorkers")
    void aLockLeftByAKilledWorkerIsWaitedForUntilItIsCleared(String task, String call, int lockedVmid, String lock) {
        proxmox.killNextTask(task);
        Tripwire tripwire = new Tripwire(call, When.AFTER);
        new Life(tripwire).untilKilled(); // and the Proxmox worker it started dies too
        Life successor = new Life(Tripwire.NEVER);
        int sent = calls.size();
        for (int round = 0; round < OUTLIVED_ROUNDS; round++) {
            successor.round();
        }

        assertThat(calls.subList(sent, calls.size())).as("nothing is changed next to a lock").isEmpty();
        assertThat(resource.getStatus().condition(ConditionTypes.SECONDARY_PROVISIONED).message)
                .contains("locked (" + lock + ")");

        proxmox.setLock(lockedVmid, null); // pct unlock
        successor.untilSettled();
        assertNothingLost(new CrashPoint(task, SecondarySpec.CloneStrategy.Snapshot, false, call, When.AFTER));
    }

    static Stream<Arguments> killedWorkers() {
        return Stream.of(Arguments.of("vzsnapshot", "proxmox createSnapshot 110", PRIMARY, "snapshot"),
                Arguments.of("vzmigrate", "proxmox migrate 111", SECONDARY, "migrate"));
    }

    private void assertNothingLost(CrashPoint point) {
        ProxmoxClient client = client();
        List<ClusterResource> containers = client.clusterContainers();
        assertThat(containers).as("no orphan container").extracting(c -> c.vmid() + "@" + c.node())
                .containsExactlyInAnyOrder(PRIMARY + "@proxmox", SECONDARY + "@proxmox2");
        assertThat(containers).as("no lock left").allSatisfy(c -> assertThat(c.lock()).isNullOrEmpty());
        for (ClusterResource ct : containers) {
            assertThat(client.snapshots(ct.node(), ct.vmid())).extracting(SnapshotInfo::name)
                    .as("no snapshot left on CT %d (%s is temporary)", ct.vmid(), Ownership.CLONE_SNAPSHOT)
                    .isEmpty();
        }
        assertThat(calls).as("one clone task across both lives").filteredOn(c -> c.startsWith("proxmox cloneContainer"))
                .hasSize(1);
        assertThat(calls).as("one backup before the first change, across both lives")
                .filteredOn(c -> c.startsWith("proxmox vzdump")).hasSize(1);
        assertThat(proxmox.backupVolids("local")).as("one archive on the backup storage").hasSize(1);
        assertThat(state.stored().backup()).as("the backup recorded").satisfies(b -> assertThat(b.taken()).isTrue());
        assertThat(proxmox.isRunning(PRIMARY)).as("the primary runs").isTrue();
        assertThat(proxmox.isRunning(SECONDARY)).as("the secondary runs").isTrue();
        if (point.strategy() == SecondarySpec.CloneStrategy.StopPrimary) {
            assertThat(calls).as("the primary stopped for the clone and started again")
                    .contains("proxmox shutdown 110", "proxmox start 110");
        }
        assertThat(state.stored().primaryStoppedForClone()).as("nothing owed the primary").isFalse();
        assertThat(nodes.firstHeld).as("the VIP was held").isTrue();
        assertThat(nodes.violations).as("VIP holders at every election after the first hold").isEmpty();
        assertThat(nodes.holders()).containsExactly(Role.PRIMARY);
        for (String name : resource.getSpec().dns.records) {
            assertThat(adguard.answersOf(name + FQDN)).as(name).containsExactly(HomelabPreset.VIP_ADDRESS);
        }
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
    }

    private ProxmoxClient client() {
        return ProxmoxClient.create(ProxmoxConnection.of(proxmox.baseUrl(), proxmox.tokenId(), proxmox.tokenSecret(),
                TlsTrust.fingerprint(proxmox.fingerprint())).withRequestTimeout(Duration.ofSeconds(5)));
    }

    /**
     * One operator process: its own reconciliation, Proxmox gateway (with its read memory) and connections. Rounds
     * follow each other as the reconciler's requeues would, a little apart while Proxmox is busy.
     */
    private final class Life {
        final ClusterReconciliation reconciliation = new ClusterReconciliation(new RecordingEvents(),
                new ReconcileMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), BUSY);
        final ClusterConnections connections;
        final Tripwire tripwire;

        Life(Tripwire tripwire) {
            this.tripwire = tripwire;
            ProxmoxApi api = tripwire.guard(ProxmoxApi.class, client(), "proxmox", calls);
            ProxmoxApiGateway gateway = new ProxmoxApiGateway(api, new TaskWaiter(api, Duration.ofMillis(5),
                    Duration.ofMillis(20), 10), resource.getSpec(), Duration.ofSeconds(10));
            DnsProvider dns = tripwire.guard(DnsProvider.class, new AdGuardHomeProvider(adguard.url(), "admin", "pw",
                    Duration.ofSeconds(5)), "dns", calls);
            NodeGateway guardedNodes = new TripwiredNodes(nodes, tripwire, calls);
            connections = new FixedConnections(gateway, guardedNodes,
                    pin -> KeepalivedNodeFiles.render(resource.getSpec(), "test", null, pin), Optional.of(dns),
                    dnsRegistry, nodes::vipAnswers, running -> { }, state);
        }

        void round() {
            // only a round that ends gets its status patched: a killed one never returns
            ClusterReconciliation.Outcome outcome = Rounds.run(reconciliation, resource, connections, Duration.ofSeconds(15));
            if (outcome.requeueAfter().equals(BUSY)) {
                sleep(BUSY);
            }
        }

        /** Rounds until the tripwire kills this operator, which must happen: a crash point never reached proves nothing. */
        void untilKilled() {
            try {
                for (int round = 0; round < MAX_ROUNDS; round++) {
                    round();
                }
            } catch (OperatorKilled killed) {
                return; // the process is gone: nothing of it runs on
            }
            throw new AssertionError("the crash point was never reached; calls sent: " + calls);
        }

        /** Rounds until the pair is Ready, DNS moved and Proxmox idle; then one more, which must change nothing. */
        void untilSettled() {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                round();
                if (settled()) {
                    int sent = calls.size();
                    round();
                    assertThat(calls.subList(sent, calls.size())).as("a settled pair needs no change").isEmpty();
                    return;
                }
            }
            throw new AssertionError("not settled after " + MAX_ROUNDS + " rounds: " + resource.getStatus().conditions.stream()
                    .filter(c -> !"True".equals(c.status)).map(c -> c.type + " " + c.reason + ": " + c.message).toList());
        }

        private boolean settled() {
            return resource.getStatus().phase == ClusterPhase.Ready && !proxmox.tasksRunning()
                    && resource.getSpec().dns.records.stream()
                            .allMatch(name -> adguard.answersOf(name + FQDN).equals(List.of(HomelabPreset.VIP_ADDRESS)));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where the operator dies: each outgoing call that changes something has a signature ("proxmox migrate 111", "node
     * WriteFile SECONDARY /etc/keepalived/keepalived.conf", "dns replace memos.example"); at the first that is the row's
     * it throws {@link OperatorKilled}. Every signature sent is recorded, across lives, for the clone count.
     */
    static final class Tripwire {
        static final Tripwire NEVER = new Tripwire(null, When.BEFORE);
        private final String call;
        private final When when;
        volatile boolean fired;
        /** Runs just before the fatal call (before it is sent, whether it is sent or not). */
        Runnable onFatalCall = () -> { };

        Tripwire(String call, When when) {
            this.call = call;
            this.when = when;
        }

        /** Runs the call, dying before or after it when it is the row's; records it either way. */
        <T> T pass(String signature, List<String> calls, CallBody<T> body) throws Throwable {
            boolean here = !fired && signature.equals(call);
            if (here) {
                onFatalCall.run();
            }
            if (here && when == When.BEFORE) {
                fired = true;
                throw new OperatorKilled("before " + signature);
            }
            calls.add(signature);
            T result = body.call();
            if (here) {
                fired = true;
                throw new OperatorKilled("after " + signature);
            }
            return result;
        }

        @FunctionalInterface
        interface CallBody<T> {
            T call() throws Throwable;
        }

        /** The interface's calls that change something pass the tripwire; reads pass straight through. */
        <T> T guard(Class<T> type, T target, String system, List<String> calls) {
            InvocationHandler handler = (proxy, method, args) -> {
                CallBody<Object> body = () -> {
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                };
                if (!changes(method.getName())) {
                    return body.call();
                }
                return pass(system + " " + method.getName() + " " + firstArgument(method.getName(), args), calls, body);
            };
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
        }

        private static boolean changes(String method) {
            return List.of("start", "stop", "shutdown", "reboot", "cloneContainer", "updateConfig", "createContainer",
                    "deleteContainer", "migrate", "createSnapshot", "deleteSnapshot", "vzdump", "replace").contains(method);
        }

        /** The VMID for Proxmox (after the node), the name for DNS. */
        private static String firstArgument(String method, Object[] args) {
            return method.equals("replace") ? String.valueOf(args[0]) : String.valueOf(args[1]);
        }
    }

    /** The nodes behind the tripwire: each action is a call ("node StartService PRIMARY keepalived"). */
    private static final class TripwiredNodes implements NodeGateway {
        private final SimulatedNodes nodes;
        private final Tripwire tripwire;
        private final List<String> calls;

        TripwiredNodes(SimulatedNodes nodes, Tripwire tripwire, List<String> calls) {
            this.nodes = nodes;
            this.tripwire = tripwire;
            this.calls = calls;
        }

        @Override
        public NodeObservation probe(Role role, List<ManagedFile> managedFiles) {
            return nodes.probe(role, managedFiles);
        }

        @Override
        public void apply(NodeAction action) {
            try {
                tripwire.pass("node " + signature(action), calls, () -> {
                    nodes.apply(action);
                    return null;
                });
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        private static String signature(NodeAction action) {
            String kind = action.getClass().getSimpleName();
            if (action instanceof NodeAction.WriteFile write) {
                return kind + " " + action.role() + " " + write.file().path();
            } else if (action instanceof NodeAction.StartService s) {
                return kind + " " + action.role() + " " + s.service();
            } else if (action instanceof NodeAction.ReloadService s) {
                return kind + " " + action.role() + " " + s.service();
            } else if (action instanceof NodeAction.RestartService s) {
                return kind + " " + action.role() + " " + s.service();
            } else if (action instanceof NodeAction.InstallPackage p) {
                return kind + " " + action.role() + " " + p.packageName();
            }
            return kind + " " + action.role();
        }

        @Override
        public io.traefikha.domain.PrimaryChecks checkPrimary(List<String> addresses) {
            return nodes.checkPrimary(addresses); // read-only: no tripwire
        }

        @Override
        public SyncOutcome syncConfig(SyncSpec spec, SyncMemory memory, Instant now, Set<Role> answered) {
            return nodes.syncConfig(spec, memory, now, answered);
        }

        @Override
        public LsyncdOutcome ensureLsyncd(SyncSpec spec, String clusterName, SyncKeyPair key) {
            return nodes.ensureLsyncd(spec, clusterName, key);
        }

        @Override
        public void stopLsyncd() {
            nodes.stopLsyncd();
        }
    }

    /** The simulated nodes, watched at every election: who holds the VIP, and every moment that breaks the rule. */
    static final class WatchedNodes extends SimulatedNodes {
        boolean firstHeld;
        final List<String> violations = new ArrayList<>();

        @Override
        public synchronized void elect() {
            super.elect();
            List<Role> holders = holders();
            firstHeld |= !holders.isEmpty();
            if (firstHeld && holders.size() != 1) {
                violations.add(holders.isEmpty() ? "no node holds the VIP after " + last() : "both hold it after " + last());
            }
        }

        synchronized List<Role> holders() {
            return nodes.entrySet().stream().filter(e -> e.getValue().vip).map(Map.Entry::getKey).toList();
        }

        private String last() {
            return applied.isEmpty() ? "the start" : applied.get(applied.size() - 1).describe();
        }
    }
}
