package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DeletionPolicy;
import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.PreflightCheckStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.planner.PrivilegePlanner;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Preflight against the Proxmox simulator, which enforces privileges per path as PVE does: for every privilege of
 * the role the README has a homelab owner create, a privilege-separated token missing just that one is caught
 * before any change (the simulator sees no request but reads), with the path and the pveum command named; the token
 * with the whole role passes and the pair reaches Ready. So the README's list is sufficient and each entry necessary.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class PreflightReconcileTest {

    private static final String NAMESPACE = "preflight";
    private static final String USER = "traefikha@pve";
    private static ProxmoxSimulator proxmox;

    @Inject
    KubernetesClient client;

    /** A homelab of its own (CT 130 at .130) so that no other test's in-memory nodes are shared. */
    @BeforeAll
    static void startProxmox() {
        Map<String, String> traefik = new LinkedHashMap<>();
        traefik.put("arch", "amd64");
        traefik.put("cores", "2");
        traefik.put("hostname", "traefik");
        traefik.put("memory", "2048");
        traefik.put("net0", "name=eth0,bridge=vmbr0,gw=192.168.1.1,hwaddr=BC:24:11:5E:7A:30,ip=192.168.1.130/24,type=veth");
        traefik.put("ostype", "debian");
        traefik.put("rootfs", "local-lvm:vm-130-disk-0,size=8G");
        traefik.put("unprivileged", "1");
        Map<String, String> other = new LinkedHashMap<>(traefik);
        other.put("net0", "name=eth0,bridge=vmbr0,gw=192.168.1.1,hwaddr=BC:24:11:5E:7A:40,ip=192.168.1.140/24,type=veth");
        other.put("rootfs", "local-lvm:vm-140-disk-0,size=8G");
        proxmox = ProxmoxSimulator.builder().node("proxmox").node("proxmox2").node("proxmox3")
                .storage("local", false, false, false).storage("local-lvm", false, true, true)
                .container(130, "proxmox", true, traefik).container(140, "proxmox", true, other)
                .taskDuration(Duration.ofMillis(20)).statsInterval(Duration.ZERO)
                .access(access -> {
                    access.userAdd(USER);
                    // the README's role, for the user and (below) for the tokens: privsep keeps the intersection
                    access.roleAdd(PrivilegePlanner.ROLE, String.join(",", PrivilegePlanner.ROLE_PRIVILEGES));
                    access.aclModifyUser("/", USER, PrivilegePlanner.ROLE, true);
                }).start();
    }

    @AfterAll
    static void stopProxmox() {
        proxmox.close();
    }

    @BeforeEach
    void namespaceAndSecrets() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(existing -> existing.update());
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("traefik-ssh")
                .endMetadata().addToStringData("privateKey", "in-memory nodes take any key").build())
                .createOr(existing -> existing.update());
    }

    @Test
    void eachPrivilegeOfTheRoleIsCaughtBeforeAnyChangeAndTheWholeRoleReachesReady() {
        // VM.Config.Disk is needed only to move the disks to another storage while migrating, which this pair does not do
        for (String privilege : PrivilegePlanner.ROLE_PRIVILEGES.stream().filter(p -> !p.equals("VM.Config.Disk")).toList()) {
            Set<String> rest = new LinkedHashSet<>(PrivilegePlanner.ROLE_PRIVILEGES);
            rest.remove(privilege);
            String role = "Without-" + privilege.replace('.', '-');
            proxmox.access().roleAdd(role, String.join(",", rest));
            useToken("no-" + privilege.replace('.', '-').toLowerCase(), role);
            int before = proxmox.exchanges().size();
            String name = "lacks-" + privilege.replace('.', '-').toLowerCase();
            client.resource(resource(name)).inNamespace(NAMESPACE).create();

            TraefikHACluster refused = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> current(name), r -> r.getStatus() != null
                            && r.getStatus().condition(ConditionTypes.PREFLIGHT_PASSED) != null);
            Condition preflight = refused.getStatus().condition(ConditionTypes.PREFLIGHT_PASSED);
            assertThat(preflight.status).as(privilege).isEqualTo(Condition.FALSE);
            assertThat(preflight.reason).isEqualTo("MissingPrivileges");
            assertThat(preflight.message).as(privilege).contains(privilege + " (").contains("--privs " + privilege)
                    .contains("pveum acl modify /");
            assertThat(refused.getStatus().preflight).filteredOn(check -> check.name.equals("TokenPrivileges"))
                    .singleElement().satisfies(check -> {
                assertThat(check.name).isEqualTo("TokenPrivileges");
                assertThat(check.result).isEqualTo(PreflightCheckStatus.FAILED);
                assertThat(check.lastRun).isNotBlank();
            });
            assertThat(refused.getStatus().phase).isNotEqualTo(ClusterPhase.Ready);
            // a later look (preflight runs again every period until it passes) changes nothing either
            String firstRun = refused.getStatus().preflight.get(0).lastRun;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    !firstRun.equals(current(name).getStatus().preflight.get(0).lastRun));
            List<ProxmoxSimulator.Exchange> seen = proxmox.exchanges().subList(before, proxmox.exchanges().size());
            assertThat(seen).as("without " + privilege + ": only reads reach Proxmox")
                    .allSatisfy(e -> assertThat(e.method()).isEqualTo("GET"));
            assertThat(proxmox.exists(131)).isFalse();
            client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName(name).delete();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> current(name) == null);
        }

        useToken("operator", PrivilegePlanner.ROLE);
        client.resource(resource("traefik")).inNamespace(NAMESPACE).create();
        TraefikHACluster ready = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> current("traefik"), r -> r.getStatus() != null && r.getStatus().phase == ClusterPhase.Ready);
        assertThat(ready.getStatus().condition(ConditionTypes.PREFLIGHT_PASSED).status).isEqualTo(Condition.TRUE);
        assertThat(ready.getStatus().preflight).extracting(check -> check.name).containsExactly("TokenPrivileges",
                "TargetNode", "AddressesFree", "TraefikOnPrimary", "KeepalivedCapable");
        assertThat(ready.getStatus().preflight)
                .allSatisfy(check -> assertThat(check.result).as(check.message).isEqualTo(PreflightCheckStatus.PASSED));
        assertThat(ready.getStatus().preflightPassedSpecHash).isNotBlank();
        assertThat(proxmox.nodeOf(131)).isEqualTo("proxmox2");
        assertThat(proxmox.isRunning(131)).isTrue();

        // The pair runs; the spec moves the secondary to proxmox3, and the token has lost VM.Migrate meanwhile:
        // preflight runs again for the new node, refuses, and nothing running is touched.
        useToken("no-migrate-later", "Without-VM-Migrate");
        int before = proxmox.exchanges().size();
        TraefikHACluster moved = current("traefik");
        moved.getSpec().secondary.node = "proxmox3";
        client.resource(moved).inNamespace(NAMESPACE).update();
        TraefikHACluster refused = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> current("traefik"), r -> Condition.FALSE.equals(r.getStatus()
                        .condition(ConditionTypes.PREFLIGHT_PASSED).status));
        assertThat(refused.getStatus().condition(ConditionTypes.PREFLIGHT_PASSED).message)
                .contains("/vms/131: VM.Migrate (migrate the secondary to node proxmox3)");
        assertThat(refused.getStatus().preflightPassedSpecHash).isNull();
        String firstRun = refused.getStatus().preflight.get(0).lastRun;
        TraefikHACluster later = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> current("traefik"), r -> !firstRun.equals(r.getStatus().preflight.get(0).lastRun));
        assertThat(proxmox.exchanges().subList(before, proxmox.exchanges().size())).as("only reads reach Proxmox")
                .allSatisfy(e -> assertThat(e.method()).isEqualTo("GET"));
        assertThat(proxmox.nodeOf(131)).isEqualTo("proxmox2");
        assertThat(proxmox.isRunning(131)).isTrue();
        assertThat(later.getStatus().condition(ConditionTypes.KEEPALIVED_CONFIGURED).status).isEqualTo(Condition.TRUE);
        String seenBefore = refused.getStatus().nodes.get(1).lastSeen;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> current("traefik"),
                r -> !seenBefore.equals(r.getStatus().nodes.get(1).lastSeen)); // the running pair's nodes are still probed
    }

    /**
     * The node checks against the simulator: a target node without room, then an address someone on the LAN answers
     * for; each blocks with its fix before any change and names what it found, and once fixed the pair is made. Under
     * dryRun the checks run and report too.
     */
    @Test
    void theTargetNodeAndTheAddressesAreCheckedBeforeAnyChange() {
        useToken("nodes", PrivilegePlanner.ROLE);
        TraefikHACluster resource = resource("nodes");
        resource.getSpec().primary.vmid = 140;
        resource.getSpec().primary.address = "192.168.1.140/24";
        resource.getSpec().secondary.vmid = 141;
        resource.getSpec().secondary.address = "192.168.1.141/24";
        resource.getSpec().secondary.node = "proxmox3";
        resource.getSpec().vip.address = "192.168.1.142/24";
        resource.getSpec().vip.virtualRouterId = 54;
        resource.getSpec().dryRun = true;
        proxmox.setNodeMemory("proxmox3", 16L << 30, 15L << 30);
        proxmox.setStorageUsage("local-lvm", "proxmox3", 100L << 30, 95L << 30);
        SimulatedNodes nodes = InMemoryNodeGateways.REPLICAS.computeIfAbsent("192.168.1.140/24,192.168.1.141/24",
                k -> new SimulatedNodes());
        nodes.lan.put("192.168.1.142", "AA:BB:CC:00:11:42");
        int before = proxmox.exchanges().size();
        client.resource(resource).inNamespace(NAMESPACE).create();

        TraefikHACluster dry = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> current("nodes"), r -> r.getStatus() != null && r.getStatus().preflight != null
                        && !r.getStatus().preflight.isEmpty());
        assertThat(checks(dry)).containsEntry("TokenPrivileges", PreflightCheckStatus.PASSED)
                .containsEntry("TargetNode", PreflightCheckStatus.FAILED).containsEntry("AddressesFree", PreflightCheckStatus.FAILED)
                .containsEntry("TraefikOnPrimary", PreflightCheckStatus.PASSED)
                .containsEntry("KeepalivedCapable", PreflightCheckStatus.PASSED);
        assertThat(message(dry, "TargetNode")).contains("storage local-lvm on node proxmox3 has 5.0 GiB free, the primary's"
                + " disks need 8.0 GiB").contains("node proxmox3 has 1.0 GiB of memory free, the container needs 2.0 GiB");
        assertThat(message(dry, "AddressesFree")).contains("192.168.1.142 (spec.vip.address) is in use on the LAN:"
                + " AA:BB:CC:00:11:42 answered").contains("choose another spec.vip.address");
        assertThat(message(dry, "KeepalivedCapable")).contains("CT 140 is unprivileged");
        assertThat(dry.getStatus().condition(ConditionTypes.PREFLIGHT_PASSED).reason).isEqualTo("TargetNodeFailed");

        TraefikHACluster wet = current("nodes");
        wet.getSpec().dryRun = false;
        client.resource(wet).inNamespace(NAMESPACE).update();
        String firstRun = current("nodes").getStatus().preflight.get(0).lastRun;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                !firstRun.equals(current("nodes").getStatus().preflight.get(0).lastRun));
        assertThat(proxmox.exchanges().subList(before, proxmox.exchanges().size())).as("only reads reach Proxmox")
                .allSatisfy(e -> assertThat(e.method()).isEqualTo("GET"));
        assertThat(proxmox.exists(141)).isFalse();

        proxmox.setNodeMemory("proxmox3", 16L << 30, 2L << 30);
        proxmox.setStorageUsage("local-lvm", "proxmox3", 100L << 30, 10L << 30);
        TraefikHACluster stillBusy = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> current("nodes"), r -> checks(r).get("TargetNode").equals(PreflightCheckStatus.PASSED));
        assertThat(stillBusy.getStatus().condition(ConditionTypes.PREFLIGHT_PASSED).reason).isEqualTo("AddressesFreeFailed");
        assertThat(proxmox.exists(141)).isFalse();

        nodes.lan.remove("192.168.1.142");
        TraefikHACluster ready = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> current("nodes"), r -> r.getStatus().phase == ClusterPhase.Ready);
        assertThat(ready.getStatus().condition(ConditionTypes.PREFLIGHT_PASSED).status).isEqualTo(Condition.TRUE);
        assertThat(message(ready, "AddressesFree")).contains("192.168.1.141 (spec.secondary.address) is free",
                "192.168.1.142 (spec.vip.address) is free");
        assertThat(proxmox.nodeOf(141)).isEqualTo("proxmox3");
        int checksBefore = nodes.primaryChecks;
        String seen = ready.getStatus().nodes.get(0).lastSeen;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> current("nodes"),
                r -> !seen.equals(r.getStatus().nodes.get(0).lastSeen));
        assertThat(nodes.primaryChecks).as("steady state: preflight asks the primary nothing").isEqualTo(checksBefore);
        client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("nodes").delete();
    }

    private static Map<String, String> checks(TraefikHACluster resource) {
        Map<String, String> results = new LinkedHashMap<>();
        resource.getStatus().preflight.forEach(check -> results.put(check.name, check.result));
        return results;
    }

    private static String message(TraefikHACluster resource, String check) {
        return resource.getStatus().preflight.stream().filter(c -> c.name.equals(check)).findFirst().orElseThrow().message;
    }

    /** A fresh privilege-separated token with {@code role} on /, put into the Secret the resources name. */
    private void useToken(String tokenName, String role) {
        String tokenId = proxmox.access().tokenAdd(USER, tokenName, true);
        proxmox.access().aclModifyToken("/", tokenId, role, true);
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("proxmox-api-token")
                .endMetadata().addToStringData("tokenId", tokenId)
                .addToStringData("tokenSecret", proxmox.access().tokenSecret(tokenId)).build())
                .createOr(existing -> existing.update());
    }

    private static TraefikHACluster resource(String name) {
        TraefikHACluster resource = ExampleSpecs.against(proxmox, NAMESPACE, name);
        resource.getSpec().primary.vmid = 130;
        resource.getSpec().primary.address = "192.168.1.130/24";
        resource.getSpec().secondary.vmid = 131;
        resource.getSpec().secondary.address = "192.168.1.131/24";
        resource.getSpec().vip.address = "192.168.1.132/24";
        resource.getSpec().vip.virtualRouterId = 53;
        resource.getSpec().dns = new DnsSpec(); // no DNS: not what this test is about
        resource.getSpec().deletionPolicy = DeletionPolicy.Retain;
        return resource;
    }

    private TraefikHACluster current(String name) {
        return client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName(name).get();
    }
}
