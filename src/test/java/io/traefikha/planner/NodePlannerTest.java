package io.traefikha.planner;

import static io.traefikha.domain.Role.PRIMARY;
import static io.traefikha.domain.Role.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Finding;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeAction.EnableService;
import io.traefikha.domain.NodeAction.InstallPackage;
import io.traefikha.domain.NodeAction.ReloadService;
import io.traefikha.domain.NodeAction.RestartService;
import io.traefikha.domain.NodeAction.StartService;
import io.traefikha.domain.NodeAction.StopService;
import io.traefikha.domain.NodeAction.WriteFile;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.domain.Uptake;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** keepalived on both nodes and the VIP's health, one observed situation per test. */
class NodePlannerTest {

    private static final String CONF = "/etc/keepalived/keepalived.conf";
    private static final String CHECK = "/usr/local/bin/traefikha-check";
    private static final ManagedFile PRIMARY_CONF = new ManagedFile(RemoteFile.rootOwned(CONF, "state MASTER", 0644), Uptake.AT_LOAD);
    private static final ManagedFile SECONDARY_CONF = new ManagedFile(RemoteFile.rootOwned(CONF, "state BACKUP", 0644), Uptake.AT_LOAD);
    private static final ManagedFile CHECK_SCRIPT = new ManagedFile(RemoteFile.rootOwned(CHECK, "#!/bin/sh", 0755), Uptake.RUN_VETTED_AT_LOAD);
    private static final Map<Role, List<ManagedFile>> WANTED = Map.of(
            PRIMARY, List.of(PRIMARY_CONF, CHECK_SCRIPT), SECONDARY, List.of(SECONDARY_CONF, CHECK_SCRIPT));
    private static final Role THIRD = Role.of(2);
    private static final ManagedFile THIRD_CONF = new ManagedFile(RemoteFile.rootOwned(CONF, "state BACKUP priority 230", 0644),
            Uptake.AT_LOAD);
    /** Three replicas: the pair's files and the third's. */
    private static final Map<Role, List<ManagedFile>> WANTED3 = Map.of(PRIMARY, WANTED.get(PRIMARY), SECONDARY,
            WANTED.get(SECONDARY), THIRD, List.of(THIRD_CONF, CHECK_SCRIPT));

    @Test
    void aFreshNodeGetsEverythingInOrder() {
        Map<Role, NodeObservation> nodes = healthy();
        nodes.put(SECONDARY, new Node(SECONDARY).bare().build());

        NodePlan plan = NodePlanner.plan(nodes, WANTED, true);

        assertThat(plan.actions()).containsExactly(new InstallPackage(SECONDARY, "keepalived"),
                new InstallPackage(SECONDARY, "curl"), new InstallPackage(SECONDARY, "jq"), new WriteFile(SECONDARY, SECONDARY_CONF),
                new WriteFile(SECONDARY, CHECK_SCRIPT), new EnableService(SECONDARY, "keepalived"),
                new StartService(SECONDARY, "keepalived"));
        assertThat(finding(plan, ConditionTypes.KEEPALIVED_CONFIGURED).status()).isFalse();
    }

    @Test
    void nothingIsRewrittenOrRestartedWhenAllIsInPlace() {
        NodePlan plan = NodePlanner.plan(healthy(), WANTED, true);

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan, ConditionTypes.KEEPALIVED_CONFIGURED).status()).isTrue();
        assertThat(finding(plan, ConditionTypes.VIP_HEALTHY)).satisfies(f -> {
            assertThat(f.status()).isTrue();
            assertThat(f.reason()).isEqualTo("Held");
        });
        assertThat(finding(plan, ConditionTypes.SPLIT_BRAIN).status()).isFalse();
        assertThat(plan.holders()).containsExactly(PRIMARY);
    }

    @Test
    void anEditedConfigIsRewrittenAndReloaded() {
        Map<Role, NodeObservation> nodes = healthy();
        nodes.put(SECONDARY, new Node(SECONDARY).file(CONF, "edited by hand").build());

        assertThat(NodePlanner.plan(nodes, WANTED, true).actions())
                .containsExactly(new WriteFile(SECONDARY, SECONDARY_CONF), new ReloadService(SECONDARY, "keepalived", "its configuration changed"));
    }

    @Test
    void anEditedScriptIsRewrittenWithoutTouchingTheService() {
        Map<Role, NodeObservation> nodes = healthy();
        nodes.put(PRIMARY, new Node(PRIMARY).holdsVip().file(CHECK, "edited").build());

        assertThat(NodePlanner.plan(nodes, WANTED, true).actions()).containsExactly(new WriteFile(PRIMARY, CHECK_SCRIPT));
    }

    private static final String OLDER = "0".repeat(64);

    /**
     * Written is not applied: keepalived reads its configuration (and vets its scripts) only when it loads, which the
     * node's record of its last load tells beside the files on disk.
     */
    static Stream<Arguments> notApplied() {
        NodeObservation primary = new Node(PRIMARY).holdsVip().build();
        ReloadService reloadSecondary = new ReloadService(SECONDARY, "keepalived", NodeAction.NOT_APPLIED);
        return Stream.of(
                Arguments.of("keepalived.conf written, the operator stopped before the reload: reloaded, not rewritten",
                        primary, new Node(SECONDARY).loadedAllBut(CONF, OLDER).build(), List.of(reloadSecondary),
                        "NotApplied", "written to the secondary but keepalived runs an older configuration; reloading"),
                Arguments.of("no record of a load (keepalived started by an earlier operator or by hand): reloaded once",
                        primary, new Node(SECONDARY).loaded(Map.of()).build(), List.of(reloadSecondary), "NotApplied",
                        "written to the secondary"),
                Arguments.of("the check script was missing when keepalived loaded (so it disabled it): reloaded",
                        primary, new Node(SECONDARY).loadedAllBut(CHECK, null).build(), List.of(reloadSecondary),
                        "NotApplied", "written to the secondary"),
                Arguments.of("the check script changed since the load: nothing, it is run afresh each time", primary,
                        new Node(SECONDARY).loadedAllBut(CHECK, OLDER).build(), List.of(), "Configured", "running"),
                Arguments.of("both nodes behind", new Node(PRIMARY).holdsVip().loaded(Map.of()).build(),
                        new Node(SECONDARY).loadedAllBut(CONF, OLDER).build(),
                        List.of(new ReloadService(PRIMARY, "keepalived", NodeAction.NOT_APPLIED), reloadSecondary),
                        "NotApplied", "written to the primary and the secondary but keepalived"),
                Arguments.of("keepalived.conf differs on disk although the record names the wanted one (a hand edit may"
                        + " have been loaded): rewritten and reloaded", primary,
                        new Node(SECONDARY).file(CONF, "edited").loadedAllBut(CONF, SECONDARY_CONF.sha256()).build(),
                        List.of(new WriteFile(SECONDARY, SECONDARY_CONF),
                                new ReloadService(SECONDARY, "keepalived", "its configuration changed")),
                        "Configuring", "write " + CONF),
                Arguments.of("the check script written where it was missing at the last load: written and reloaded",
                        primary, new Node(SECONDARY).without(CHECK).loadedAllBut(CHECK, null).build(),
                        List.of(new WriteFile(SECONDARY, CHECK_SCRIPT),
                                new ReloadService(SECONDARY, "keepalived", "its configuration changed")),
                        "Configuring", "write " + CHECK),
                Arguments.of("stopped with an older configuration recorded: started, which loads what is written",
                        primary, new Node(SECONDARY).stopped().loaded(Map.of()).build(),
                        List.of(new StartService(SECONDARY, "keepalived")), "Configuring", "start keepalived"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notApplied")
    void whatIsWrittenButNotLoadedIsReloadedNotRewritten(String situation, NodeObservation primary,
            NodeObservation secondary, List<NodeAction> actions, String reason, String messageContains) {
        Map<Role, NodeObservation> nodes = new TreeMap<>();
        nodes.put(PRIMARY, primary);
        nodes.put(SECONDARY, secondary);

        NodePlan plan = NodePlanner.plan(nodes, WANTED, true);

        assertThat(plan.actions()).containsExactlyElementsOf(actions);
        assertThat(finding(plan, ConditionTypes.KEEPALIVED_CONFIGURED)).satisfies(f -> {
            assertThat(f.status()).isEqualTo(actions.isEmpty());
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.message()).contains(messageContains);
        });
    }

    @Test
    void aStoppedKeepalivedIsStartedAndADisabledOneEnabled() {
        Map<Role, NodeObservation> nodes = healthy();
        nodes.put(SECONDARY, new Node(SECONDARY).stopped().disabled().build());

        assertThat(NodePlanner.plan(nodes, WANTED, true).actions())
                .containsExactly(new EnableService(SECONDARY, "keepalived"), new StartService(SECONDARY, "keepalived"));
    }

    @Test
    void anUnreachableNodeIsReportedNeverRepairedBlindly() {
        Map<Role, NodeObservation> nodes = healthy();
        nodes.put(SECONDARY, NodeObservation.unreachable(SECONDARY, "ssh: connection refused"));

        NodePlan plan = NodePlanner.plan(nodes, WANTED, true);

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan, ConditionTypes.KEEPALIVED_CONFIGURED)).satisfies(f -> {
            assertThat(f.reason()).isEqualTo("NodeUnreachable");
            assertThat(f.message()).contains("secondary").contains("connection refused");
        });
        assertThat(finding(plan, ConditionTypes.VIP_HEALTHY).status()).isTrue();
    }

    @Test
    void aVipHeldByNobodyIsUnhealthy() {
        Map<Role, NodeObservation> nodes = healthy();
        nodes.put(PRIMARY, new Node(PRIMARY).build());

        NodePlan plan = NodePlanner.plan(nodes, WANTED, true);

        assertThat(plan.holders()).isEmpty();
        assertThat(finding(plan, ConditionTypes.VIP_HEALTHY).reason()).isEqualTo("NoHolder");
    }

    @Test
    void aHolderWhoseTraefikIsDownIsUnhealthy() {
        Map<Role, NodeObservation> nodes = healthy();
        nodes.put(PRIMARY, new Node(PRIMARY).holdsVip().traefikDown().build());

        assertThat(finding(NodePlanner.plan(nodes, WANTED, true), ConditionTypes.VIP_HEALTHY).reason())
                .isEqualTo("HolderUnhealthy");
    }

    @Test
    void theBackupHoldingTheVipWhileThePrimaryIsHealthyIsSaidWithPreemption() {
        Map<Role, NodeObservation> nodes = new TreeMap<>();
        nodes.put(PRIMARY, new Node(PRIMARY).build());
        nodes.put(SECONDARY, new Node(SECONDARY).holdsVip().build());

        assertThat(finding(NodePlanner.plan(nodes, WANTED, true), ConditionTypes.VIP_HEALTHY).reason()).isEqualTo("HeldByBackup");
        assertThat(finding(NodePlanner.plan(nodes, WANTED, false), ConditionTypes.VIP_HEALTHY).reason()).isEqualTo("Held");
    }

    @Test
    void aStaleVipLeftByACrashIsCleanedOnTheCrashedNodeOnly() {
        Map<Role, NodeObservation> nodes = new TreeMap<>();
        nodes.put(PRIMARY, new Node(PRIMARY).holdsVip().stopped().state("MASTER").build());
        nodes.put(SECONDARY, new Node(SECONDARY).holdsVip().build());

        NodePlan plan = NodePlanner.plan(nodes, WANTED, true);

        assertThat(plan.actions()).containsExactly(new StartService(PRIMARY, "keepalived"));
        assertThat(finding(plan, ConditionTypes.SPLIT_BRAIN)).satisfies(f -> {
            assertThat(f.status()).isTrue();
            assertThat(f.reason()).isEqualTo("StaleAddress");
            assertThat(f.message()).contains("primary");
        });
        assertThat(plan.actions()).noneMatch(a -> a.role() == SECONDARY);
    }

    @Test
    void aRunningButNonMasterHolderIsRestarted() {
        Map<Role, NodeObservation> nodes = new TreeMap<>();
        nodes.put(PRIMARY, new Node(PRIMARY).holdsVip().build());
        nodes.put(SECONDARY, new Node(SECONDARY).holdsVip().state("BACKUP").build());

        assertThat(NodePlanner.plan(nodes, WANTED, true).actions()).singleElement()
                .isInstanceOfSatisfying(RestartService.class, r -> assertThat(r.role()).isEqualTo(SECONDARY));
    }

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String FIREWALL_DROPS = "CT 111: inbound policy DROP and no rule lets VRRP from 192.168.1.110 in";

    /** Two live MASTERs, or a node an earlier split brain held back: the cause found and what is done about it. */
    static Stream<Arguments> splitBrains() {
        NodeObservation master = new Node(PRIMARY).holdsVip().build();
        NodeObservation secondMaster = new Node(SECONDARY).holdsVip().build();
        NodeObservation stoppedSecondary = new Node(SECONDARY).stopped().state("STOP").build();
        SplitBrainContext.HeldBack heldMinuteAgo = new SplitBrainContext.HeldBack("AdvertsNotCrossing", NOW.minusSeconds(60));
        return Stream.of(
                row("both run the rendered config, firewall open: something between them drops the adverts",
                        master, secondMaster, null, null,
                        List.of(new StopService(SECONDARY, "keepalived")), true, "AdvertsNotCrossing", "multicast"),
                row("the Proxmox firewall drops VRRP", master, secondMaster, FIREWALL_DROPS, null,
                        List.of(new StopService(SECONDARY, "keepalived")), true, "AdvertsBlockedByFirewall", FIREWALL_DROPS),
                row("a hand-edited keepalived.conf (VRID or password can differ) is rewritten, nothing stopped",
                        master, new Node(SECONDARY).holdsVip().file(CONF, "edited").build(), null, null,
                        List.of(new WriteFile(SECONDARY, SECONDARY_CONF), new ReloadService(SECONDARY, "keepalived", "its configuration changed")), true,
                        "ConfigMismatch", CONF + " on the secondary"),
                row("keepalived.conf written but not loaded on the secondary (VRID or password can differ): reloaded,"
                        + " nothing stopped", master, new Node(SECONDARY).holdsVip().loadedAllBut(CONF, OLDER).build(),
                        null, null, List.of(new ReloadService(SECONDARY, "keepalived", NodeAction.NOT_APPLIED)), true,
                        "ConfigMismatch", "keepalived on the secondary runs an older configuration than the " + CONF),
                row("the primary's Traefik is down: the secondary is preferred",
                        new Node(PRIMARY).holdsVip().traefikDown().build(), secondMaster, null, null,
                        List.of(new StopService(PRIMARY, "keepalived")), true, "AdvertsNotCrossing", "only the secondary holds"),
                row("held back a minute ago: stays stopped", master, stoppedSecondary, null, heldMinuteAgo,
                        List.of(), true, "AdvertsNotCrossing", "was stopped so that only the primary holds the VIP"),
                row("held back six minutes ago: tried again", master, stoppedSecondary, null,
                        new SplitBrainContext.HeldBack("AdvertsNotCrossing", NOW.minusSeconds(360)),
                        List.of(new StartService(SECONDARY, "keepalived")), false, "Resolved", "trying again"),
                row("held back for the firewall, still dropping: stays stopped", master, stoppedSecondary, FIREWALL_DROPS,
                        new SplitBrainContext.HeldBack("AdvertsBlockedByFirewall", NOW.minusSeconds(3600)),
                        List.of(), true, "AdvertsBlockedByFirewall", "once the firewall lets VRRP through"),
                row("held back for the firewall, now fixed: started again", master, stoppedSecondary, null,
                        new SplitBrainContext.HeldBack("AdvertsBlockedByFirewall", NOW.minusSeconds(60)),
                        List.of(new StartService(SECONDARY, "keepalived")), false, "Resolved", "firewall lets VRRP through"),
                row("held back, but the holder's Traefik died: redundancy wins",
                        new Node(PRIMARY).holdsVip().traefikDown().build(), stoppedSecondary, null, heldMinuteAgo,
                        List.of(new StartService(SECONDARY, "keepalived")), false, "Resolved", "not healthy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splitBrains")
    void twoLiveMastersAreJudgedByTheirCause(String situation, NodeObservation primary, NodeObservation secondary,
            String firewallProblem, SplitBrainContext.HeldBack heldBack, List<NodeAction> actions, boolean split,
            String reason, String messageContains) {
        Map<Role, NodeObservation> nodes = new TreeMap<>();
        nodes.put(PRIMARY, primary);
        nodes.put(SECONDARY, secondary);

        NodePlan plan = NodePlanner.plan(nodes, WANTED, true, new SplitBrainContext(firewallProblem, heldBack, true, NOW));

        assertThat(plan.actions()).containsExactlyElementsOf(actions);
        assertThat(finding(plan, ConditionTypes.SPLIT_BRAIN)).satisfies(f -> {
            assertThat(f.status()).isEqualTo(split);
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.message()).contains(messageContains);
        });
    }

    @Test
    void twoLiveMastersSeenOnceAreReportedButNothingIsStopped() {
        Map<Role, NodeObservation> nodes = new TreeMap<>();
        nodes.put(PRIMARY, new Node(PRIMARY).holdsVip().build());
        nodes.put(SECONDARY, new Node(SECONDARY).holdsVip().build());

        NodePlan plan = NodePlanner.plan(nodes, WANTED, true, new SplitBrainContext(null, null, false, NOW));

        assertThat(plan.actions()).as("a failover between the two probes looks the same").isEmpty();
        assertThat(finding(plan, ConditionTypes.SPLIT_BRAIN)).satisfies(f -> {
            assertThat(f.status()).isTrue();
            assertThat(f.reason()).isEqualTo(NodePlanner.TWO_MASTERS_UNCONFIRMED);
        });
    }

    @Test
    void aHeldBackNodeKeepsTheClusterFromReportingKeepalivedConfigured() {
        Map<Role, NodeObservation> nodes = new TreeMap<>();
        nodes.put(PRIMARY, new Node(PRIMARY).holdsVip().build());
        nodes.put(SECONDARY, new Node(SECONDARY).stopped().state("STOP").build());

        NodePlan plan = NodePlanner.plan(nodes, WANTED, true, new SplitBrainContext(null,
                new SplitBrainContext.HeldBack("AdvertsNotCrossing", NOW), true, NOW));

        assertThat(finding(plan, ConditionTypes.KEEPALIVED_CONFIGURED).reason()).isEqualTo("HeldBack");
        assertThat(finding(plan, ConditionTypes.VIP_HEALTHY).status()).as("the primary alone serves the VIP").isTrue();
    }

    /** Three replicas, one observed situation each: what is done and what the findings say. */
    static Stream<Arguments> threeReplicas() {
        NodeObservation master = new Node(PRIMARY).holdsVip().build();
        NodeObservation backup = new Node(SECONDARY).build();
        NodeObservation thirdBackup = new Node(THIRD).build();
        SplitBrainContext.HeldBack heldMinuteAgo = new SplitBrainContext.HeldBack("AdvertsNotCrossing", NOW.minusSeconds(60));
        SplitBrainContext confirmed = new SplitBrainContext(null, null, true, NOW);
        return Stream.of(
                Arguments.of("all three configured, the primary holds", master, backup, thirdBackup, confirmed,
                        List.of(), "KeepalivedConfigured", true, "Configured", "running on all 3 nodes"),
                Arguments.of("a fresh third replica is configured like the others", master, backup,
                        new Node(THIRD).bare().build(), confirmed, List.of(new InstallPackage(THIRD, "keepalived"),
                                new InstallPackage(THIRD, "curl"), new InstallPackage(THIRD, "jq"),
                                new WriteFile(THIRD, THIRD_CONF), new WriteFile(THIRD, CHECK_SCRIPT),
                                new EnableService(THIRD, "keepalived"), new StartService(THIRD, "keepalived")),
                        "KeepalivedConfigured", false, "Configuring", "7 change(s)"),
                Arguments.of("the third holds the VIP while the primary is healthy", new Node(PRIMARY).build(), backup,
                        new Node(THIRD).holdsVip().build(), confirmed, List.of(), "VIPHealthy", true, "HeldByBackup",
                        "the secondary-2 holds the VIP"),
                Arguments.of("three live MASTERs seen twice: the two not preferred are stopped", master,
                        new Node(SECONDARY).holdsVip().build(), new Node(THIRD).holdsVip().build(), confirmed,
                        List.of(new StopService(SECONDARY, "keepalived"), new StopService(THIRD, "keepalived")),
                        "SplitBrain", true, "AdvertsNotCrossing", "3 nodes are MASTER"),
                Arguments.of("the primary and the third MASTER, the primary's Traefik down: the third is preferred",
                        new Node(PRIMARY).holdsVip().traefikDown().build(), backup, new Node(THIRD).holdsVip().build(),
                        confirmed, List.of(new StopService(PRIMARY, "keepalived")), "SplitBrain", true,
                        "AdvertsNotCrossing", "only the secondary-2 holds"),
                Arguments.of("a stale VIP on a crashed third replica is cleaned there only", master, backup,
                        new Node(THIRD).holdsVip().stopped().state("STOP").build(), confirmed,
                        List.of(new StartService(THIRD, "keepalived")), "SplitBrain", true, "StaleAddress",
                        "the secondary-2 holds a stale address"),
                Arguments.of("held back a minute ago beside a BACKUP that kept running: stays stopped", master,
                        new Node(SECONDARY).stopped().state("STOP").build(), thirdBackup,
                        new SplitBrainContext(null, heldMinuteAgo, true, NOW), List.of(), "SplitBrain", true,
                        "AdvertsNotCrossing", "keepalived on the secondary was stopped so that only the primary holds"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threeReplicas")
    void threeReplicasArePlannedLikeAPairAndSplitBrainStopsEveryHolderButOne(String situation, NodeObservation primary,
            NodeObservation secondary, NodeObservation third, SplitBrainContext context, List<NodeAction> actions,
            String condition, boolean status, String reason, String messageContains) {
        Map<Role, NodeObservation> nodes = new TreeMap<>(Map.of(PRIMARY, primary, SECONDARY, secondary, THIRD, third));

        NodePlan plan = NodePlanner.plan(nodes, WANTED3, true, context);

        assertThat(plan.actions()).containsExactlyElementsOf(actions);
        assertThat(finding(plan, condition)).satisfies(f -> {
            assertThat(f.status()).isEqualTo(status);
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.message()).contains(messageContains);
        });
    }

    @Test
    void aThirdReplicaThatWasNotProbedIsReported() {
        Map<Role, NodeObservation> nodes = healthy();

        NodePlan plan = NodePlanner.plan(nodes, WANTED3, true);

        assertThat(finding(plan, ConditionTypes.KEEPALIVED_CONFIGURED)).satisfies(f -> {
            assertThat(f.reason()).isEqualTo("NodeUnreachable");
            assertThat(f.message()).contains("the secondary-2: not probed");
        });
    }

    private static Arguments row(String situation, NodeObservation primary, NodeObservation secondary,
            String firewallProblem, SplitBrainContext.HeldBack heldBack, List<NodeAction> actions, boolean split,
            String reason, String messageContains) {
        return Arguments.of(situation, primary, secondary, firewallProblem, heldBack, actions, split, reason,
                messageContains);
    }

    private static Finding finding(NodePlan plan, String type) {
        return plan.findings().stream().filter(f -> f.type().equals(type)).findFirst().orElseThrow();
    }

    /** Both nodes configured and healthy, the primary MASTER with the VIP. */
    private static Map<Role, NodeObservation> healthy() {
        Map<Role, NodeObservation> nodes = new TreeMap<>();
        nodes.put(PRIMARY, new Node(PRIMARY).holdsVip().build());
        nodes.put(SECONDARY, new Node(SECONDARY).build());
        return nodes;
    }

    /** Builder: a configured, healthy BACKUP unless told otherwise. */
    private static final class Node {
        private final Role role;
        private boolean installed = true;
        private boolean active = true;
        private boolean enabled = true;
        private boolean traefikHealthy = true;
        private boolean vip;
        private String state = "BACKUP";
        private final Map<String, String> files = new HashMap<>();
        /** What keepalived read at its last load; null: the files as they are now. */
        private Map<String, String> loaded;

        Node(Role role) {
            this.role = role;
            WANTED3.get(role).forEach(f -> files.put(f.path(), f.sha256()));
        }

        Node bare() {
            installed = false;
            active = false;
            enabled = false;
            state = null;
            files.clear();
            return this;
        }

        Node holdsVip() {
            vip = true;
            state = "MASTER";
            return this;
        }

        Node state(String value) {
            state = value;
            return this;
        }

        Node stopped() {
            active = false;
            return this;
        }

        Node disabled() {
            enabled = false;
            return this;
        }

        Node traefikDown() {
            traefikHealthy = false;
            return this;
        }

        Node file(String path, String hash) {
            files.put(path, hash);
            return this;
        }

        Node without(String path) {
            files.remove(path);
            return this;
        }

        /** The node's record of what keepalived read at its last start or reload by the operator. */
        Node loaded(Map<String, String> hashes) {
            loaded = Map.copyOf(hashes);
            return this;
        }

        /** keepalived loaded the wanted files, except PATH as HASH (absent when null). */
        Node loadedAllBut(String path, String hash) {
            Map<String, String> hashes = new HashMap<>();
            WANTED3.get(role).forEach(f -> hashes.put(f.path(), f.sha256()));
            hashes.remove(path);
            if (hash != null) {
                hashes.put(path, hash);
            }
            return loaded(hashes);
        }

        NodeObservation build() {
            return new NodeObservation(role, true, null, installed, active, enabled, traefikHealthy, vip, state,
                    Map.copyOf(files), -1, null, null, loaded == null ? Map.copyOf(files) : loaded);
        }
    }
}
