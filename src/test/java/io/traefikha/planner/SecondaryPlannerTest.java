package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ContainerObservation.NetworkConfig;
import io.traefikha.domain.Finding;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxAction.CloneContainer;
import io.traefikha.domain.ProxmoxAction.ConfigureContainer;
import io.traefikha.domain.ProxmoxAction.CreateSnapshot;
import io.traefikha.domain.ProxmoxAction.DeleteSnapshot;
import io.traefikha.domain.ProxmoxAction.MigrateContainer;
import io.traefikha.domain.ProxmoxAction.ShutdownContainer;
import io.traefikha.domain.ProxmoxAction.StartContainer;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import java.time.Instant;
import io.traefikha.domain.StorageView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The secondary's life on Proxmox, one observed situation per test. */
class SecondaryPlannerTest {

    private static final String UID = "0b7f6a5e-1111-2222-3333-444455556666";
    private static final NetworkConfig PRIMARY_NET = new NetworkConfig("eth0", "vmbr0", "192.168.1.110/24", "192.168.1.1",
            "BC:24:11:00:00:10");
    private final TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();

    // --- the primary ---------------------------------------------------------------------------

    @Test
    void aMissingPrimaryIsReportedAndNothingIsCloned() {
        SecondaryPlan plan = plan(ContainerObservation.missing(), ContainerObservation.missing());

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan)).satisfies(f -> {
            assertThat(f.status()).isFalse();
            assertThat(f.reason()).isEqualTo("PrimaryNotFound");
            assertThat(f.message()).contains("CT 110").contains("not found on any node");
        });
    }

    @Test
    void aPrimaryMovedToAnotherNodeIsFollowedByItsVmidAndClonedWhereItIs() {
        SecondaryPlan plan = plan(primary(true).onNode("proxmox3").build(), ContainerObservation.missing());

        assertThat(plan.actions()).extracting(a -> a.getClass().getSimpleName()).containsExactly("CreateSnapshot",
                "CloneContainer");
        assertThat(onlyClone(plan).node()).isEqualTo("proxmox3");
    }

    @Test
    void aPrimaryMovedToAnotherNodeDoesNotStopTheSecondarysRepair() {
        SecondaryPlan plan = plan(primary(true).onNode("proxmox3").build(), provisioned().stopped().build());

        assertThat(plan.actions()).containsExactly(new StartContainer("proxmox2", 111));
    }

    // --- cloning -----------------------------------------------------------------------------

    @Test
    void aRunningPrimaryIsClonedFromATemporarySnapshotWithoutStopping() {
        SecondaryPlan plan = plan(primary(true).build(), ContainerObservation.missing());

        assertThat(plan.actions()).hasSize(2);
        assertThat(plan.actions().get(0)).isEqualTo(new CreateSnapshot("proxmox", 110, Ownership.CLONE_SNAPSHOT));
        CloneContainer clone = (CloneContainer) plan.actions().get(1);
        assertThat(clone.snapname()).isEqualTo(Ownership.CLONE_SNAPSHOT);
        assertThat(clone.full()).isTrue();
        assertThat(clone.newVmid()).isEqualTo(111);
        assertThat(clone.hostname()).isEqualTo("traefik-2");
        assertThat(Ownership.ownerUid(clone.description())).isEqualTo(UID);
        assertThat(plan.actions()).noneMatch(a -> a instanceof ShutdownContainer);
        assertThat(plan.waiting()).isTrue();
    }

    @Test
    void aSnapshotLeftByAnInterruptedRunIsReusedNotTakenTwice() {
        SecondaryPlan plan = plan(primary(true).withSnapshot(Ownership.CLONE_SNAPSHOT).build(),
                ContainerObservation.missing());

        assertThat(plan.actions()).singleElement().isInstanceOf(CloneContainer.class);
    }

    // --- where the disks go: spec.secondary.storage (default: the primary's rootfs storage) ---------------------------

    /**
     * The homelab's storages: local-lvm on every node (each node its own), local (dir, no container disks) everywhere,
     * local-zfs on every node, zfs2 only on proxmox2, zfs3 only on proxmox3, ceph shared by all.
     */
    private static final StorageView STORAGES = new StorageView(Map.of(
            "proxmox", storages("local-lvm", "local", "local-zfs", "ceph"),
            "proxmox2", storages("local-lvm", "local", "local-zfs", "ceph", "zfs2"),
            "proxmox3", storages("local-lvm", "local", "local-zfs", "ceph", "zfs3")));

    static Stream<Arguments> clonePlacements() {
        // name, spec.secondary.storage, the primary's rootfs storage, spec.secondary.node, full clone,
        // expected: clone's storage parameter, clone's target node (null: made beside the primary, migrated after)
        return Stream.of(
                Arguments.of("same storage id, local: clone beside the primary", null, "local-lvm", "proxmox2", true, "local-lvm", null),
                Arguments.of("another local storage on both nodes", "local-zfs", "local-lvm", "proxmox2", true, "local-zfs", null),
                Arguments.of("a local storage only the target has: copied there by the migration", "zfs2", "local-lvm", "proxmox2", true, null, null),
                Arguments.of("shared storage named: straight onto the node", "ceph", "local-lvm", "proxmox2", true, "ceph", "proxmox2"),
                Arguments.of("the primary on shared storage: straight onto the node", null, "ceph", "proxmox2", true, "ceph", "proxmox2"),
                Arguments.of("a linked clone takes no storage, shared still goes straight", null, "ceph", "proxmox2", false, null, "proxmox2"),
                Arguments.of("the primary's own node needs no target", "ceph", "local-lvm", "proxmox", true, "ceph", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clonePlacements")
    void theCloneIsPlacedWhereItsStorageAllows(String name, String specStorage, String primaryStorage, String node,
            boolean full, String cloneStorage, String cloneTarget) {
        spec.secondary.storage = specStorage;
        spec.secondary.node = node;
        spec.secondary.full = full;

        CloneContainer clone = onlyClone(plan(primary(false).onStorage(primaryStorage).build(), ContainerObservation.missing(),
                STORAGES));

        assertThat(clone.node()).isEqualTo("proxmox");
        assertThat(clone.storage()).isEqualTo(cloneStorage);
        assertThat(clone.target()).isEqualTo(cloneTarget);
    }

    static Stream<Arguments> migrations() {
        // name, spec.secondary.storage, the primary's rootfs storage, the clone's rootfs storage, expected target-storage
        return Stream.of(
                Arguments.of("same storage id: no map", null, "local-lvm", "local-lvm", null),
                Arguments.of("the clone already on the wanted storage: no map", "local-zfs", "local-lvm", "local-zfs", null),
                Arguments.of("a storage only the target has", "zfs2", "local-lvm", "local-lvm", "zfs2"),
                Arguments.of("default follows the primary's storage", null, "local-zfs", "local-lvm", "local-zfs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("migrations")
    void theMigrationPassesTheTargetStorageWhereTheDisksChangeStorage(String name, String specStorage,
            String primaryStorage, String cloneStorage, String targetStorage) {
        spec.secondary.storage = specStorage;

        SecondaryPlan plan = plan(primary(true).onStorage(primaryStorage).build(),
                cloned().onStorage(cloneStorage).stopped().build(), STORAGES);

        assertThat(plan.actions()).containsExactly(new MigrateContainer("proxmox", 111, "proxmox2", false, targetStorage));
    }

    static Stream<Arguments> unavailableStorages() {
        // name, spec.secondary.storage, the primary's rootfs storage, words the message must have
        return Stream.of(
                Arguments.of("a storage the node lacks", "zfs3", "local-lvm",
                        List.of("spec.secondary.storage 'zfs3' is not available on node proxmox2", "it is on proxmox3",
                                "(ceph, local-lvm, local-zfs, zfs2)")),
                Arguments.of("a storage nobody has", "nas", "local-lvm", List.of("'nas'", "no node has it")),
                Arguments.of("the primary's storage the node lacks", null, "zfs3",
                        List.of("storage 'zfs3' (the primary's rootfs storage, the default of spec.secondary.storage)",
                                "set spec.secondary.storage")),
                Arguments.of("a storage without container disks", "local", "local-lvm",
                        List.of("'local' on node proxmox2 does not hold container disks")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unavailableStorages")
    void aNodeWithoutTheStorageIsReportedBeforeAnythingIsDone(String name, String specStorage, String primaryStorage,
            List<String> words) {
        spec.secondary.storage = specStorage;

        SecondaryPlan cloning = plan(primary(true).onStorage(primaryStorage).build(), ContainerObservation.missing(), STORAGES);
        SecondaryPlan migrating = plan(primary(true).onStorage(primaryStorage).build(),
                cloned().onStorage("local-lvm").stopped().build(), STORAGES);

        for (SecondaryPlan plan : List.of(cloning, migrating)) {
            assertThat(plan.actions()).isEmpty();
            assertThat(finding(plan).reason()).isEqualTo("StorageUnavailable");
            assertThat(finding(plan).message()).contains(words);
        }
    }

    private static Map<String, StorageView.Storage> storages(String... ids) {
        Map<String, StorageView.Storage> on = new TreeMap<>();
        for (String id : ids) {
            on.put(id, new StorageView.Storage(id, id.equals("ceph"), !id.equals("local")));
        }
        return on;
    }

    @Test
    void aStoppedPrimaryIsClonedDirectly() {
        SecondaryPlan plan = plan(primary(false).build(), ContainerObservation.missing());

        assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(CloneContainer.class,
                c -> assertThat(c.snapname()).isNull());
    }

    @Test
    void aLockedPrimaryIsWaitedFor() {
        SecondaryPlan plan = plan(primary(true).locked("backup").build(), ContainerObservation.missing());

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.waiting()).isTrue();
        assertThat(finding(plan).message()).contains("locked (backup)");
    }

    @Test
    void storageThatCannotSnapshotIsExplainedAndThePrimaryKeepsRunning() {
        SecondaryPlan plan = SecondaryPlanner.plan(spec, UID,
                new ProxmoxObservation(primary(true).build(), ContainerObservation.missing()),
                ClusterMemory.NONE.withSnapshotUnsupported(true), DurableState.EMPTY);

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan).reason()).isEqualTo("SnapshotUnsupported");
        assertThat(finding(plan).message()).contains("cloneStrategy").contains("StopPrimary");
    }

    @Test
    void stoppingThePrimaryForTheCloneHappensOnlyWhenTheSpecOptsIn() {
        spec.secondary.cloneStrategy = SecondarySpec.CloneStrategy.StopPrimary;

        SecondaryPlan plan = plan(primary(true).build(), ContainerObservation.missing());

        assertThat(plan.actions()).hasSize(2);
        assertThat(plan.actions().get(0)).isInstanceOfSatisfying(ShutdownContainer.class,
                s -> assertThat(s.why()).contains("StopPrimary"));
        assertThat(onlyClone(plan).snapname()).isNull();
    }

    @Test
    void thePrimaryStoppedForACloneIsStartedAgainOnceTheCloneExists() {
        SecondaryPlan plan = planOwingAStart(primary(false).build(), provisioned().build());

        assertThat(plan.actions()).contains(new StartContainer("proxmox", 110));
    }

    @Test
    void thePrimaryStoppedForACloneServesAgainBeforeTheCloneIsMoved() {
        SecondaryPlan plan = planOwingAStart(primary(false).build(), cloned().stopped().build());

        assertThat(plan.actions()).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("StartContainer", "MigrateContainer");
        assertThat(plan.actions().get(0)).isEqualTo(new StartContainer("proxmox", 110));
    }

    @Test
    void thePrimaryStoppedForACloneStaysDownWhileTheCloneStillHoldsItsLock() {
        SecondaryPlan whileCloning = planOwingAStart(primary(false).locked("disk").build(),
                cloned().stopped().locked("create").build());
        SecondaryPlan sourceStillLocked = planOwingAStart(primary(false).locked("disk").build(),
                cloned().stopped().build());

        assertThat(whileCloning.actions()).isEmpty();
        assertThat(whileCloning.waiting()).isTrue();
        assertThat(sourceStillLocked.actions()).doesNotContain(new StartContainer("proxmox", 110));
    }

    @Test
    void aPrimaryRecordedAsStoppedButStillRunningIsStoppedOnceForTheClone() {
        spec.secondary.cloneStrategy = SecondarySpec.CloneStrategy.StopPrimary;

        SecondaryPlan plan = planOwingAStart(primary(true).build(), ContainerObservation.missing());

        assertThat(plan.actions()).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("ShutdownContainer", "CloneContainer");
    }

    private SecondaryPlan planOwingAStart(ContainerObservation primary, ContainerObservation secondary) {
        return SecondaryPlanner.plan(spec, UID, new ProxmoxObservation(primary, secondary), ClusterMemory.NONE,
                DurableState.EMPTY.withPrimaryStoppedForCloneSince(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void aPrimaryStoppedByItsOwnerIsNotStarted() {
        SecondaryPlan plan = plan(primary(false).build(), provisioned().build());

        assertThat(plan.actions()).doesNotContain(new StartContainer("proxmox", 110));
    }

    // --- ownership ---------------------------------------------------------------------------

    @Test
    void aContainerSomebodyElseOwnsIsAConflictAndUntouched() {
        SecondaryPlan plan = plan(primary(true).build(), provisioned().describedAs("my own CT").tags().build());

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.findings()).extracting(Finding::type)
                .containsExactly(ConditionTypes.SECONDARY_PROVISIONED, ConditionTypes.CONFLICT);
        assertThat(plan.findings().get(1).message()).contains("CT 111").contains("adoptExisting");
    }

    @Test
    void aContainerOfAnotherResourceIsAConflictNamingIt() {
        SecondaryPlan plan = plan(primary(true).build(),
                provisioned().describedAs(Ownership.markerLine("99999999-aaaa-bbbb-cccc-dddddddddddd")).build());

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.findings().get(1).message()).contains("99999999-aaaa");
    }

    @Test
    void anExistingContainerIsAdoptedWhenTheSpecSaysSoKeepingTheUsersDescription() {
        spec.secondary.adoptExisting = true;

        SecondaryPlan plan = plan(primary(true).build(), provisioned().describedAs("built by hand, runbook phase 2").tags("web").build());

        ConfigureContainer configure = (ConfigureContainer) plan.actions().get(0);
        assertThat(configure.options()).containsEntry("tags", "traefikha;web");
        assertThat(configure.options().get("description")).startsWith("built by hand, runbook phase 2\n")
                .contains(Ownership.markerLine(UID));
        assertThat(configure.net0()).isNull();
    }

    // --- after the clone -----------------------------------------------------------------------

    @Test
    void aCloneInProgressIsWaitedForNotClonedAgain() {
        SecondaryPlan plan = plan(primary(true).locked("disk").withSnapshot(Ownership.CLONE_SNAPSHOT).build(),
                provisioned().locked("create").onNode("proxmox").build());

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.waiting()).isTrue();
        assertThat(finding(plan).message()).contains("locked (create)");
    }

    @Test
    void aCloneOnTheWrongNodeIsMigratedFirst() {
        SecondaryPlan plan = plan(primary(true).build(), cloned().stopped().build());

        assertThat(plan.actions()).containsExactly(new MigrateContainer("proxmox", 111, "proxmox2", false, null));
    }

    @Test
    void aRunningCloneOnTheWrongNodeIsMigratedInRestartMode() {
        SecondaryPlan plan = plan(primary(true).build(), cloned().onNode("proxmox3").build());

        assertThat(plan.actions()).containsExactly(new MigrateContainer("proxmox3", 111, "proxmox2", true, null));
    }

    @Test
    void aPlacedSecondaryMovedByProxmoxHaIsFollowedNotMigratedBack() {
        SecondaryPlan running = plan(primary(true).build(), provisioned().onNode("proxmox3").build());
        SecondaryPlan stopped = plan(primary(true).build(), provisioned().onNode("proxmox3").stopped().build());

        assertThat(running.actions()).isEmpty();
        assertThat(finding(running).reason()).isEqualTo("Provisioned");
        assertThat(finding(running).message()).contains("running on node proxmox3")
                .contains("moved there from spec.secondary.node proxmox2");
        assertThat(stopped.actions()).as("repaired where it is").containsExactly(new StartContainer("proxmox3", 111));
    }

    @Test
    void aFreshCloneGetsItsOwnAddressKeepingItsMacBeforeItIsEverStarted() {
        ContainerObservation fresh = provisioned().stopped().net(PRIMARY_NET.ip(), "BC:24:11:AB:CD:EF").noOnboot().tags().build();

        SecondaryPlan plan = plan(primary(true).withSnapshot(Ownership.CLONE_SNAPSHOT).build(), fresh);

        assertThat(plan.actions()).hasSize(3);
        ConfigureContainer configure = (ConfigureContainer) plan.actions().get(0);
        assertThat(configure.net0()).isEqualTo(new NetworkConfig("eth0", "vmbr0", "192.168.1.111/24", "192.168.1.1",
                "BC:24:11:AB:CD:EF"));
        assertThat(configure.options()).containsEntry("onboot", "1").containsEntry("tags", "traefikha");
        assertThat(configure.digest()).isEqualTo("digest-111");
        assertThat(plan.actions().get(1)).isEqualTo(new DeleteSnapshot("proxmox", 110, Ownership.CLONE_SNAPSHOT));
        assertThat(plan.actions().get(2)).isEqualTo(new StartContainer("proxmox2", 111));
    }

    @Test
    void aFreshCloneOfAPrimaryWithAStaticIpv6AddressGetsSecondaryAddress6() {
        spec.secondary.address6 = "fd00:1::111/64";
        ContainerObservation fresh = provisioned().stopped().net(PRIMARY_NET.ip(), "BC:24:11:AB:CD:EF")
                .ip6("fd00:1::110/64").build();

        ConfigureContainer configure = (ConfigureContainer) plan(primary(true).build(), fresh).actions().get(0);

        assertThat(configure.net0()).isEqualTo(new NetworkConfig("eth0", "vmbr0", "192.168.1.111/24", "192.168.1.1",
                "BC:24:11:AB:CD:EF", "fd00:1::111/64"));
        assertThat(configure.describe()).contains("ip6 fd00:1::111/64");
        assertThat(plan(primary(true).build(), provisioned().ip6("fd00:1::111/64").build()).actions())
                .as("in place: nothing to do").isEmpty();
    }

    @Test
    void anIpv6SettingThatIsNoStaticAddressOrWithoutAddress6IsLeftAlone() {
        spec.secondary.address6 = "fd00:1::111/64";
        assertThat(plan(primary(true).build(), provisioned().ip6("auto").build()).actions()).as("SLAAC").isEmpty();
        assertThat(plan(primary(true).build(), provisioned().ip6("dhcp").build()).actions()).as("DHCPv6").isEmpty();
        spec.secondary.address6 = null;
        assertThat(plan(primary(true).build(), provisioned().ip6("fd00:1::110/64").build()).actions())
                .as("no address6: the operator has no IPv6 address to give").isEmpty();
    }

    @Test
    void aCloneCarryingThePrimarysStaticIpv6AddressIsNeverStartedWithoutAddress6() {
        spec.secondary.address6 = null;
        ContainerObservation primary = primary(true).ip6("fd00:1::110/64").build();

        SecondaryPlan fresh = plan(primary, provisioned().stopped().ip6("fd00:1::110/64").build());
        assertThat(fresh.actions()).noneMatch(action -> action instanceof StartContainer);
        assertThat(fresh.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.status()).isFalse();
            assertThat(finding.reason()).isEqualTo("DuplicateAddress");
            assertThat(finding.message()).contains("static IPv6 address fd00:1::110/64", "it is not started",
                    "spec.secondary.address6");
        });

        SecondaryPlan running = plan(primary, provisioned().ip6("fd00:1::110/64").build());
        assertThat(running.actions()).as("a running secondary is reported, not stopped").isEmpty();
        assertThat(running.findings()).extracting(Finding::reason).containsExactly("DuplicateAddress");

        assertThat(plan(primary, provisioned().ip6("fd00:1::111/64").build()).findings())
                .as("an address of its own, set by hand").extracting(Finding::reason).containsExactly("Provisioned");
    }

    @Test
    void aStoppedSecondaryIsStarted() {
        SecondaryPlan plan = plan(primary(true).build(), provisioned().stopped().build());

        assertThat(plan.actions()).containsExactly(new StartContainer("proxmox2", 111));
    }

    @Test
    void aRenamedSecondaryGetsItsHostnameBackAndNothingElse() {
        SecondaryPlan plan = plan(primary(true).build(), provisioned().hostname("oops").build());

        assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(ConfigureContainer.class, c -> {
            assertThat(c.options()).containsOnlyKeys("hostname");
            assertThat(c.net0()).isNull();
        });
    }

    @Test
    void aProvisionedSecondaryNeedsNothing() {
        SecondaryPlan plan = plan(primary(true).build(), provisioned().build());

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan).status()).isTrue();
        assertThat(finding(plan).reason()).isEqualTo("Provisioned");
    }

    @Test
    void everyActionDescribesItselfForAPerson() {
        SecondaryPlan plan = plan(primary(true).build(), ContainerObservation.missing());

        assertThat(plan.actions()).extracting(ProxmoxAction::describe)
                .containsExactly("snapshot CT 110 on proxmox as 'traefikha_clone' (temporary, for a clone without downtime)",
                        "clone CT 110 to CT 111 'traefik-2' from snapshot 'traefikha_clone' on node proxmox onto storage local-lvm");
    }

    // --- three replicas: spec.secondaries -------------------------------------------------------

    private static final Instant STOPPED_AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SNAPSHOT = "snapshot CT 110 on proxmox as 'traefikha_clone' (temporary, for a clone"
            + " without downtime)";
    private static final String DELETE_SNAPSHOT = "delete the temporary snapshot 'traefikha_clone' of CT 110";
    private static final String CLONE_112_FROM_SNAPSHOT = "clone CT 110 to CT 112 'traefik-3' from snapshot"
            + " 'traefikha_clone' on node proxmox onto storage local-lvm";
    private static final Consumer<List<SecondarySpec>> AS_WRITTEN = secondaries -> { };
    private static final Consumer<List<SecondarySpec>> BOTH_STOP_PRIMARY = secondaries -> secondaries
            .forEach(s -> s.cloneStrategy = SecondarySpec.CloneStrategy.StopPrimary);
    private static final Consumer<List<SecondarySpec>> FIRST_STOPS_PRIMARY = secondaries -> secondaries.get(0)
            .cloneStrategy = SecondarySpec.CloneStrategy.StopPrimary;

    static Stream<Arguments> threeReplicas() {
        // name, spec change, primary, secondary (111), secondary-2 (112), the primary owed a start, the storages,
        // expected: the actions as described, SecondaryProvisioned's reason, words its message must have
        return Stream.of(
                Arguments.of("nothing cloned yet: the first is cloned from a snapshot, the second waits its turn",
                        AS_WRITTEN, primary(true), missing(), missing(), false, StorageView.UNREAD,
                        List.of(SNAPSHOT, "clone CT 110 to CT 111 'traefik-2' from snapshot 'traefikha_clone' on node"
                                + " proxmox onto storage local-lvm"), "Cloning",
                        List.of("secondary: cloning CT 110 to CT 111 from a temporary snapshot",
                                "secondary-2: CT 112 is cloned once the clone of CT 111 is done (one clone at a time)")),
                Arguments.of("the first clone still holds its lock: nothing, not even the snapshot is touched",
                        AS_WRITTEN, primary(true).locked("disk").withSnapshot(Ownership.CLONE_SNAPSHOT),
                        cloned().stopped().locked("create"), missing(), false, StorageView.UNREAD, List.of(), "Waiting",
                        List.of("CT 111 is locked (create)", "CT 112 is cloned once CT 111 is unlocked (create")),
                Arguments.of("the first cloned and unlocked: moved to its node while the second is cloned from the"
                        + " same snapshot", AS_WRITTEN, primary(true).withSnapshot(Ownership.CLONE_SNAPSHOT),
                        cloned().stopped(), missing(), false, StorageView.UNREAD,
                        List.of("migrate CT 111 from proxmox to proxmox2", CLONE_112_FROM_SNAPSHOT), "Migrating",
                        List.of("secondary: moving CT 111 to node proxmox2", "secondary-2: cloning CT 110 to CT 112")),
                Arguments.of("both cloned beside the primary: each moved to its own node, the snapshot kept",
                        AS_WRITTEN, primary(true).withSnapshot(Ownership.CLONE_SNAPSHOT), provisioned(),
                        clonedThird().stopped(), false, StorageView.UNREAD,
                        List.of("migrate CT 112 from proxmox to proxmox3"), "Migrating",
                        List.of("secondary: CT 111 'traefik-2' is running on node proxmox2", "secondary-2: moving CT 112")),
                Arguments.of("both on their nodes with the primary's address: both configured, the snapshot deleted,"
                        + " then both started", AS_WRITTEN, primary(true).withSnapshot(Ownership.CLONE_SNAPSHOT),
                        provisioned().stopped().net(PRIMARY_NET.ip(), "BC:24:11:AB:CD:EF"),
                        third().stopped().net(PRIMARY_NET.ip(), "BC:24:11:AB:CD:12"), false, StorageView.UNREAD,
                        List.of("set net0 (ip 192.168.1.111/24, gw 192.168.1.1, bridge vmbr0) of CT 111",
                                "set net0 (ip 192.168.1.112/24, gw 192.168.1.1, bridge vmbr0) of CT 112",
                                DELETE_SNAPSHOT, "start CT 111 on proxmox2", "start CT 112 on proxmox3"),
                        "Configuring", List.of("secondary: bringing CT 111", "secondary-2: bringing CT 112")),
                Arguments.of("all three provisioned: nothing to do, each replica named", AS_WRITTEN, primary(true),
                        provisioned(), third(), false, StorageView.UNREAD, List.of(), "Provisioned",
                        List.of("secondary: CT 111 'traefik-2' is running on node proxmox2 with address 192.168.1.111/24;"
                                + " secondary-2: CT 112 'traefik-3' is running on node proxmox3 with address"
                                + " 192.168.1.112/24")),
                Arguments.of("the second's VMID belongs to someone else: a Conflict naming its field, the first still"
                        + " looked after", AS_WRITTEN, primary(true), provisioned().stopped(),
                        third().describedAs("my own CT").tags(), false, StorageView.UNREAD,
                        List.of("start CT 111 on proxmox2"), "Configuring",
                        List.of("secondary-2: CT 112 exists but belongs to nobody this operator knows",
                                "Choose another spec.secondaries[1].vmid, or set spec.secondaries[1].adoptExisting")),
                Arguments.of("the second carries the primary's static IPv6 address: never started, named by its field",
                        AS_WRITTEN, primary(true).ip6("fd00:1::110/64"), provisioned().ip6("fd00:1::111/64"),
                        third().stopped().ip6("fd00:1::110/64"), false, StorageView.UNREAD, List.of(), "DuplicateAddress",
                        List.of("secondary-2: CT 112 carries the primary's static IPv6 address fd00:1::110/64",
                                "set spec.secondaries[1].address6")),
                Arguments.of("StopPrimary: the primary is shut down once for the first clone", BOTH_STOP_PRIMARY,
                        primary(true), missing(), missing(), false, StorageView.UNREAD,
                        List.of("shut down CT 110 on proxmox (spec.secondaries[0].cloneStrategy is StopPrimary: Traefik"
                                + " is down until the clone is done)",
                                "clone CT 110 to CT 111 'traefik-2' on node proxmox onto storage local-lvm"), "Cloning",
                        List.of("CT 112 is cloned once the clone of CT 111 is done")),
                Arguments.of("StopPrimary for both: the primary stays down for the second clone, not started twice",
                        BOTH_STOP_PRIMARY, primary(false), cloned().stopped(), missing(), true, StorageView.UNREAD,
                        List.of("migrate CT 111 from proxmox to proxmox2",
                                "clone CT 110 to CT 112 'traefik-3' on node proxmox onto storage local-lvm"), "Migrating",
                        List.of("secondary-2: cloning CT 110 to CT 112")),
                Arguments.of("StopPrimary for both, both cloned: the primary is started first", BOTH_STOP_PRIMARY,
                        primary(false), cloned().stopped(), clonedThird().stopped(), true, StorageView.UNREAD,
                        List.of("start CT 110 on proxmox", "migrate CT 111 from proxmox to proxmox2",
                                "migrate CT 112 from proxmox to proxmox3"), "Migrating", List.of("secondary-2: moving CT 112")),
                Arguments.of("StopPrimary only for the first: the primary runs again before the second is cloned from a"
                        + " snapshot", FIRST_STOPS_PRIMARY, primary(false), cloned().stopped(), missing(), true,
                        StorageView.UNREAD, List.of("start CT 110 on proxmox", "migrate CT 111 from proxmox to proxmox2"),
                        "Migrating", List.of("secondary-2: CT 112 is cloned once the primary CT 110 runs again")),
                Arguments.of("StopPrimary, the second clone cannot happen (its storage is not on its node): the primary"
                        + " does not wait for it", BOTH_STOP_PRIMARY.andThen(s -> s.get(1).storage = "zfs2"),
                        primary(false), cloned().stopped(), missing(), true, STORAGES,
                        List.of("start CT 110 on proxmox", "migrate CT 111 from proxmox to proxmox2"), "Migrating",
                        List.of("secondary-2: spec.secondaries[1].storage 'zfs2' is not available on node proxmox3")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threeReplicas")
    void threeReplicasAreClonedOneAtATimeEachOntoItsOwnNode(String name, Consumer<List<SecondarySpec>> given, Ct primary,
            Ct secondary, Ct secondary2, boolean owed, StorageView storages, List<String> actions, String reason,
            List<String> words) {
        TraefikHAClusterSpec three = ExampleSpecs.threeReplicas(spec);
        given.accept(three.secondaries);
        DurableState durable = owed ? DurableState.EMPTY.withPrimaryStoppedForCloneSince(STOPPED_AT) : DurableState.EMPTY;

        SecondaryPlan plan = SecondaryPlanner.plan(three, UID, new ProxmoxObservation(primary.build(),
                Map.of(Role.SECONDARY, secondary.build(), Role.of(2), secondary2.build()), storages), ClusterMemory.NONE,
                durable);

        assertThat(plan.actions()).extracting(ProxmoxAction::describe).containsExactlyElementsOf(actions);
        assertThat(plan.actions().stream().filter(CloneContainer.class::isInstance)).as("one clone at a time").hasSizeLessThan(2);
        assertThat(finding(plan).status()).isEqualTo(reason.equals("Provisioned"));
        assertThat(finding(plan).reason()).isEqualTo(reason);
        assertThat(finding(plan).message()).contains(words);
    }

    @Test
    void aConflictOfTheSecondReplicaIsOneConflictFindingNamingIt() {
        SecondaryPlan plan = SecondaryPlanner.plan(ExampleSpecs.threeReplicas(spec), UID, new ProxmoxObservation(primary(true).build(),
                Map.of(Role.SECONDARY, provisioned().build(), Role.of(2), third().describedAs("my own CT").tags().build()),
                StorageView.UNREAD), ClusterMemory.NONE, DurableState.EMPTY);

        assertThat(plan.findings()).extracting(Finding::type)
                .containsExactly(ConditionTypes.SECONDARY_PROVISIONED, ConditionTypes.CONFLICT);
        assertThat(plan.findings().get(1).message()).startsWith("secondary-2: CT 112 exists").doesNotContain("CT 111");
    }


    // --- helpers -------------------------------------------------------------------------------

    private SecondaryPlan plan(ContainerObservation primary, ContainerObservation secondary) {
        return plan(primary, secondary, StorageView.UNREAD);
    }

    private SecondaryPlan plan(ContainerObservation primary, ContainerObservation secondary, StorageView storages) {
        return SecondaryPlanner.plan(spec, UID, new ProxmoxObservation(primary, secondary, storages),
                ClusterMemory.NONE, DurableState.EMPTY);
    }

    private static CloneContainer onlyClone(SecondaryPlan plan) {
        return plan.actions().stream().filter(CloneContainer.class::isInstance).map(CloneContainer.class::cast)
                .findFirst().orElseThrow();
    }

    private static Finding finding(SecondaryPlan plan) {
        return plan.findings().get(0);
    }

    private static Ct primary(boolean running) {
        return new Ct("proxmox", "traefik", PRIMARY_NET, running).tags("web").describedAs("Traefik");
    }

    /** The secondary as the operator leaves it: owned, configured, running on its node. */
    private static Ct provisioned() {
        return new Ct("proxmox2", "traefik-2", new NetworkConfig("eth0", "vmbr0", "192.168.1.111/24", "192.168.1.1",
                "BC:24:11:00:00:11"), true).tags("traefikha").describedAs(Ownership.markedDescription(null, UID));
    }

    /** A fresh clone beside the primary: owned, but still on the primary's node with the primary's address. */
    private static Ct cloned() {
        return provisioned().onNode("proxmox").net(PRIMARY_NET.ip(), "BC:24:11:AB:CD:EF");
    }

    /** The second secondary (CT 112) as the operator leaves it: owned, configured, running on proxmox3. */
    private static Ct third() {
        return new Ct("proxmox3", "traefik-3", new NetworkConfig("eth0", "vmbr0", "192.168.1.112/24", "192.168.1.1",
                "BC:24:11:00:00:12"), true).tags("traefikha").describedAs(Ownership.markedDescription(null, UID));
    }

    /** A fresh clone for CT 112 beside the primary. */
    private static Ct clonedThird() {
        return third().onNode("proxmox").net(PRIMARY_NET.ip(), "BC:24:11:AB:CD:12");
    }

    /** No container with that VMID. */
    private static Ct missing() {
        return new Ct(null, null, null, false).absent();
    }

    /** A small builder so each test states only what differs. */
    private static final class Ct {
        private String node;
        private String hostname;
        private NetworkConfig net;
        private boolean running;
        private String lock;
        private boolean onboot = true;
        private Set<String> tags = Set.of();
        private String description;
        private List<String> snapshots = List.of();
        private String storage = "local-lvm";
        private boolean exists = true;

        Ct(String node, String hostname, NetworkConfig net, boolean running) {
            this.node = node;
            this.hostname = hostname;
            this.net = net;
            this.running = running;
        }

        Ct onNode(String value) {
            node = value;
            return this;
        }

        Ct hostname(String value) {
            hostname = value;
            return this;
        }

        Ct net(String ip, String hwaddr) {
            net = new NetworkConfig(net.name(), net.bridge(), ip, net.gateway(), hwaddr, net.ip6());
            return this;
        }

        Ct ip6(String value) {
            net = new NetworkConfig(net.name(), net.bridge(), net.ip(), net.gateway(), net.hwaddr(), value);
            return this;
        }

        Ct stopped() {
            running = false;
            return this;
        }

        Ct locked(String value) {
            lock = value;
            return this;
        }

        Ct noOnboot() {
            onboot = false;
            return this;
        }

        Ct tags(String... values) {
            tags = Set.of(values);
            return this;
        }

        Ct describedAs(String value) {
            description = value;
            return this;
        }

        Ct onStorage(String value) {
            storage = value;
            return this;
        }

        Ct absent() {
            exists = false;
            return this;
        }

        Ct withSnapshot(String name) {
            snapshots = List.of(name);
            return this;
        }

        ContainerObservation build() {
            if (!exists) {
                return ContainerObservation.missing();
            }
            int vmid = "traefik".equals(hostname) ? 110 : "traefik-3".equals(hostname) ? 112 : 111;
            return new ContainerObservation(true, node, running, lock, hostname, net, onboot, tags, description,
                    "digest-" + vmid, snapshots, storage);
        }
    }
}
