package io.traefikha.reconciler.plan;

import static io.traefikha.keepalived.Role.PRIMARY;
import static io.traefikha.keepalived.Role.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.DeletionPolicy;
import io.traefikha.api.ExampleSpecs;
import io.traefikha.api.TraefikHAClusterSpec;
import io.traefikha.reconciler.plan.ContainerObservation.NetworkConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RollbackPlannerTest {

    private static final String UID = "1d0e0000-0000-4000-8000-000000000001";
    private final TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();

    @Test
    void retainLeavesEverything() {
        spec.deletionPolicy = DeletionPolicy.Retain;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(true, ours()));

        assertThat(plan.nodeActions()).isEmpty();
        assertThat(plan.proxmoxActions()).isEmpty();
    }

    @Test
    void rollbackStopsKeepalivedSecondaryFirstAndShutsTheSecondaryDown() {
        spec.deletionPolicy = DeletionPolicy.Rollback;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(true, ours()));

        assertThat(plan.nodeActions()).containsExactly(new NodeAction.StopService(SECONDARY, "keepalived"),
                new NodeAction.DisableService(SECONDARY, "keepalived"), new NodeAction.StopService(PRIMARY, "keepalived"),
                new NodeAction.DisableService(PRIMARY, "keepalived"));
        assertThat(plan.proxmoxActions()).singleElement().isInstanceOfSatisfying(ProxmoxAction.ShutdownContainer.class,
                s -> assertThat(s.vmid()).isEqualTo(111));
    }

    @Test
    void deleteAlsoDestroysTheOwnedSecondary() {
        spec.deletionPolicy = DeletionPolicy.Delete;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(true, ours()));

        assertThat(plan.proxmoxActions()).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("ShutdownContainer", "DestroyContainer");
    }

    @Test
    void aSecondaryThisResourceDoesNotOwnIsNeverTouched() {
        spec.deletionPolicy = DeletionPolicy.Delete;

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(true, container("proxmox2", true, "made by hand")));

        assertThat(plan.nodeActions()).allSatisfy(a -> assertThat(a.role()).isEqualTo(PRIMARY));
        assertThat(plan.proxmoxActions()).isEmpty();
    }

    @Test
    void stoppedContainersNeedNoKeepalivedStopButAreStillDestroyed() {
        spec.deletionPolicy = DeletionPolicy.Delete;
        ContainerObservation stoppedSecondary = container("proxmox2", false, Ownership.markedDescription(null, UID));

        RollbackPlanner.Rollback plan = RollbackPlanner.plan(spec, UID, seen(false, stoppedSecondary));

        assertThat(plan.nodeActions()).isEmpty();
        assertThat(plan.proxmoxActions()).containsExactly(new ProxmoxAction.DestroyContainer("proxmox2", 111));
    }

    private static ProxmoxObservation seen(boolean primaryRunning, ContainerObservation secondary) {
        return new ProxmoxObservation(container("proxmox", primaryRunning, "Traefik"), secondary, false, false, false);
    }

    private static ContainerObservation ours() {
        return container("proxmox2", true, Ownership.markedDescription(null, UID));
    }

    private static ContainerObservation container(String node, boolean running, String description) {
        return new ContainerObservation(true, node, running, null, "ct", new NetworkConfig("eth0", "vmbr0", "10.0.0.1/24",
                "10.0.0.254", "BC:24:11:00:00:01"), true, Set.of(), description, "d", List.of());
    }
}
