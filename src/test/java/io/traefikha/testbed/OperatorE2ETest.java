package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.DrillScenario;
import io.traefikha.api.v1alpha1.DrillSpec;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.api.v1alpha1.HostIdentityState;
import io.traefikha.api.v1alpha1.SpecValidator;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.node.SshNodeAccess;
import io.traefikha.planner.DrillPlanner;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.http.TlsTrust;
import io.traefikha.reconciler.RecordingEvents;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator end to end on the test bed: its reconcile chain (real Proxmox gateway against the Proxmox simulator, real
 * SSH node gateway) turns a lone CT 110 into a Ready pair, and keeps it so while the test breaks things. The simulator
 * backs every container with a bed host ({@link SimulatorHosts}), so the clone is a real host 111 with real sshd,
 * keepalived and the Traefik stand-in, and a stop through the Proxmox API really stops it. Prints measured times; asserts
 * on outcomes only.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorE2ETest {

    private static final int PRIMARY_VMID = 110;
    private static final int SECONDARY_VMID = 111;
    private static final Duration TASK_DURATION = Duration.ofMillis(50);
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final Duration BUSY_PERIOD = Duration.ofMillis(250);
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);
    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** The operator's SSH command timeout here (traefikha.ssh.command-timeout, 5 min by default). */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final String BED_AUTHORIZED_KEYS = HaPair.AUTHORIZED_KEYS;
    /** Run by the probe only; on the bed PATH finds /usr/local/bin first, as on Debian. */
    private static final String HANGING_COMMAND = "/usr/local/bin/dpkg-query";

    private static TestBed bed;
    private static ProxmoxSimulator simulator;
    private static SimulatorHosts hosts;
    private static ProxmoxClient api;
    private static TaskWaiter tasks;
    private static OperatorLoop operator;
    private static VipPoller poller;
    private static NamespaceVipProber drillProber;
    private static NamespaceEntryPointProber entryPoints;
    private static HaPair pair;
    private static TraefikHACluster resource;
    private static long operatorStarted;
    private static final Map<String, String> MEASURED = new LinkedHashMap<>();

    /** Only CT 110 exists, running Traefik at the bed address the spec names; the operator starts with nothing done. */
    @BeforeAll
    static void startWithALonePrimary() {
        bed = TestBed.create();
        BedHost primary = bed.addHost("traefik", HaPair.PRIMARY_ADDRESS);
        primary.systemctl("enable traefik").orThrow("enabling traefik");
        primary.startTraefik();

        simulator = ProxmoxSimulator.builder().node("proxmox").node("proxmox2").node("proxmox3")
                .storage("local", false, false, false).storage("local-lvm", false, true, true)
                .container(PRIMARY_VMID, "proxmox", true, primaryContainer()).taskDuration(TASK_DURATION).start();
        hosts = new SimulatorHosts(bed, PRIMARY_VMID);
        hosts.adopt(PRIMARY_VMID, primary);
        simulator.addListener(hosts);
        api = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(), simulator.tokenSecret(),
                TlsTrust.fingerprint(simulator.fingerprint())).withRequestTimeout(Duration.ofSeconds(10)));
        tasks = new TaskWaiter(api, Duration.ofMillis(25), Duration.ofMillis(200), 20);

        drillProber = bed.vipProber(HaPair.VIP);
        entryPoints = NamespaceEntryPointProber.start(bed.clientNamespace(), HaPair.VIP);
        resource = resource();
        assertThat(SpecValidator.validate(resource.getSpec())).as("the spec is valid").isEmpty();
        bed.claimInClient(HaPair.VIP); // another host on the LAN has the VIP: preflight must refuse until it lets go
        operatorStarted = System.nanoTime();
        operator = new OperatorLoop(resource, api, tasks, new SshNodeAccess(Duration.ofSeconds(3), COMMAND_TIMEOUT,
                bed.transport()), bed.ed25519Key(), PERIOD, BUSY_PERIOD, drillProber, entryPoints).start();
    }

    @AfterAll
    static void tearDown() {
        try {
            MEASURED.forEach((what, value) -> System.out.printf("OperatorE2ETest | %s | %s%n", what, value));
            List<Long> answered = entryPoints == null ? List.of() : entryPoints.answeredMillis().stream().sorted().toList();
            if (!answered.isEmpty()) {
                System.out.printf("OperatorE2ETest | VIP answers over the run | %d, min %d / median %d / p90 %d / max %d ms"
                        + " (from the client namespace, a 2000 ms budget)%n", answered.size(), answered.get(0),
                        answered.get(answered.size() / 2), answered.get(answered.size() * 9 / 10),
                        answered.get(answered.size() - 1));
            }
            if (operator != null) {
                List<Long> took = operator.roundMillis().stream().sorted().toList();
                System.out.printf("OperatorE2ETest | reconciles | %d, each took min %s / median %s / max %s ms (period %d ms,"
                        + " busy period %d ms, simulator task %d ms)%n", took.size(), took.isEmpty() ? "-" : took.get(0),
                        took.isEmpty() ? "-" : took.get(took.size() / 2), took.isEmpty() ? "-" : took.get(took.size() - 1),
                        PERIOD.toMillis(), BUSY_PERIOD.toMillis(), TASK_DURATION.toMillis());
            }
        } finally {
            closeAll(poller, operator, drillProber, entryPoints, api, simulator, bed);
        }
    }

    @Test
    @Order(1)
    void fromALonePrimaryTheOperatorProvisionsTheSecondaryConfiguresKeepalivedAndTheVipAnswers() {
        // First the VIP is held by a third namespace: preflight's arping -D from the primary finds its MAC and nothing
        // is started or claimed; once it lets go, the pair is made.
        String mac = bed.clientMac();
        awaitStatus("preflight refused: the VIP answers on the LAN", LIMIT, s -> s.preflight != null && s.preflight.stream()
                .anyMatch(c -> "AddressesFree".equals(c.name) && "Failed".equals(c.result)));
        MEASURED.put("preflight with the VIP held on the LAN: refused after", millisSince(operatorStarted) + " ms");
        assertThat(status().condition("PreflightPassed").message).contains(HaPair.VIP + " (spec.vip.address) is in use"
                + " on the LAN: " + mac + " answered");
        assertThat(simulator.exists(SECONDARY_VMID)).isFalse();
        assertThat(simulator.exchanges()).as("only reads reached Proxmox").allSatisfy(e -> assertThat(e.method()).isEqualTo("GET"));
        assertThat(hosts.host(PRIMARY_VMID).keepalivedRunning()).isFalse();
        long released = System.nanoTime();
        bed.releaseInClient(HaPair.VIP);
        awaitStatus("Ready", READY_LIMIT, s -> s.phase == ClusterPhase.Ready);
        MEASURED.put("VIP released on the LAN: Ready after", millisSince(released) + " ms");
        assertThat(status().preflight).allSatisfy(c -> assertThat(c.result).as(c.name + ": " + c.message).isEqualTo("Passed"));
        MEASURED.put("time to Ready from a lone CT 110", millisSince(operatorStarted) + " ms");

        assertThat(simulator.isRunning(SECONDARY_VMID)).isTrue();
        assertThat(simulator.nodeOf(SECONDARY_VMID)).isEqualTo("proxmox2");
        assertThat(simulator.config(SECONDARY_VMID).get("net0")).contains("ip=" + HaPair.SECONDARY_ADDRESS + "/24");
        BedHost secondary = hosts.host(SECONDARY_VMID);
        assertThat(secondary.name()).isEqualTo("traefik-2");
        assertThat(secondary.address()).isEqualTo(HaPair.SECONDARY_ADDRESS);
        pair = HaPair.of(bed, hosts.host(PRIMARY_VMID), secondary);
        assertThat(events()).extracting(RecordingEvents.Recorded::message).containsSubsequence(
                "snapshot CT 110 on proxmox as 'traefikha_clone' (temporary, for a clone without downtime)",
                "clone CT 110 to CT 111 'traefik-2' from snapshot 'traefikha_clone' on node proxmox onto storage local-lvm",
                "start CT 111 on proxmox2");
        for (BedHost host : List.of(pair.primary, pair.secondary)) {
            assertThat(host.keepalivedRunning()).as("keepalived on " + host).isTrue();
            assertThat(host.systemctl("is-enabled keepalived").exitCode()).as("keepalived enabled on " + host).isZero();
        }
        assertThat(pair.secondary.readFile(KeepalivedPaths.CONFIG)).contains("priority 240");
        assertThat(status().vip.holder).isEqualTo("traefik");
        assertThat(status().nodes).extracting(n -> n.role + "=" + n.containerState + "/" + n.vrrpState)
                .containsExactly("primary=running/MASTER", "secondary=running/BACKUP");

        assertOwnIdentity("the clone");

        poller = bed.pollVip(HaPair.VIP).awaitAnswer(LIMIT);
        await("the client is served by the primary").atMost(LIMIT).until(() -> "traefik".equals(poller.lastServedBy()));
        assertThat(bed.execInClient("curl -fsS -m 2 http://" + HaPair.VIP + "/").stdout()).isEqualTo("traefik");
    }

    @Test
    @Order(2)
    void aKilledTraefikMovesTheVipTheFailoverShowsInStatusAndEventsAndItFailsBack() {
        failoverAndBack("Traefik killed", pair.primary::killTraefik, pair.primary::startTraefik);
    }

    @Test
    @Order(3)
    void aHandEditedKeepalivedConfOnTheSecondaryIsRewritten() {
        String rendered = pair.secondary.readFile(KeepalivedPaths.CONFIG);
        int mark = events().size();
        long edited = System.nanoTime();
        pair.secondary.write(KeepalivedPaths.CONFIG, rendered.replace("priority 240", "priority 253"), "600");

        await("keepalived.conf rewritten").atMost(LIMIT).until(() -> rendered.equals(pair.secondary.readFile(KeepalivedPaths.CONFIG))
                && eventSince(mark, "reload keepalived on the secondary"));
        MEASURED.put("keepalived.conf edited on the secondary: detected and repaired", millisSince(edited) + " ms");
        assertThat(events().subList(mark, events().size())).extracting(RecordingEvents.Recorded::message)
                .contains("write " + KeepalivedPaths.CONFIG + " on the secondary");
        assertThat(pair.onlyHolder(pair.primary)).as("the VIP stayed on the primary").isTrue();
    }

    @Test
    @Order(4)
    void aSecondaryStoppedThroughTheProxmoxApiIsStartedAgain() {
        int mark = events().size();
        long stopped = System.nanoTime();
        tasks.await(api.stop("proxmox2", SECONDARY_VMID), LIMIT);
        assertThat(pair.secondary.running()).as("the host stopped with its container").isFalse();

        await("the operator starts CT 111 again").atMost(LIMIT).until(() -> eventSince(mark, "start CT 111 on proxmox2")
                && pair.secondary.running());
        MEASURED.put("secondary stopped through the API: started again", millisSince(stopped) + " ms");
        awaitStatus("Ready again", LIMIT, s -> s.phase == ClusterPhase.Ready);
        MEASURED.put("secondary stopped through the API: Ready again", millisSince(stopped) + " ms");
        assertThat(pair.secondary.keepalivedRunning()).isTrue();
        assertThat(pair.onlyHolder(pair.primary)).isTrue();
    }

    @Test
    @Order(5)
    void thePrimaryStoppedThroughTheProxmoxApiHandsTheVipOverAndTakesItBackWhenStarted() {
        failoverAndBack("primary CT stopped", () -> {
            tasks.await(api.stop("proxmox", PRIMARY_VMID), LIMIT);
            awaitStatus("the primary reported stopped and the pair Degraded", LIMIT, s -> s.phase == ClusterPhase.Degraded
                    && s.nodes.stream().anyMatch(n -> "primary".equals(n.role) && "stopped".equals(n.containerState)));
        }, () -> tasks.await(api.start("proxmox", PRIMARY_VMID), LIMIT));

        String primaryPath = "/nodes/proxmox/lxc/" + PRIMARY_VMID;
        List<String> primaryPowerCalls = simulator.exchanges().stream()
                .filter(e -> e.path().startsWith(primaryPath + "/status/") && "POST".equals(e.method())
                        || e.path().equals(primaryPath) && "DELETE".equals(e.method()))
                .map(e -> e.method() + " " + e.path().substring(primaryPath.length())).toList();
        assertThat(primaryPowerCalls).as("only the test stopped and started the primary, the operator never did")
                .containsExactly("POST /status/stop", "POST /status/start");
    }

    @Test
    @Order(6)
    void aStopContainerDrillStopsTheHoldersContainerThroughProxmoxMeasuresTheGapAndStartsItAgain() {
        resource.getSpec().drill = new DrillSpec();
        resource.getSpec().drill.scenario = DrillScenario.StopContainer;
        resource.getMetadata().setAnnotations(Map.of(DrillPlanner.ANNOTATION, "stop-container"));

        awaitStatus("the StopContainer drill done", LIMIT.multipliedBy(3), s -> s.lastDrill != null
                && "stop-container".equals(s.lastDrill.annotation) && !DrillStatus.RUNNING.equals(s.lastDrill.result));

        DrillStatus drill = status().lastDrill;
        MEASURED.put("StopContainer drill", drill.gapMillis + " ms without an answer, failback " + drill.failbackGapMillis
                + " ms");
        assertThat(drill.result).as(drill.message).isEqualTo(DrillStatus.SUCCEEDED);
        assertThat(drill.scenario).isEqualTo(DrillScenario.StopContainer);
        assertThat(drill.gapMillis).as("a container stopped hard is an outage until its adverts are missed").isPositive();
        assertThat(events()).extracting(RecordingEvents.Recorded::reason).contains("DrillStarted", "DrillSucceeded");
        assertThat(simulator.isRunning(PRIMARY_VMID)).as("CT 110 runs again").isTrue();
        assertThat(pair.primary.keepalivedRunning()).as("keepalived came back with the container").isTrue();
        awaitStatus("Ready again after the drill", LIMIT, s -> s.phase == ClusterPhase.Ready);
        assertThat(pair.onlyHolder(pair.primary)).isTrue();
    }

    @Test
    @Order(7)
    void aHungTraefikMovesTheVip() {
        failoverAndBack("Traefik hung", () -> {
            pair.primary.hangTraefik();
            assertThat(pair.primary.systemctl("is-active traefik").exitCode()).as("the process is alive").isZero();
        }, pair.primary::resumeTraefik);
        assertThat(operator.failures()).as("reconciles that threw").isEmpty();
    }

    @Test
    @Order(8)
    void sshAuthenticationRefusedIsNamedOnTheNodeAndHealsWithoutAChange() {
        String keys = pair.secondary.readFile(BED_AUTHORIZED_KEYS);
        survivesSshFault("SSH authentication refused", () -> pair.secondary.write(BED_AUTHORIZED_KEYS, "", "600"),
                () -> pair.secondary.write(BED_AUTHORIZED_KEYS, keys, "600"), "Auth fail");
    }

    /**
     * A command on the node that never returns (here dpkg-query, which only the probe runs, shadowed by one that sleeps)
     * is cut off by the SSH command timeout: each reconcile still ends, reports the node, and the next one runs.
     */
    @Test
    @Order(9)
    void aHangingCommandIsCutOffByTheTimeoutReportedAndTheReconcileGoesOn() {
        int roundsBefore = operator.roundMillis().size();
        survivesSshFault("a hanging command", () -> pair.secondary.write(HANGING_COMMAND, "#!/bin/sh\nexec sleep 600\n", "755"),
                () -> pair.secondary.exec("rm -f " + HANGING_COMMAND).orThrow("removing the hanging command"),
                "did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s and was cut off");
        MEASURED.put("a hanging command: still running on the node afterwards (SSH does not signal it)",
                pair.secondary.exec("pgrep -c -f 'sleep 600' || true").stdout().strip() + " process(es)");
        List<Long> rounds = operator.roundMillis().subList(roundsBefore, operator.roundMillis().size());
        MEASURED.put("a hanging command: reconciles during the fault", rounds.size() + ", longest " + rounds.stream()
                .mapToLong(Long::longValue).max().orElse(0) + " ms (command timeout " + COMMAND_TIMEOUT.toMillis() + " ms)");
        assertThat(rounds).as("every reconcile ended: the command was cut off at its timeout")
                .allSatisfy(took -> assertThat(took).isLessThan(COMMAND_TIMEOUT.plus(LIMIT).toMillis()));
    }

    /**
     * A secondary provisioned before the operator made a clone's identity its own (CT 110's host key, pinned, and its
     * machine id) is found by its key and given its own once; the reload of sshd fails after the new keys were recorded
     * and moved, as a crash there would leave it, and the next round finishes.
     */
    @Test
    @Order(10)
    void aSecondaryWithThePrimarysIdentityGetsItsOwnOnceEvenWhenTheSshdReloadFailsMidWay() {
        BedHost secondary = pair.secondary;
        String primaryKey = pair.primary.hostKeyFingerprint();
        int mark = events().size();
        operator.betweenRounds(() -> {
            secondary.stopSshd();
            for (String file : List.of("/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_ed25519_key.pub",
                    "/etc/machine-id")) {
                Exec.run("cp", "-p", pair.primary.hostPath(file).toString(), secondary.hostPath(file).toString())
                        .orThrow("copying " + file);
            }
            secondary.startSshd();
            secondary.failOnce("reload", "ssh");
        }, state -> state.withHostKey(Role.SECONDARY, primaryKey));

        await("the secondary's own identity pinned").atMost(READY_LIMIT).until(() -> operator.state().pendingHostKeys(
                Role.SECONDARY).isEmpty() && !operator.state().hostKey(Role.SECONDARY).orElse(primaryKey).equals(primaryKey)
                && status().nodes.stream().anyMatch(n -> "secondary".equals(n.role)
                        && operator.state().hostKey(Role.SECONDARY).get().equals(n.hostKeyFingerprint)));

        assertThat(secondary.exists("/run/bed-fail-once")).as("the failing reload was reached").isFalse();
        assertOwnIdentity("the secondary provisioned before");
        assertThat(events().subList(mark, events().size())).extracting(RecordingEvents.Recorded::reason)
                .containsOnlyOnce("HostIdentityRegenerating", "HostIdentityRegenerated");
        assertThat(events().subList(mark, events().size())).extracting(RecordingEvents.Recorded::message)
                .anyMatch(m -> m.contains("was provisioned with the SSH host keys and machine id of CT 110"));
        awaitStatus("Ready again", LIMIT, s -> s.phase == ClusterPhase.Ready);
    }

    /**
     * The secondary's SSH host key and machine ids are its own, its random seed too; its real key is pinned (status
     * mirrors it), the primary's pin is its own key, and no staged key is left behind.
     */
    private static void assertOwnIdentity(String what) {
        BedHost primary = hosts.host(PRIMARY_VMID);
        BedHost secondary = hosts.host(SECONDARY_VMID);
        assertThat(secondary.hostKeyFingerprint()).as(what + ": host key").isNotEqualTo(primary.hostKeyFingerprint());
        assertThat(secondary.readFile("/etc/machine-id")).as(what + ": machine id")
                .isNotEqualTo(primary.readFile("/etc/machine-id")).matches("[0-9a-f]{32}\n");
        assertThat(secondary.exec("readlink /var/lib/dbus/machine-id").stdout().strip()).as(what + ": D-Bus machine id")
                .isEqualTo("/etc/machine-id");
        assertThat(secondary.exec("sha256sum < /var/lib/systemd/random-seed")
                .stdout()).as(what + ": random seed").isNotEqualTo(primary.exec("sha256sum < /var/lib/systemd/random-seed")
                        .stdout());
        assertThat(secondary.exists("/var/lib/traefik-ha/new-host-keys")).as(what + ": staging removed").isFalse();
        assertThat(operator.state().hostKey(Role.SECONDARY)).contains(secondary.hostKeyFingerprint());
        assertThat(operator.state().hostKey(Role.PRIMARY)).contains(primary.hostKeyFingerprint());
        assertThat(status().nodes).filteredOn(n -> "secondary".equals(n.role)).singleElement().satisfies(n -> {
            assertThat(n.hostKeyFingerprint).isEqualTo(secondary.hostKeyFingerprint());
            assertThat(n.hostIdentity).isEqualTo(HostIdentityState.Own);
        });
    }

    @Test
    @Order(11)
    void aHeldVipThatHangsOrDropsRequestsIsNotAnsweringWithinOnePeriodWhileItsPingAnswers() {
        awaitStatus("Ready, the VIP answering", LIMIT, s -> s.phase == ClusterPhase.Ready && s.condition("VIPHealthy") != null
                && "True".equals(s.condition("VIPHealthy").status) && s.vip.entryPoints != null);
        assertThat(status().vip.entryPoints).singleElement().as("http only: the bed has no HTTPS (httpsPort 0)")
                .satisfies(e -> assertThat(e.name + ":" + e.port + ":" + e.answered + ":" + e.statusCode)
                        .isEqualTo("http:80:true:200"));
        int roundsBefore = operator.roundMillis().size();
        int sentBefore = entryPoints.sent();
        awaitStatus("three more reconciles", LIMIT, s -> operator.roundMillis().size() >= roundsBefore + 3);
        MEASURED.put("VIP requests per reconcile (steady state)", String.format("%d requests in %d reconciles",
                entryPoints.sent() - sentBefore, operator.roundMillis().size() - roundsBefore));

        BedHost holder = "traefik".equals(status().vip.holder) ? pair.primary : pair.secondary;
        long failovers = failoverCount();
        int mark = events().size();
        int roundsAtTheChange = operator.roundMillis().size();
        holder.write("/etc/bed-entrypoint", "hang\n", "644");
        awaitStatus("VIPHealthy False NotAnswering", LIMIT, s -> "NotAnswering".equals(reason(s)));
        assertThat(operator.roundMillis().size()).as("seen by the first reconcile that began after the change")
                .isLessThanOrEqualTo(roundsAtTheChange + 2);
        assertThat(status().condition("VIPHealthy").message).isEqualTo("the " + (holder == pair.primary ? "primary"
                : "secondary") + " holds the VIP but it does not answer clients: http (port 80): no answer within 2000 ms"
                + " (after " + status().vip.entryPoints.get(0).latencyMillis + " ms)");
        assertThat(status().phase).isEqualTo(ClusterPhase.Degraded);
        assertThat(events().subList(mark, events().size())).filteredOn(e -> e.reason().equals("VIPNotAnswering"))
                .singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("Warning"));
        MEASURED.put("hung VIP entry point: the request gave up after", status().vip.entryPoints.get(0).latencyMillis + " ms");

        holder.write("/etc/bed-entrypoint", "ping-only\n", "644");
        awaitStatus("the entry point drops requests", LIMIT, s -> s.vip.entryPoints != null
                && "closed the connection without an HTTP answer".equals(s.vip.entryPoints.get(0).error));
        assertThat(reason(status())).isEqualTo("NotAnswering");
        assertThat(holder.exec("curl -fsS -m 2 -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/ping").stdout())
                .as("its ping answers, so keepalived keeps the VIP there").isEqualTo("200");

        holder.exec("rm -f /etc/bed-entrypoint");
        awaitStatus("Ready again", LIMIT, s -> s.phase == ClusterPhase.Ready && "True".equals(s.condition("VIPHealthy").status));
        assertThat(events().subList(mark, events().size())).extracting(RecordingEvents.Recorded::reason)
                .as("one Warning for the episode, one Normal at its end").containsOnlyOnce("VIPNotAnswering", "VIPAnswering");
        assertThat(failoverCount()).as("the VIP stayed where it was").isEqualTo(failovers);
        assertThat(operator.failures()).as("reconciles that threw").isEmpty();
    }

    private static String reason(TraefikHAClusterStatus status) {
        return status.condition("VIPHealthy") == null ? null : status.condition("VIPHealthy").reason;
    }

    @Test
    @Order(12)
    void deletedWithPolicyDeleteTheSecondaryIsDestroyedWithItsHostAndThePrimaryKeepsServing() {
        resource.getSpec().deletionPolicy = DeletionPolicy.Delete;
        long deleting = System.nanoTime();

        assertThat(operator.delete()).as("the finalizer lets the resource go").isTrue();
        MEASURED.put("deleted with deletionPolicy Delete: finalizer done", millisSince(deleting) + " ms");

        assertThat(simulator.exists(SECONDARY_VMID)).isFalse();
        assertThat(hosts.exists(SECONDARY_VMID)).as("host 111 removed with CT 111").isFalse();
        assertThat(bed.hasNamespace("traefik-2")).as("its network namespace removed").isFalse();
        assertThat(simulator.isRunning(PRIMARY_VMID)).isTrue();
        assertThat(pair.primary.keepalivedRunning()).as("keepalived stopped on the primary").isFalse();
        assertThat(bed.execInClient("curl -fsS -m 2 http://" + HaPair.PRIMARY_ADDRESS + "/").stdout())
                .as("Traefik on the primary still answers at its own address").isEqualTo("traefik");
    }

    /**
     * Breaks SSH to the secondary: the operator must name the node and the failure (KeepalivedConfigured=False,
     * NodeUnreachable), keep reconciling, leave the VIP where it is, and once repaired be Ready with nothing changed on
     * Proxmox or the nodes.
     */
    private static void survivesSshFault(String what, Runnable breakSsh, Runnable repairSsh, String messagePart) {
        int writes = proxmoxWrites();
        String primaryConf = pair.primary.readFile(KeepalivedPaths.CONFIG);
        String secondaryConf = pair.secondary.readFile(KeepalivedPaths.CONFIG);
        int mark = events().size();
        long broken = System.nanoTime();
        breakSsh.run();
        try {
            awaitStatus(what + ": the secondary reported unreachable", LIMIT.plus(COMMAND_TIMEOUT), s -> {
                var condition = s.condition("KeepalivedConfigured");
                return condition != null && "NodeUnreachable".equals(condition.reason) && condition.message.contains("secondary")
                        && condition.message.contains(messagePart) && s.phase == ClusterPhase.Degraded;
            });
            MEASURED.put(what + ": reported", millisSince(broken) + " ms");
            int rounds = operator.roundMillis().size();
            await(what + ": the next reconcile ends too").atMost(LIMIT.plus(COMMAND_TIMEOUT).plus(COMMAND_TIMEOUT))
                    .until(() -> operator.roundMillis().size() > rounds);
            assertThat(pair.onlyHolder(pair.primary)).as(what + ": the VIP stayed on the primary").isTrue();
        } finally {
            repairSsh.run();
        }
        long repaired = System.nanoTime();
        awaitStatus(what + ": Ready again", LIMIT.plus(COMMAND_TIMEOUT), s -> s.phase == ClusterPhase.Ready);
        MEASURED.put(what + ": Ready again after the repair", millisSince(repaired) + " ms");
        assertThat(proxmoxWrites()).as(what + ": nothing asked of Proxmox but reads").isEqualTo(writes);
        assertThat(pair.primary.readFile(KeepalivedPaths.CONFIG)).isEqualTo(primaryConf);
        assertThat(pair.secondary.readFile(KeepalivedPaths.CONFIG)).isEqualTo(secondaryConf);
        assertThat(events().subList(mark, events().size())).as(what + ": no action taken")
                .noneMatch(e -> "Normal".equals(e.type()) && !"Failover".equals(e.reason()));
        assertThat(operator.failures()).as(what + ": foreseen, never an unforeseen failure").isEmpty();
    }

    private static int proxmoxWrites() {
        return (int) simulator.exchanges().stream().filter(e -> !"GET".equals(e.method())).count();
    }

    /**
     * Breaks the primary; the VIP must move to the secondary, the client be served by it, and the operator report the
     * failover in status and as an Event. Then repairs it; the VIP must come back the same way.
     */
    private static void failoverAndBack(String what, Runnable breakPrimary, Runnable repairPrimary) {
        long failovers = failoverCount();
        int mark = events().size();
        long broken = System.nanoTime();
        long brokenAt = System.currentTimeMillis();
        breakPrimary.run();
        try {
            await(what + ": the VIP moves to the secondary").atMost(LIMIT).until(() -> pair.onlyHolder(pair.secondary));
            MEASURED.put(what + ": VIP on the secondary", millisSince(broken) + " ms");
            awaitStatus(what + ": failover reported", LIMIT, s -> failoverCount(s) == failovers + 1
                    && "traefik-2".equals(s.vip.holder) && "traefik -> traefik-2".equals(s.failovers.lastTransition));
            assertThat(eventSince(mark, "moved from traefik to traefik-2")).as("Failover Event").isTrue();
            MEASURED.put(what + ": failover in status and Events", millisSince(broken) + " ms");
            await(what + ": the client is served by the secondary").atMost(LIMIT)
                    .until(() -> "traefik-2".equals(poller.lastServedBy()));
        } catch (RuntimeException | AssertionError e) {
            repairPrimary.run(); // so the next scenario starts from a working pair
            throw e;
        }

        int back = events().size();
        long repaired = System.nanoTime();
        long repairedAt = System.currentTimeMillis();
        repairPrimary.run();
        await(what + ": the VIP comes back to the primary").atMost(LIMIT).until(() -> pair.onlyHolder(pair.primary));
        MEASURED.put(what + ": repaired, VIP back on the primary", millisSince(repaired) + " ms");
        awaitStatus(what + ": failback reported and Ready", LIMIT, s -> failoverCount(s) == failovers + 2
                && "traefik".equals(s.vip.holder) && s.phase == ClusterPhase.Ready);
        assertThat(eventSince(back, "moved from traefik-2 to traefik")).as("Failover Event back").isTrue();
        await(what + ": the client is served by the primary").atMost(LIMIT)
                .until(() -> "traefik".equals(poller.lastServedBy()));
        Timeline seen = poller.timeline();
        MEASURED.put(what + ": longest gap the client saw (failover / failback)", seen.longestGapBetween(brokenAt, repairedAt)
                + " ms / " + seen.longestGapBetween(repairedAt, Long.MAX_VALUE) + " ms");
    }

    private static TraefikHAClusterStatus status() {
        return operator.status();
    }

    private static long failoverCount() {
        return failoverCount(status());
    }

    private static long failoverCount(TraefikHAClusterStatus status) {
        return status.failovers == null ? 0 : status.failovers.count;
    }

    private static List<RecordingEvents.Recorded> events() {
        return operator.events.recorded;
    }

    private static boolean eventSince(int mark, String messagePart) {
        List<RecordingEvents.Recorded> all = events();
        return all.subList(mark, all.size()).stream().anyMatch(e -> e.message().contains(messagePart));
    }

    private static void awaitStatus(String what, Duration limit, Predicate<TraefikHAClusterStatus> wanted) {
        try {
            await(what).atMost(limit).pollInterval(Duration.ofMillis(50)).until(() -> wanted.test(status()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " not seen within " + limit + "; last status: " + describe(status())
                    + "; last Events: " + events().subList(Math.max(0, events().size() - 8), events().size()), e);
        }
    }

    private static String describe(TraefikHAClusterStatus status) {
        return "phase " + status.phase + ", VIP on '" + (status.vip == null ? null : status.vip.holder) + "', failovers "
                + failoverCount(status) + (status.failovers == null ? "" : " (last " + status.failovers.lastTransition + ")")
                + ", nodes " + status.nodes.stream().map(n -> n.role + "=" + n.containerState + "/" + n.vrrpState
                        + (n.healthy ? "/healthy" : "/unhealthy")).toList()
                + ", not fine: " + status.conditions.stream().filter(c -> !c.status.equals(
                        List.of("Conflict", "SplitBrain", "DNSConflict").contains(c.type) ? "False" : "True"))
                        .map(c -> c.type + "=" + c.reason + " (" + c.message + ")").toList();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static TraefikHACluster resource() {
        TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
        spec.network.gateway = TestBed.SUBNET + "1";
        spec.vip.httpsPort = 0; // the bed's stand-in Traefik has no TLS entry point on the VIP
        spec.proxmox.url = simulator.baseUrl();
        TraefikHACluster resource = new TraefikHACluster();
        resource.setMetadata(new ObjectMetaBuilder().withName("traefik").withNamespace("traefik-ha")
                .withUid("5f1e0c3a-0000-4000-8000-0000000e2e01").withGeneration(1L).build());
        resource.setSpec(spec);
        return resource;
    }

    /** CT 110 as the homelab has it, at the bed's primary address. */
    static Map<String, String> primaryContainer() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("arch", "amd64");
        config.put("cores", "2");
        config.put("hostname", "traefik");
        config.put("memory", "2048");
        config.put("net0", "name=eth0,bridge=vmbr0,gw=" + TestBed.SUBNET + "1,hwaddr=BC:24:11:5E:7A:10,ip="
                + HaPair.PRIMARY_ADDRESS + "/" + TestBed.PREFIX_LENGTH + ",type=veth");
        config.put("onboot", "1");
        config.put("ostype", "debian");
        config.put("rootfs", "local-lvm:vm-110-disk-0,size=20G");
        config.put("unprivileged", "1");
        return config;
    }

    /** Closes each in order, even when one fails; the bed last, so nothing is left running in its namespaces. */
    static void closeAll(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                first = first == null ? new IllegalStateException("cleanup failed", e) : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
