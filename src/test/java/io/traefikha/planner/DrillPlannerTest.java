package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.DrillScenario;
import io.traefikha.api.v1alpha1.DrillSpec;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a drill is due, refused or owed a restore. */
class DrillPlannerTest {

    private static final Instant CREATED = Instant.parse("2026-10-20T12:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Map<Role, DrillPlanner.Container> CONTAINERS = Map.of(Role.PRIMARY, new DrillPlanner.Container("pve1", 110),
            Role.SECONDARY, new DrillPlanner.Container("pve2", 111));

    @Test
    void nothingIsDueWithoutScheduleOrAnnotation() {
        assertThat(DrillPlanner.plan(situation(null, null, null))).isInstanceOf(DrillPlanner.Idle.class);
        assertThat(DrillPlanner.plan(situation(monthly(), null, null))).as("created 2026-10-20, due 2026-11-01")
                .isInstanceOf(DrillPlanner.Run.class);
    }

    @Test
    void aScheduledDrillIsDueOnceItsSlotSinceTheLastDrillHasPassed() {
        assertThat(DrillPlanner.plan(situation(monthly(), null, drilled("2026-11-01T04:00:07Z", null))))
                .as("next slot 2026-12-01").isInstanceOf(DrillPlanner.Idle.class);
        DrillPlanner.Decision due = DrillPlanner.plan(situation(monthly(), null, drilled("2026-10-01T04:00:03Z", null)));
        assertThat(due).isEqualTo(new DrillPlanner.Run(Role.PRIMARY, DrillScenario.StopKeepalived, keepalived(Role.PRIMARY), "schedule", null));
    }

    @Test
    void anAnnotationDrillsOncePerValueWithTheSpecsScenarioOrStopTraefik() {
        DrillPlanner.Run run = (DrillPlanner.Run) DrillPlanner.plan(situation(null, "2026-11-25T09:59", null));
        assertThat(run.trigger()).isEqualTo("annotation:2026-11-25T09:59");
        assertThat(run.scenario()).isEqualTo(DrillScenario.StopTraefik);
        assertThat(run.stop()).isEqualTo(new NodeAction.StopService(Role.PRIMARY, "traefik"));
        assertThat(run.start()).isEqualTo(new NodeAction.StartService(Role.PRIMARY, "traefik"));
        assertThat(run.annotation()).isEqualTo("2026-11-25T09:59");

        assertThat(DrillPlanner.plan(situation(null, "2026-11-25T09:59", drilled("2026-11-25T09:59:30Z", "2026-11-25T09:59"))))
                .as("already acted on").isInstanceOf(DrillPlanner.Idle.class);
        assertThat(DrillPlanner.plan(situation(monthly(), "again", drilled("2026-11-25T09:59:30Z", "2026-11-25T09:59"))))
                .isEqualTo(new DrillPlanner.Run(Role.PRIMARY, DrillScenario.StopKeepalived, keepalived(Role.PRIMARY), "annotation:again", "again"));
    }

    @Test
    void aScheduledDrillKeepsTheAnnotationAlreadyActedOn() {
        DrillPlanner.Run run = (DrillPlanner.Run) DrillPlanner.plan(situation(monthly(), "x", drilled("2026-10-01T04:00:00Z", "x")));
        assertThat(run.trigger()).isEqualTo("schedule");
        assertThat(run.annotation()).isEqualTo("x");
    }

    @Test
    void aDueDrillIsRefusedWhileNotReadyUnderMaintenanceOrWithoutASingleHolder() {
        assertThat(DrillPlanner.plan(new DrillPlanner.Situation(monthly(), null, null, CREATED, NOW,
                "VIPHealthy: no node holds the VIP", false, List.of(Role.PRIMARY), "traefik", CONTAINERS)))
                .isEqualTo(new DrillPlanner.Refuse("schedule", "the cluster is not Ready (VIPHealthy: no node holds the VIP)"));
        assertThat(DrillPlanner.plan(new DrillPlanner.Situation(monthly(), null, null, CREATED, NOW, null, true,
                List.of(Role.PRIMARY), "traefik", CONTAINERS))).isEqualTo(new DrillPlanner.Refuse("schedule", "a node is under maintenance"));
        assertThat(DrillPlanner.plan(new DrillPlanner.Situation(null, "now", null, CREATED, NOW, null, false,
                List.of(Role.PRIMARY, Role.SECONDARY), "traefik", CONTAINERS))).isEqualTo(new DrillPlanner.Refuse("annotation:now", "2 nodes hold the VIP"));
        assertThat(DrillPlanner.plan(new DrillPlanner.Situation(null, null, null, CREATED, NOW, "not yet observed", false,
                List.of(), "traefik", CONTAINERS))).as("nothing due, nothing refused").isInstanceOf(DrillPlanner.Idle.class);
    }

    @Test
    void theSecondaryIsDrilledWhenItHoldsTheVipThroughTraefiksOwnUnit() {
        DrillPlanner.Run run = (DrillPlanner.Run) DrillPlanner.plan(new DrillPlanner.Situation(null, "now", null, CREATED, NOW,
                null, false, List.of(Role.SECONDARY), "traefik-proxy.service", CONTAINERS));
        assertThat(run.stop()).isEqualTo(new NodeAction.StopService(Role.SECONDARY, "traefik-proxy.service"));
        assertThat(run.start()).isEqualTo(new NodeAction.StartService(Role.SECONDARY, "traefik-proxy.service"));
    }

    @Test
    void anUnfinishedDrillIsRestoredFirstEvenWhenNotReady() {
        DrillStatus running = drilled("2026-11-25T09:58:00Z", "now");
        running.result = DrillStatus.RUNNING;
        running.scenario = DrillScenario.StopKeepalived;
        running.node = "secondary";
        assertThat(DrillPlanner.plan(new DrillPlanner.Situation(null, "now", running, CREATED, NOW, "VIPHealthy: down", false,
                List.of(), "traefik", CONTAINERS))).isEqualTo(new DrillPlanner.Restore(Role.SECONDARY, keepalived(Role.SECONDARY)));
    }

    @Test
    void aStopContainerDrillStopsAndStartsTheHoldersContainerWhereProxmoxShowsIt() {
        DrillPlanner.Run run = (DrillPlanner.Run) DrillPlanner.plan(new DrillPlanner.Situation(stopContainer(), "now", null,
                CREATED, NOW, null, false, List.of(Role.SECONDARY), "traefik", CONTAINERS));
        assertThat(run.stop()).isEqualTo(new ProxmoxAction.StopContainer("pve2", 111, "failover drill"));
        assertThat(run.start()).isEqualTo(new ProxmoxAction.StartContainer("pve2", 111));
        assertThat(run.describe()).isEqualTo("failover drill StopContainer (annotation:now): stop CT 111 on pve2 (failover"
                + " drill), measure the VIP's gap, start CT 111 on pve2");
    }

    @Test
    void withoutProxmoxAStopContainerDrillIsRefusedAndAnUnfinishedOneWaits() {
        assertThat(DrillPlanner.plan(new DrillPlanner.Situation(stopContainer(), "now", null, CREATED, NOW, null, false,
                List.of(Role.PRIMARY), "traefik", Map.of()))).isEqualTo(new DrillPlanner.Refuse("annotation:now",
                "Proxmox did not answer, and StopContainer stops the container through its API"));

        DrillStatus running = drilled("2026-11-25T09:58:00Z", "now");
        running.result = DrillStatus.RUNNING;
        running.scenario = DrillScenario.StopContainer;
        assertThat(DrillPlanner.plan(new DrillPlanner.Situation(null, "now", running, CREATED, NOW, "down", false,
                List.of(), "traefik", Map.of()))).as("started once Proxmox answers").isInstanceOf(DrillPlanner.Idle.class);
        assertThat(DrillPlanner.plan(new DrillPlanner.Situation(null, "now", running, CREATED, NOW, "down", false,
                List.of(), "traefik", CONTAINERS))).extracting(d -> ((DrillPlanner.Restore) d).start())
                .isEqualTo(new ProxmoxAction.StartContainer("pve1", 110));
    }

    private static DrillSpec stopContainer() {
        DrillSpec spec = new DrillSpec();
        spec.scenario = DrillScenario.StopContainer;
        return spec;
    }

    private static DrillPlanner.Disruption keepalived(Role role) {
        return new DrillPlanner.Disruption(new NodeAction.StopService(role, "keepalived"),
                new NodeAction.StartService(role, "keepalived"), "keepalived");
    }

    private static DrillPlanner.Situation situation(DrillSpec spec, String annotation, DrillStatus last) {
        return new DrillPlanner.Situation(spec, annotation, last, CREATED, NOW, null, false, List.of(Role.PRIMARY), "traefik", CONTAINERS);
    }

    private static DrillSpec monthly() {
        DrillSpec spec = new DrillSpec();
        spec.schedule = "0 4 1 * *";
        spec.scenario = DrillScenario.StopKeepalived;
        return spec;
    }

    private static DrillStatus drilled(String when, String annotation) {
        DrillStatus status = new DrillStatus();
        status.when = when;
        status.annotation = annotation;
        status.result = DrillStatus.SUCCEEDED;
        status.scenario = DrillScenario.StopTraefik;
        status.node = "primary";
        return status;
    }
}
