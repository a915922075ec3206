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
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
            assertThat(f.message()).contains("CT 110").contains("proxmox");
        });
    }

    @Test
    void aPrimaryOnAnotherNodeIsReportedWithWhereItIs() {
        SecondaryPlan plan = plan(primary(true).onNode("proxmox3").build(), ContainerObservation.missing());

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan).message()).contains("it is on node proxmox3");
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

    @Test
    void withoutSharedStorageTheCloneStaysOnThePrimarysNodeToBeMigratedAfter() {
        CloneContainer clone = onlyClone(plan(primary(true).build(), ContainerObservation.missing(), false));

        assertThat(clone.node()).isEqualTo("proxmox");
        assertThat(clone.target()).isNull();
    }

    @Test
    void withSharedStorageTheCloneLandsOnTheSecondarysNodeDirectly() {
        CloneContainer clone = onlyClone(plan(primary(true).build(), ContainerObservation.missing(), true));

        assertThat(clone.target()).isEqualTo("proxmox2");
    }

    @Test
    void aSecondaryOnThePrimarysOwnNodeNeedsNoTarget() {
        spec.secondary.node = "proxmox";
        CloneContainer clone = onlyClone(plan(primary(true).build(), ContainerObservation.missing(), true));

        assertThat(clone.target()).isNull();
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
                new ProxmoxObservation(primary(true).build(), ContainerObservation.missing(), false),
                ClusterMemory.NONE.withSnapshotUnsupported(true));

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
        SecondaryPlan plan = SecondaryPlanner.plan(spec, UID,
                new ProxmoxObservation(primary(false).build(), provisioned().build(), false),
                ClusterMemory.NONE.withPrimaryStoppedForCloneSince(Instant.parse("2026-01-01T00:00:00Z")));

        assertThat(plan.actions()).contains(new StartContainer("proxmox", 110));
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
        SecondaryPlan plan = plan(primary(true).build(), provisioned().onNode("proxmox").stopped().build());

        assertThat(plan.actions()).containsExactly(new MigrateContainer("proxmox", 111, "proxmox2", false));
    }

    @Test
    void aRunningSecondaryOnTheWrongNodeIsMigratedInRestartMode() {
        SecondaryPlan plan = plan(primary(true).build(), provisioned().onNode("proxmox3").build());

        assertThat(plan.actions()).containsExactly(new MigrateContainer("proxmox3", 111, "proxmox2", true));
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
                        "clone CT 110 to CT 111 'traefik-2' from snapshot 'traefikha_clone' on node proxmox");
    }

    // --- helpers -------------------------------------------------------------------------------

    private SecondaryPlan plan(ContainerObservation primary, ContainerObservation secondary) {
        return plan(primary, secondary, false);
    }

    private SecondaryPlan plan(ContainerObservation primary, ContainerObservation secondary, boolean storageShared) {
        return SecondaryPlanner.plan(spec, UID, new ProxmoxObservation(primary, secondary, storageShared),
                ClusterMemory.NONE);
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
            net = new NetworkConfig(net.name(), net.bridge(), ip, net.gateway(), hwaddr);
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

        Ct withSnapshot(String name) {
            snapshots = List.of(name);
            return this;
        }

        ContainerObservation build() {
            int vmid = "traefik".equals(hostname) ? 110 : 111;
            return new ContainerObservation(true, node, running, lock, hostname, net, onboot, tags, description,
                    "digest-" + vmid, snapshots);
        }
    }
}
