package io.traefikha.planner;

import static io.traefikha.domain.Role.PRIMARY;
import static io.traefikha.domain.Role.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ContainerObservation.NetworkConfig;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RollbackPlannerTest {

    private static final String UID = "1d0e0000-0000-4000-8000-000000000001";
    /** The operator stopped the primary for a clone and owes it a start. */
    private static final DurableState OWED = DurableState.EMPTY.withPrimaryStoppedForCloneSince(
            Instant.parse("2026-11-25T08:00:00Z"));
    private final TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();

    @Test
    void retainLeavesEverything() {
        spec.deletionPolicy = DeletionPolicy.Retain;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(true, ours()), DurableState.EMPTY);

        assertThat(plan.nodeActions()).isEmpty();
        assertThat(plan.proxmoxActions()).isEmpty();
    }

    @Test
    void rollbackStopsKeepalivedSecondaryFirstAndShutsTheSecondaryDown() {
        spec.deletionPolicy = DeletionPolicy.Rollback;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(true, ours()), DurableState.EMPTY);

        assertThat(plan.nodeActions()).filteredOn(a -> a instanceof NodeAction.StopService || a instanceof NodeAction.DisableService)
                .containsExactly(new NodeAction.StopService(SECONDARY, "keepalived"),
                new NodeAction.DisableService(SECONDARY, "keepalived"), new NodeAction.StopService(PRIMARY, "keepalived"),
                new NodeAction.DisableService(PRIMARY, "keepalived"), new NodeAction.StopService(PRIMARY, "lsyncd"),
                new NodeAction.DisableService(PRIMARY, "lsyncd"));
        assertThat(plan.proxmoxActions()).singleElement().isInstanceOfSatisfying(ProxmoxAction.ShutdownContainer.class,
                s -> assertThat(s.vmid()).isEqualTo(111));
    }

    @Test
    void deleteAlsoDestroysTheOwnedSecondary() {
        spec.deletionPolicy = DeletionPolicy.Delete;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(true, ours()), DurableState.EMPTY);

        assertThat(plan.proxmoxActions()).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("ShutdownContainer", "DestroyContainer");
    }

    @Test
    void aSecondaryThisResourceDoesNotOwnIsNeverTouched() {
        spec.deletionPolicy = DeletionPolicy.Delete;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(true, container("proxmox2", true, "made by hand")),
                DurableState.EMPTY);

        assertThat(plan.nodeActions()).allSatisfy(a -> assertThat(a.role()).isEqualTo(PRIMARY));
        assertThat(plan.proxmoxActions()).isEmpty();
    }

    @Test
    void stoppedContainersNeedNoKeepalivedStopButAreStillDestroyed() {
        spec.deletionPolicy = DeletionPolicy.Delete;
        ContainerObservation stoppedSecondary = container("proxmox2", false, Ownership.markedDescription(null, UID));

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(false, stoppedSecondary), DurableState.EMPTY);

        assertThat(plan.nodeActions()).isEmpty();
        assertThat(plan.proxmoxActions()).containsExactly(new ProxmoxAction.DestroyContainer("proxmox2", 111, UID));
    }

    @Test
    void rollbackRestoresEveryFileTheOperatorMayHaveWrittenAfterStoppingTheServicesThatReadThem() {
        spec.deletionPolicy = DeletionPolicy.Rollback;

        List<NodeAction> actions = RollbackPlanner.plan(spec, UID, seen(true, ours()), DurableState.EMPTY).nodeActions();

        assertThat(restored(actions, PRIMARY)).containsExactly("/etc/systemd/system/traefik.service.d/traefik-ha.conf",
                "/usr/local/bin/traefik-ha-check.sh", "/usr/local/bin/traefik-ha-notify.sh",
                "/etc/keepalived/traefik-ha-notify-webhook.curl", "/etc/keepalived/keepalived.conf",
                "/etc/logrotate.d/traefik-ha-keepalived", "/etc/keepalived/traefik-ha-health-ca.pem",
                "/usr/local/bin/traefik-ha-heartbeat.sh", "/etc/keepalived/traefik-ha-heartbeat.curl",
                "/usr/local/bin/traefik-ha-traefik-hook.sh", "/etc/traefik-ha/sync/id_ed25519",
                "/etc/traefik-ha/sync/known_hosts", "/etc/lsyncd/lsyncd.conf.lua");
        assertThat(restored(actions, SECONDARY)).containsExactly("/etc/systemd/system/traefik.service.d/traefik-ha.conf",
                "/usr/local/bin/traefik-ha-check.sh", "/usr/local/bin/traefik-ha-notify.sh",
                "/etc/keepalived/traefik-ha-notify-webhook.curl", "/etc/keepalived/keepalived.conf",
                "/etc/logrotate.d/traefik-ha-keepalived", "/etc/keepalived/traefik-ha-health-ca.pem",
                "/usr/local/bin/traefik-ha-heartbeat.sh", "/etc/keepalived/traefik-ha-heartbeat.curl",
                "/usr/local/bin/traefik-ha-traefik-hook.sh", "/usr/local/bin/traefik-ha-rsync-only");
        assertThat(actions).as("authorized_keys keeps keys added since; only the sync key goes")
                .contains(new NodeAction.RemoveSyncKey(SECONDARY))
                .noneMatch(a -> a instanceof NodeAction.RestoreOriginals r
                        && r.paths().stream().anyMatch(p -> p.contains("authorized_keys")));
        assertThat(actions).as("one action, so one Event, per node").filteredOn(a -> a instanceof NodeAction.RestoreOriginals)
                .hasSize(2);
        for (Role role : Role.pair()) {
            int lastStop = lastIndex(actions, a -> a.role() == role && a instanceof NodeAction.DisableService);
            int firstRestore = actions.indexOf(actions.stream().filter(a -> a.role() == role
                    && a instanceof NodeAction.RestoreOriginals).findFirst().orElseThrow());
            assertThat(lastStop).as(role + ": services stopped before their files go").isLessThan(firstRestore);
        }
    }

    @Test
    void pushModeRunsNoLsyncdToStopButStillRestoresFilesAnEarlierLsyncdModeWrote() {
        spec.deletionPolicy = DeletionPolicy.Rollback;
        spec.sync.mode = SyncSpec.SyncMode.Push;

        List<NodeAction> actions = RollbackPlanner.plan(spec, UID, seen(true, ours()), DurableState.EMPTY).nodeActions();

        assertThat(actions).noneMatch(a -> a instanceof NodeAction.StopService s && s.service().equals("lsyncd"));
        assertThat(restored(actions, PRIMARY)).contains("/etc/lsyncd/lsyncd.conf.lua");
    }

    @Test
    void aSecondaryThisResourceDoesNotOwnKeepsItsFilesAndKeys() {
        spec.deletionPolicy = DeletionPolicy.Rollback;

        List<NodeAction> actions = RollbackPlanner.plan(spec, UID, seen(true, container("proxmox2", true, "made by hand")),
                DurableState.EMPTY)
                .nodeActions();

        assertThat(restored(actions, SECONDARY)).isEmpty();
        assertThat(actions).doesNotContain(new NodeAction.RemoveSyncKey(SECONDARY));
    }

    @Test
    void rollbackAndDeleteRemoveTheTemporaryCloneSnapshotAndNoOther() {
        for (DeletionPolicy policy : List.of(DeletionPolicy.Rollback, DeletionPolicy.Delete)) {
            spec.deletionPolicy = policy;
            ProxmoxObservation seen = new ProxmoxObservation(withSnapshots(container("proxmox", true, "Traefik"),
                    List.of("before-upgrade", Ownership.CLONE_SNAPSHOT)), ours());

            RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen, DurableState.EMPTY);

            assertThat(plan.proxmoxActions()).as(policy.name()).filteredOn(a -> a instanceof ProxmoxAction.DeleteSnapshot)
                    .containsExactly(new ProxmoxAction.DeleteSnapshot("proxmox", 110, Ownership.CLONE_SNAPSHOT));
        }
    }

    @Test
    void aPrimaryStoppedForACloneIsStartedFirstWhateverThePolicy() {
        for (DeletionPolicy policy : DeletionPolicy.values()) {
            spec.deletionPolicy = policy;

            RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(false, ours()), OWED);

            assertThat(plan.proxmoxActions()).as(policy.name()).first()
                    .isEqualTo(new ProxmoxAction.StartContainer("proxmox", 110));
            assertThat(plan.waitingFor()).isNull();
        }
    }

    @Test
    void aPrimaryStoppedByItsOwnerStaysStopped() {
        spec.deletionPolicy = DeletionPolicy.Rollback;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(false, ours()), DurableState.EMPTY);

        assertThat(plan.proxmoxActions()).noneMatch(a -> a instanceof ProxmoxAction.StartContainer);
    }

    @Test
    void aCloneUnderWayIsWaitedForBeforeAnythingOnProxmox() {
        spec.deletionPolicy = DeletionPolicy.Delete;
        ContainerObservation cloning = new ContainerObservation(true, "proxmox", false, "create", "traefik-2", null, true,
                Set.of(), Ownership.markedDescription(null, UID), "d", List.of());
        ProxmoxObservation seen = new ProxmoxObservation(withSnapshots(container("proxmox", false, "Traefik"),
                List.of(Ownership.CLONE_SNAPSHOT)), cloning);

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen, OWED);

        assertThat(plan.proxmoxActions()).isEmpty();
        assertThat(plan.waitingFor()).contains("CT 111 is locked (create)");
    }

    // --- three replicas ------------------------------------------------------------------------------

    private static final Role THIRD = Role.of(2);

    private ProxmoxObservation threeSeen(ContainerObservation second, ContainerObservation third) {
        ExampleSpecs.threeReplicas(spec);
        return new ProxmoxObservation(container("proxmox", true, "Traefik"), java.util.Map.of(SECONDARY, second, THIRD, third),
                io.traefikha.domain.StorageView.UNREAD);
    }

    private static ContainerObservation oursOn(String node) {
        return container(node, true, Ownership.markedDescription(null, UID));
    }

    @Test
    void rollbackOfThreeStopsKeepalivedOnEveryNodeTheLastSecondaryFirstAndShutsBothSecondariesDown() {
        spec.deletionPolicy = DeletionPolicy.Rollback;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, threeSeen(ours(), oursOn("proxmox3")),
                DurableState.EMPTY);

        assertThat(plan.nodeActions()).filteredOn(a -> a instanceof NodeAction.StopService s && s.service().equals("keepalived"))
                .extracting(NodeAction::role).containsExactly(THIRD, SECONDARY, PRIMARY);
        assertThat(plan.nodeActions()).contains(new NodeAction.RemoveSyncKey(SECONDARY), new NodeAction.RemoveSyncKey(THIRD));
        assertThat(restored(plan.nodeActions(), THIRD)).contains("/etc/keepalived/keepalived.conf",
                "/usr/local/bin/traefik-ha-rsync-only");
        assertThat(plan.proxmoxActions()).containsExactly(
                new ProxmoxAction.ShutdownContainer("proxmox2", 111, "deletionPolicy Rollback: the secondary is no longer needed"),
                new ProxmoxAction.ShutdownContainer("proxmox3", 112, "deletionPolicy Rollback: the secondary-2 is no longer"
                        + " needed"));
    }

    @Test
    void deleteOfThreeDestroysBothOwnedSecondariesAndNeverThePrimary() {
        spec.deletionPolicy = DeletionPolicy.Delete;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, threeSeen(ours(), oursOn("proxmox3")),
                DurableState.EMPTY);

        assertThat(plan.proxmoxActions()).containsExactly(
                new ProxmoxAction.ShutdownContainer("proxmox2", 111, "deletionPolicy Delete: the secondary is no longer needed"),
                new ProxmoxAction.DestroyContainer("proxmox2", 111, UID),
                new ProxmoxAction.ShutdownContainer("proxmox3", 112, "deletionPolicy Delete: the secondary-2 is no longer needed"),
                new ProxmoxAction.DestroyContainer("proxmox3", 112, UID));
    }

    @Test
    void aThirdReplicaThisResourceDoesNotOwnIsNeitherStoppedNorDestroyedNorItsFilesRestored() {
        spec.deletionPolicy = DeletionPolicy.Delete;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, threeSeen(ours(), container("proxmox3", true,
                Ownership.markedDescription(null, "99999999-aaaa-bbbb-cccc-dddddddddddd"))), DurableState.EMPTY);

        assertThat(plan.nodeActions()).noneMatch(a -> a.role().equals(THIRD));
        assertThat(plan.proxmoxActions()).containsExactly(
                new ProxmoxAction.ShutdownContainer("proxmox2", 111, "deletionPolicy Delete: the secondary is no longer needed"),
                new ProxmoxAction.DestroyContainer("proxmox2", 111, UID));
    }

    @Test
    void aLockedThirdReplicaIsWaitedForBeforeAnythingOnProxmox() {
        spec.deletionPolicy = DeletionPolicy.Delete;
        ContainerObservation migrating = new ContainerObservation(true, "proxmox3", true, "migrate", "traefik-3", null, true,
                Set.of(), Ownership.markedDescription(null, UID), "d", List.of());

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, threeSeen(ours(), migrating), DurableState.EMPTY);

        assertThat(plan.proxmoxActions()).isEmpty();
        assertThat(plan.waitingFor()).isEqualTo("CT 112 is locked (migrate)");
        assertThat(plan.nodeActions()).as("keepalived still goes off every node").filteredOn(
                a -> a instanceof NodeAction.StopService).extracting(NodeAction::role).contains(THIRD, SECONDARY, PRIMARY);
    }

    private static ContainerObservation withSnapshots(ContainerObservation ct, List<String> snapshots) {
        return new ContainerObservation(true, ct.node(), ct.running(), ct.lock(), ct.hostname(), ct.net0(), ct.onboot(),
                ct.tags(), ct.description(), ct.digest(), snapshots);
    }

    private static List<String> restored(List<NodeAction> actions, Role role) {
        return actions.stream().filter(a -> a.role().equals(role) && a instanceof NodeAction.RestoreOriginals)
                .flatMap(a -> ((NodeAction.RestoreOriginals) a).paths().stream()).toList();
    }

    private static int lastIndex(List<NodeAction> actions, Predicate<NodeAction> matching) {
        int last = -1;
        for (int i = 0; i < actions.size(); i++) {
            if (matching.test(actions.get(i))) {
                last = i;
            }
        }
        return last;
    }

    private static ProxmoxObservation seen(boolean primaryRunning, ContainerObservation secondary) {
        return new ProxmoxObservation(container("proxmox", primaryRunning, "Traefik"), secondary);
    }

    private static ContainerObservation ours() {
        return container("proxmox2", true, Ownership.markedDescription(null, UID));
    }

    private static ContainerObservation container(String node, boolean running, String description) {
        return new ContainerObservation(true, node, running, null, "ct", new NetworkConfig("eth0", "vmbr0", "10.0.0.1/24",
                "10.0.0.254", "BC:24:11:00:00:01"), true, Set.of(), description, "d", List.of());
    }
}
