package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.http.TlsTrust;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ContainerEvent;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proxmox as it really is (issue 15 §3), against the whole operator (Kubernetes test API, the Proxmox VE simulator
 * through the real client, in-memory nodes): a primary moved to another node by a migration is followed and the pair
 * still heals. Each test has its own pair of containers on one shared simulator.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(FaultsReconcileTest.Fast.class)
class ProxmoxRealismReconcileTest {

    private static final String NAMESPACE = "realism";
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static ProxmoxSimulator proxmox;
    private static ProxmoxClient api;
    private static final List<ContainerEvent> containerEvents = new CopyOnWriteArrayList<>();

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void startProxmox() {
        proxmox = ProxmoxSimulator.homelab().container(130, "proxmox", true, primaryConfig(130))
                .container(140, "proxmox", true, primaryConfig(140))
                .taskDuration(Duration.ofMillis(30)).statsInterval(Duration.ZERO).start();
        proxmox.addListener(containerEvents::add);
        api = ProxmoxClient.create(ProxmoxConnection.of(proxmox.baseUrl(), proxmox.tokenId(), proxmox.tokenSecret(),
                TlsTrust.fingerprint(proxmox.fingerprint())));
    }

    @AfterAll
    static void stopProxmox() {
        InMemoryNodeGateways.REPLICAS.clear();
        proxmox.close();
    }

    @BeforeEach
    void namespaceAndSecrets() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(existing -> existing.update());
        secret("proxmox-api-token", Map.of("tokenId", proxmox.tokenId(), "tokenSecret", proxmox.tokenSecret()));
        secret("traefik-ssh", Map.of("privateKey", "in-memory nodes take any key"));
    }

    @Test
    void aPrimaryMovedToAnotherNodeIsFollowedAndTheSecondaryStillHeals() {
        client.resource(resource("traefik", 110)).inNamespace(NAMESPACE).create();
        awaitStatus("traefik", "Ready", s -> s.phase == ClusterPhase.Ready);

        // Host maintenance: CT 110 is migrated to proxmox3 (restart mode), as `pct migrate 110 proxmox3 --restart` does.
        TaskWaiter.withDefaults(api).await(api.migrate("proxmox", 110, "proxmox3", true), Duration.ofSeconds(10));
        assertThat(proxmox.nodeOf(110)).isEqualTo("proxmox3");
        proxmox.broadcastStats();
        TraefikHAClusterStatus moved = awaitStatus("traefik", "the primary seen on proxmox3",
                s -> "proxmox3".equals(node(s, "primary").node) && s.phase == ClusterPhase.Ready);
        assertThat(node(moved, "primary").containerState).isEqualTo("running");
        assertThat(events("ContainerMoved")).singleElement().satisfies(m -> assertThat(m)
                .contains("primary CT 110 is now on node proxmox3 (was on proxmox)").contains("followed by its VMID"));

        // Drift afterwards: the secondary is stopped; the operator starts it again and the pair is Ready.
        containerEvents.clear();
        TaskWaiter.withDefaults(api).await(api.stop("proxmox2", 111), Duration.ofSeconds(10));
        proxmox.broadcastStats();
        await("the secondary started again").atMost(LIMIT).pollInterval(Duration.ofMillis(100))
                .until(() -> containerEvents.stream().anyMatch(e -> e.vmid() == 111 && e.type() == ContainerEvent.Type.STARTED));
        TraefikHAClusterStatus healed = awaitStatus("traefik", "Ready after the repair", s -> s.phase == ClusterPhase.Ready
                && "running".equals(node(s, "secondary").containerState));
        assertThat(healed.nodes).extracting(n -> n.role + "@" + n.node).containsExactly("primary@proxmox3", "secondary@proxmox2");
        assertThat(proxmox.nodeOf(110)).as("the primary is left where Proxmox put it").isEqualTo("proxmox3");
        assertThat(isTrue(healed, ConditionTypes.SECONDARY_PROVISIONED)).isTrue();
    }

    @Test
    void aSecondaryOnThePrimarysNodeIsAllowedWithAWarning() {
        TraefikHACluster lonely = resource("lonely", 130);
        lonely.getSpec().secondary.node = "proxmox";
        client.resource(lonely).inNamespace(NAMESPACE).create();

        TraefikHAClusterStatus ready = awaitStatus("lonely", "Ready", s -> s.phase == ClusterPhase.Ready);

        assertThat(proxmox.nodeOf(131)).isEqualTo("proxmox");
        Condition singleHost = ready.condition(ConditionTypes.SINGLE_HOST);
        assertThat(singleHost.status).isEqualTo(Condition.TRUE);
        assertThat(singleHost.reason).isEqualTo("SameNode");
        assertThat(singleHost.message).contains("both run on Proxmox node proxmox")
                .contains("a failure of that host takes both down");
        assertThat(isTrue(ready, ConditionTypes.READY)).as("a warning, never Ready=False").isTrue();
        assertThat(events("SingleHost")).as("told once, when it began").singleElement()
                .satisfies(m -> assertThat(m).contains("CT 130 and the secondary CT 131"));
        assertThat(proxmox.exchanges()).noneMatch(e -> e.path().equals("/nodes/proxmox/lxc/131/migrate"));
    }

    @Test
    void duringAProxmoxOutageTheWorkOverSshGoesOnAndIsReported() {
        client.resource(resource("outage", 140)).inNamespace(NAMESPACE).create();
        awaitStatus("outage", "Ready", s -> s.phase == ClusterPhase.Ready);
        SimulatedNodes nodes = nodesOf(140);
        String rendered = nodes.nodes.get(Role.PRIMARY).files.get(KEEPALIVED_CONF);
        assertThat(rendered).as("the hash of the rendered keepalived.conf").isNotBlank();
        long writesBefore = proxmoxWrites();

        proxmox.failAllRequests(500, "Can't connect to 127.0.0.1:85 (Connection refused)");
        try {
            TraefikHAClusterStatus out = awaitStatus("outage", "Proxmox reported unreachable", s -> {
                Condition c = s.condition(ConditionTypes.PROXMOX_REACHABLE);
                return c != null && Condition.FALSE.equals(c.status) && "Unreachable".equals(c.reason);
            });
            assertThat(out.condition(ConditionTypes.PROXMOX_REACHABLE).message).contains("HTTP 500")
                    .contains("keepalived, the config sync and the split-brain checks go on over SSH");
            String seenBefore = node(out, "primary").lastSeen;

            // Someone edits keepalived.conf on the primary during the outage: repaired over SSH all the same.
            synchronized (nodes) {
                nodes.nodes.get(Role.PRIMARY).files.put(KEEPALIVED_CONF, "# edited by hand during the outage\n");
            }
            await("keepalived.conf repaired during the outage").atMost(LIMIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> rendered.equals(nodes.nodes.get(Role.PRIMARY).files.get(KEEPALIVED_CONF)));
            TraefikHAClusterStatus during = awaitStatus("outage", "the probes reported during the outage",
                    s -> !java.util.Objects.equals(seenBefore, node(s, "primary").lastSeen)
                            && isTrue(s, ConditionTypes.KEEPALIVED_CONFIGURED));
            assertThat(during.condition(ConditionTypes.PROXMOX_REACHABLE).status).isEqualTo(Condition.FALSE);
            assertThat(during.nodes).extracting(n -> n.role + ":" + n.node + ":" + n.containerState)
                    .containsExactly("primary:proxmox:running", "secondary:proxmox2:running");
            assertThat(during.phase).as("serving, but not Ready without Proxmox").isEqualTo(ClusterPhase.Degraded);
        } finally {
            proxmox.endOutage();
        }
        awaitStatus("outage", "Ready after the outage", s -> s.phase == ClusterPhase.Ready
                && isTrue(s, ConditionTypes.PROXMOX_REACHABLE));
        assertThat(proxmoxWrites()).as("nothing written to Proxmox").isEqualTo(writesBefore);
    }

    // ---- helpers ----

    private static final String KEEPALIVED_CONF = "/etc/keepalived/keepalived.conf";

    private static long proxmoxWrites() {
        return proxmox.exchanges().stream().filter(e -> !e.method().equals("GET")).count();
    }

    private TraefikHACluster resource(String name, int primaryVmid) {
        TraefikHACluster resource = ExampleSpecs.against(proxmox, NAMESPACE, name);
        resource.getSpec().dns = new DnsSpec();
        int offset = primaryVmid - 110;
        resource.getSpec().primary.vmid = primaryVmid;
        resource.getSpec().primary.hostname = name;
        resource.getSpec().primary.address = "192.168.1." + primaryVmid + "/24";
        resource.getSpec().secondary.vmid = primaryVmid + 1;
        resource.getSpec().secondary.hostname = name + "-2";
        resource.getSpec().secondary.address = "192.168.1." + (primaryVmid + 1) + "/24";
        resource.getSpec().vip.address = "192.168.1." + (100 + offset / 10) + "/24";
        resource.getSpec().vip.virtualRouterId = 51 + offset / 10;
        return resource;
    }

    private static Map<String, String> primaryConfig(int vmid) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("arch", "amd64");
        config.put("hostname", "ct" + vmid);
        config.put("memory", "1024");
        config.put("net0", "name=eth0,bridge=vmbr0,gw=192.168.1.1,hwaddr=BC:24:11:5E:7A:" + (vmid - 100)
                + ",ip=192.168.1." + vmid + "/24,type=veth");
        config.put("ostype", "debian");
        config.put("rootfs", "local-lvm:vm-" + vmid + "-disk-0,size=8G");
        config.put("unprivileged", "1");
        return config;
    }

    static SimulatedNodes nodesOf(int primaryVmid) {
        return InMemoryNodeGateways.REPLICAS.computeIfAbsent("192.168.1." + primaryVmid + "/24,192.168.1." + (primaryVmid + 1)
                + "/24", k -> new SimulatedNodes());
    }

    private void secret(String name, Map<String, String> data) {
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .addToStringData(data).build()).createOr(existing -> existing.update());
    }

    private TraefikHAClusterStatus awaitStatus(String name, String what, Predicate<TraefikHAClusterStatus> wanted) {
        try {
            return await(what).atMost(LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                TraefikHACluster resource = client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName(name).get();
                return resource == null ? null : resource.getStatus();
            }, s -> s != null && wanted.test(s));
        } catch (ConditionTimeoutException e) {
            TraefikHAClusterStatus last = client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName(name).get()
                    .getStatus();
            throw new AssertionError(what + " not seen within " + LIMIT + "; last phase " + (last == null ? null : last.phase)
                    + ", conditions " + (last == null ? List.of() : last.conditions.stream()
                            .map(c -> c.type + "=" + c.status + " " + c.reason + " (" + c.message + ")").toList()), e);
        }
    }

    private static NodeStatus node(TraefikHAClusterStatus status, String role) {
        return status.nodes == null ? new NodeStatus() : status.nodes.stream().filter(n -> role.equals(n.role)).findFirst()
                .orElse(new NodeStatus());
    }

    private static boolean isTrue(TraefikHAClusterStatus status, String type) {
        Condition c = status.condition(type);
        return c != null && Condition.TRUE.equals(c.status);
    }

    private List<String> events(String reason) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).map(Event::getMessage).toList();
    }
}
