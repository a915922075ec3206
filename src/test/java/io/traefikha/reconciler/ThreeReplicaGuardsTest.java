package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.PreflightCheckStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.Role;
import io.traefikha.http.TlsTrust;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.FirewallPlanner;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.proxmox.ConfigUpdate;
import io.traefikha.proxmox.FirewallRuleRequest;
import io.traefikha.proxmox.FirewallVerdict;
import io.traefikha.proxmox.ProxmoxApiGateway;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ContainerEvent;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.step.ClusterConnections;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.step.StatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Preflight and deletion of a three-replica cluster (spec.secondaries) against the Proxmox simulator through the real
 * client and gateway: a missing node of the third replica is named by its field before any change; deletion with
 * deletionPolicy Delete stops keepalived on all three nodes, removes the operator's firewall rules from all three
 * containers and destroys both secondaries this resource owns, never the primary, never a container it does not own,
 * not even one that changed hands while the deletion ran. The secondaries exist from the start, owned as a clone
 * marks them, so no provisioning of a third replica is needed.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class ThreeReplicaGuardsTest {

    private static final String STRANGER = "99999999-aaaa-bbbb-cccc-dddddddddddd";
    private static final Duration BUSY = Duration.ofMillis(10);

    private final String uid = UUID.randomUUID().toString();
    private final RecordingEvents events = new RecordingEvents();
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events,
            new ReconcileMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), BUSY);
    private final SimulatedNodes nodes = new SimulatedNodes();
    private final MemoryStateStore state = new MemoryStateStore();
    private ProxmoxSimulator proxmox;
    private ProxmoxClient client;
    private TraefikHACluster resource;
    private ClusterConnections connections;

    @BeforeEach
    void threeReplicas() {
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid(uid);
        resource.getMetadata().setGeneration(1L);
        ExampleSpecs.threeReplicas(resource.getSpec());
        resource.getSpec().dns = new DnsSpec(); // no DNS: not what this test is about
        nodes.nodes.put(Role.of(2), new SimulatedNodes.Node());
    }

    @AfterEach
    void stop() {
        proxmox.close();
    }

    @Test
    void preflightNamesTheMissingNodeOfTheThirdReplicaAndChangesNothing() {
        resource.getSpec().secondaries.get(1).node = "proxmox9";
        start(Map.of(111, uid));
        int before = proxmox.exchanges().size();

        StatusAggregator status = new StatusAggregator(resource, Clock.systemUTC());
        status.condition(ConditionTypes.VALID, true, "SpecValid", "ok");
        reconciliation.run(resource, status, connections, Duration.ofSeconds(15));
        resource.setStatus(status.build());

        PreflightCheckStatus target = resource.getStatus().preflight.stream().filter(c -> c.name.equals("TargetNode"))
                .findFirst().orElseThrow();
        assertThat(target.result).isEqualTo(PreflightCheckStatus.FAILED);
        assertThat(target.message).isEqualTo("node proxmox9 is not in the Proxmox cluster: check spec.secondaries[1].node"
                + " (pvecm nodes lists the nodes)");
        assertThat(resource.getStatus().condition(ConditionTypes.PREFLIGHT_PASSED).reason).isEqualTo("TargetNodeFailed");
        assertThat(proxmox.exchanges().subList(before, proxmox.exchanges().size())).as("nothing is changed on Proxmox")
                .allSatisfy(e -> assertThat(e.method()).isEqualTo("GET"));
        assertThat(proxmox.exists(112)).isFalse();
    }

    @Test
    void deleteDestroysBothOwnedSecondariesKeepsThePrimaryAndStopsKeepalivedEverywhere() {
        start(Map.of(111, uid, 112, uid));
        resource.getSpec().deletionPolicy = DeletionPolicy.Delete;

        assertThat(deleteResource()).isTrue();

        assertThat(proxmox.exists(111)).isFalse();
        assertThat(proxmox.exists(112)).isFalse();
        assertThat(proxmox.exists(110)).isTrue();
        assertThat(proxmox.isRunning(110)).as("the primary keeps serving").isTrue();
        assertThat(state.stored().hostKey(Role.SECONDARY)).isEmpty();
        assertThat(state.stored().hostKey(Role.of(2))).isEmpty();
        assertThat(nodes.nodes).allSatisfy((role, node) -> {
            assertThat(node.active).as(role + ": keepalived stopped").isFalse();
            assertThat(node.enabled).as(role + ": keepalived disabled").isFalse();
        });
        assertThat(proxmox.exchanges()).as("CT 111 and CT 112 destroyed, nothing else")
                .filteredOn(e -> e.method().equals("DELETE") && e.template().equals("/nodes/{node}/lxc/{vmid}"))
                .extracting(ProxmoxSimulator.Exchange::path).containsExactlyInAnyOrder("/nodes/proxmox2/lxc/111",
                        "/nodes/proxmox3/lxc/112");
        assertThat(proxmox.exchanges()).as("the operator's firewall rule removed from every replica's container")
                .filteredOn(e -> e.template().equals("/nodes/{node}/lxc/{vmid}/firewall/rules/{pos}")
                        && e.method().equals("DELETE"))
                .extracting(e -> e.path().replaceAll(".*/lxc/(\\d+)/.*", "$1"))
                .containsExactlyInAnyOrder("110", "111", "112");
        assertThat(client.firewallRules("proxmox", 110))
                .noneMatch(rule -> rule.comment() != null && rule.comment().startsWith(FirewallPlanner.marker(uid)));
    }

    @Test
    void aThirdReplicaThisResourceDoesNotOwnIsNeverStoppedNorDestroyed() {
        start(Map.of(111, uid, 112, STRANGER));
        resource.getSpec().deletionPolicy = DeletionPolicy.Delete;

        assertThat(deleteResource()).isTrue();

        assertThat(proxmox.exists(111)).isFalse();
        assertThat(proxmox.exists(112)).isTrue();
        assertThat(proxmox.isRunning(112)).isTrue();
        assertThat(nodes.nodes.get(Role.of(2)).active).as("its keepalived is not ours to stop").isTrue();
        assertThat(nodes.nodes.get(Role.SECONDARY).active).isFalse();
        assertThat(state.stored().hostKey(Role.SECONDARY)).as("destroyed: its pin forgotten").isEmpty();
        assertThat(state.stored().hostKey(Role.of(2))).as("still there: its pin kept").contains("SHA256:third");
        assertThat(state.stored().hostKey(Role.PRIMARY)).contains("SHA256:primary");
        assertThat(state.released()).isTrue();
    }

    @Test
    void aSecondaryThatChangesHandsWhileTheDeletionRunsIsReadAgainAndNotDestroyed() {
        start(Map.of(111, uid, 112, uid));
        resource.getSpec().deletionPolicy = DeletionPolicy.Delete;
        // Someone takes CT 112 over in the GUI once it is shut down, before its destroy is sent.
        proxmox.addListener(event -> {
            if (event.vmid() == 112 && event.type() == ContainerEvent.Type.STOPPED) {
                client.updateConfig("proxmox3", 112, ConfigUpdate.create().set("description",
                        Ownership.markedDescription("taken over", STRANGER)));
            }
        });

        StatusAggregator status = new StatusAggregator(resource, Clock.systemUTC());
        assertThat(reconciliation.cleanup(resource, status, connections)).as("the refused destroy holds the deletion")
                .isFalse();
        assertThat(proxmox.exists(112)).isTrue();
        assertThat(proxmox.exists(111)).isFalse();
        assertThat(events.recorded).anySatisfy(e -> assertThat(e.message()).contains("CT 112 on proxmox3 is not destroyed:"
                + " its description names another owner (uid " + STRANGER + ")"));

        assertThat(deleteResource()).as("the next look sees it is not ours and lets the resource go").isTrue();
        assertThat(proxmox.exists(112)).isTrue();
    }

    /**
     * The simulator with the primary (CT 110 on proxmox) and the secondaries of {@code owners} (CT 111 on proxmox2, CT
     * 112 on proxmox3) running, each marked as a clone marks it with its owner's uid; each container's firewall has
     * the operator's VRRP rule for one peer, and each node runs keepalived.
     */
    private void start(Map<Integer, String> owners) {
        Map<String, String> nodeOf = Map.of("111", "proxmox2", "112", "proxmox3");
        ProxmoxSimulator.Builder builder = ProxmoxSimulator.homelab().taskDuration(BUSY).statsInterval(Duration.ZERO);
        owners.forEach((vmid, owner) -> builder.container(vmid, nodeOf.get(String.valueOf(vmid)), true,
                secondaryConfig(vmid, owner)));
        proxmox = builder.start();
        client = ProxmoxClient.create(ProxmoxConnection.of(proxmox.baseUrl(), proxmox.tokenId(), proxmox.tokenSecret(),
                TlsTrust.fingerprint(proxmox.fingerprint())).withRequestTimeout(Duration.ofSeconds(5)));
        for (int vmid : List.of(110, 111, 112)) {
            if (proxmox.exists(vmid)) {
                client.createFirewallRule(proxmox.nodeOf(vmid), vmid, FirewallRuleRequest.inbound(FirewallVerdict.ACCEPT)
                        .proto("112").source(vmid == 110 ? "192.168.1.111" : "192.168.1.110")
                        .comment(FirewallPlanner.marker(uid) + " keepalived VRRP from the peer"));
            }
        }
        ProxmoxApiGateway gateway = new ProxmoxApiGateway(client, new TaskWaiter(client, Duration.ofMillis(5),
                Duration.ofMillis(20), 10), resource.getSpec(), Duration.ofSeconds(10));
        nodes.nodes.values().forEach(node -> {
            node.active = true;
            node.enabled = true;
        });
        connections = new FixedConnections(gateway, nodes, pin -> KeepalivedNodeFiles.render(resource.getSpec(), "test",
                null, pin), Optional.empty(), new FixedConnections.MemoryRegistry(), nodes::vipAnswers, running -> { },
                state);
        // the host keys pinned when the nodes were first reached
        state.save(DurableState.EMPTY.withHostKey(Role.PRIMARY, "SHA256:primary").withHostKey(Role.SECONDARY,
                "SHA256:second").withHostKey(Role.of(2), "SHA256:third"));
    }

    private static Map<String, String> secondaryConfig(int vmid, String owner) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("arch", "amd64");
        config.put("cores", "2");
        config.put("description", Ownership.markedDescription(null, owner));
        config.put("hostname", vmid == 111 ? "traefik-2" : "traefik-3");
        config.put("memory", "2048");
        config.put("net0", "name=eth0,bridge=vmbr0,gw=192.168.1.1,hwaddr=BC:24:11:5E:7A:" + (vmid - 100) + ",ip=192.168.1."
                + vmid + "/24,type=veth");
        config.put("onboot", "1");
        config.put("ostype", "debian");
        config.put("rootfs", "local-lvm:vm-" + vmid + "-disk-0,size=20G");
        config.put("tags", Ownership.TAG);
        config.put("unprivileged", "1");
        return config;
    }

    private boolean deleteResource() {
        for (int attempt = 0; attempt < 10; attempt++) {
            StatusAggregator status = new StatusAggregator(resource, Clock.systemUTC());
            if (reconciliation.cleanup(resource, status, connections)) {
                return true;
            }
            resource.setStatus(status.build());
        }
        return false;
    }
}
