package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.ProxmoxReadiness;
import io.traefikha.domain.Role;
import io.traefikha.planner.ClusterMemory;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.SecondaryPlan;
import io.traefikha.planner.SecondaryPlanner;
import io.traefikha.simulator.proxmox.ContainerEvent;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.traefikha.http.TlsTrust;

/** The secondary planner's actions carried out on the Proxmox simulator through the real client. */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class ProxmoxApiGatewayTest {

    private static final String UID = "7c0ffee0-0000-4000-8000-000000000110";

    private ProxmoxSimulator simulator;
    private final List<ContainerEvent> events = new CopyOnWriteArrayList<>();
    private final TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
    private ProxmoxApiGateway gateway;
    private ProxmoxClient client;

    @BeforeEach
    void start() {
        simulator = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(30)).statsInterval(Duration.ZERO).start();
        simulator.addListener(events::add);
        client = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(),
                simulator.tokenSecret(), TlsTrust.fingerprint(simulator.fingerprint())).withRequestTimeout(Duration.ofSeconds(5)));
        gateway = new ProxmoxApiGateway(client, new TaskWaiter(client, Duration.ofMillis(20), Duration.ofMillis(100), 10),
                spec, Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void observesTheRunningPrimaryAndNoSecondary() {
        ProxmoxObservation seen = gateway.observe();

        assertThat(seen.primary().exists()).isTrue();
        assertThat(seen.primary().node()).isEqualTo("proxmox");
        assertThat(seen.primary().running()).isTrue();
        assertThat(seen.primary().net0().ip()).isEqualTo("192.168.1.110/24");
        assertThat(seen.primary().net0().hwaddr()).isNotBlank();
        assertThat(seen.primary().digest()).hasSize(40);
        assertThat(seen.secondary().exists()).isFalse();
    }

    @Test
    void thePlannedStepsProvisionTheSecondaryOnItsOwnNodeWithoutStoppingThePrimary() {
        List<ProxmoxAction> done = new ArrayList<>();
        SecondaryPlan plan = null;
        for (int round = 0; round < 8; round++) {
            plan = SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY);
            if (plan.actions().isEmpty() && !plan.waiting()) {
                break;
            }
            plan.actions().forEach(gateway::apply);
            done.addAll(plan.actions());
        }

        assertThat(plan.findings().get(0).reason()).isEqualTo("Provisioned");
        assertThat(done).extracting(a -> a.getClass().getSimpleName()).containsExactly("CreateSnapshot", "CloneContainer",
                "MigrateContainer", "ConfigureContainer", "DeleteSnapshot", "StartContainer");
        assertThat(simulator.nodeOf(111)).isEqualTo("proxmox2");
        assertThat(simulator.isRunning(111)).isTrue();
        assertThat(simulator.isRunning(110)).isTrue();
        assertThat(events).noneMatch(e -> e.vmid() == 110 && e.type() == ContainerEvent.Type.STOPPED);

        ContainerObservation secondary = gateway.observe().secondary();
        assertThat(secondary.net0().ip()).isEqualTo("192.168.1.111/24");
        assertThat(secondary.hostname()).isEqualTo("traefik-2");
        assertThat(secondary.onboot()).isTrue();
        assertThat(secondary.tags()).contains(Ownership.TAG);
        assertThat(Ownership.ownerUid(secondary.description())).isEqualTo(UID);
        assertThat(gateway.observe().primary().snapshots()).isEmpty();
    }

    /** The clone copies the primary's static IPv6 address; with secondary.address6 it gets its own before it starts. */
    @Test
    void aCloneOfAPrimaryWithAStaticIpv6AddressGetsItsOwnKeepingItsMac() {
        NetConfig primaryNet = client.config("proxmox", 110).net(0).orElseThrow().with("ip6", "fd00:1::110/64");
        client.updateConfig("proxmox", 110, ConfigUpdate.create().net(0, primaryNet));
        spec.secondary.address6 = "fd00:1::111/64";
        for (int round = 0; round < 8; round++) {
            SecondaryPlan plan = SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY);
            if (plan.actions().isEmpty() && !plan.waiting()) {
                break;
            }
            plan.actions().forEach(gateway::apply);
        }

        NetConfig net = client.config("proxmox2", 111).net(0).orElseThrow();
        assertThat(net.get("ip6")).contains("fd00:1::111/64");
        assertThat(net.ip()).contains("192.168.1.111/24");
        assertThat(net.hwaddr()).isNotEqualTo(primaryNet.hwaddr());
        assertThat(client.config("proxmox", 110).net(0).orElseThrow().get("ip6")).as("the primary keeps its own")
                .contains("fd00:1::110/64");
        assertThat(SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY).actions())
                .as("in place").isEmpty();
    }

    @Test
    void anOperatorKilledMidCloneContinuesFromWhatItSeesWithoutASecondClone() {
        simulator.setTaskDuration(Duration.ofMillis(800));
        List<ProxmoxAction> firstPlan = SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY).actions();
        gateway.apply(firstPlan.get(0)); // the snapshot
        ProxmoxAction.CloneContainer clone = (ProxmoxAction.CloneContainer) firstPlan.get(1);
        // The clone task is started, then the operator dies before it ends: nothing of its memory survives.
        client.cloneContainer(clone.node(), clone.sourceVmid(), io.traefikha.proxmox.CloneRequest.of(clone.newVmid())
                .withHostname(clone.hostname()).withDescription(clone.description()).fromSnapshot(clone.snapname()));

        SecondaryPlan afterRestart = SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY);
        assertThat(afterRestart.actions()).as("a locked clone in progress is waited for").isEmpty();
        assertThat(afterRestart.waiting()).isTrue();
        assertThat(afterRestart.findings().get(0).message()).contains("locked (create)");

        simulator.setTaskDuration(Duration.ofMillis(30));
        List<ProxmoxAction> done = new ArrayList<>();
        for (int round = 0; round < 20 && !provisioned(); round++) {
            List<ProxmoxAction> actions = SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY).actions();
            actions.forEach(gateway::apply);
            done.addAll(actions);
            sleepBriefly();
        }
        assertThat(provisioned()).isTrue();
        assertThat(done).noneMatch(a -> a instanceof ProxmoxAction.CloneContainer || a instanceof ProxmoxAction.CreateSnapshot);
        assertThat(gateway.observe().primary().snapshots()).as("the temporary snapshot is cleaned up").isEmpty();
    }

    @Test
    void preflightReadsEverySecondarysFacts() {
        for (int round = 0; round < 8 && !provisioned(); round++) {
            SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY).actions()
                    .forEach(gateway::apply);
        }
        TraefikHAClusterSpec three = ExampleSpecs.homelab().getSpec();
        SecondarySpec third = new SecondarySpec();
        third.node = "proxmox3";
        third.vmid = 112;
        third.hostname = "traefik-3";
        third.address = "192.168.1.112/24";
        three.secondaries = List.of(three.secondary, third);
        three.secondary = null;
        ProxmoxApiGateway threeReplicas = new ProxmoxApiGateway(client, new TaskWaiter(client, Duration.ofMillis(20),
                Duration.ofMillis(100), 10), three, Duration.ofSeconds(20));

        ProxmoxReadiness facts = threeReplicas.readiness();

        assertThat(facts.secondary(Role.SECONDARY)).as("CT 111 made and placed")
                .isEqualTo(new ProxmoxReadiness.Secondary(true, true, null));
        assertThat(facts.secondary(Role.of(2)).exists()).isFalse();
        assertThat(facts.secondary(Role.of(2)).target()).as("CT 112 still to be made: its node is read")
                .satisfies(target -> {
                    assertThat(target.node()).isEqualTo("proxmox3");
                    assertThat(target.state()).isEqualTo(ProxmoxReadiness.NodeState.ONLINE);
                    assertThat(target.storages()).containsKey("local-lvm");
                });
    }

    private boolean provisioned() {
        SecondaryPlan plan = SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY);
        return plan.actions().isEmpty() && "Provisioned".equals(plan.findings().get(0).reason());
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aConfigChangedBehindTheOperatorsBackIsRefusedByDigest() {
        List<ProxmoxAction> firstRound = SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY).actions();
        firstRound.forEach(gateway::apply);
        ProxmoxObservation seen = gateway.observe();
        ProxmoxAction.ConfigureContainer stale = new ProxmoxAction.ConfigureContainer(seen.secondary().node(), 111,
                java.util.Map.of("hostname", "traefik-2"), null, "0000000000000000000000000000000000000000");

        assertThatThrownBy(() -> gateway.apply(stale)).isInstanceOf(ExternalSystemException.class)
                .hasMessageContaining("modified");
    }

    @Test
    void aFailedTaskSurfacesProxmoxsOwnWords() {
        simulator.failNextTask("vzclone", "clone failed: no space left on device");

        List<ProxmoxAction> actions = SecondaryPlanner.plan(spec, UID, gateway.observe(), ClusterMemory.NONE, DurableState.EMPTY).actions();
        gateway.apply(actions.get(0));

        assertThatThrownBy(() -> gateway.apply(actions.get(1))).isInstanceOf(ExternalSystemException.class)
                .hasMessageContaining("no space left on device");
        assertThat(simulator.exists(111)).as("a failed clone leaves no orphan").isFalse();
    }

    @Test
    void anUnreachableProxmoxIsAnExternalSystemFailure() {
        simulator.close();

        assertThatThrownBy(() -> gateway.observe()).isInstanceOf(ExternalSystemException.class)
                .hasMessageContaining("read the containers");
    }
}
