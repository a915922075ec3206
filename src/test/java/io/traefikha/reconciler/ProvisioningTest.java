package io.traefikha.reconciler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.ProxmoxTlsSpec;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.proxmox.FirewallOptionsUpdate;
import io.traefikha.proxmox.FirewallVerdict;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.http.TlsTrust;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ContainerEvent;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.sync.SyncKeyPair;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator end to end against the Kubernetes test API, the Proxmox VE simulator (through the real client, TLS
 * pinned by fingerprint) and in-memory nodes: from the homelab's lone CT 110 to a Ready pair, then drift.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ProvisioningTest {

    private static final String NAMESPACE = "homelab";
    private static ProxmoxSimulator proxmox;
    private static AdGuardHomeSimulator adguard;
    private static final String FQDN = "." + HomelabPreset.DOMAIN;
    private static final List<ContainerEvent> containerEvents = new CopyOnWriteArrayList<>();

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void startProxmox() {
        proxmox = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(30)).statsInterval(Duration.ZERO).start();
        proxmox.addListener(containerEvents::add);
        adguard = AdGuardHomeSimulator.builder().user("admin", "adguard-secret").rewrites(HomelabPreset.rewrites()).start();
    }

    @AfterAll
    static void stopProxmox() {
        proxmox.close();
        adguard.close();
    }

    @BeforeEach
    void namespaceAndSecrets() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(existing -> existing.update());
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("proxmox-api-token")
                .endMetadata().addToStringData("tokenId", proxmox.tokenId()).addToStringData("tokenSecret", proxmox.tokenSecret())
                .build()).createOr(existing -> existing.update());
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("adguard-credentials")
                .endMetadata().addToStringData("username", "admin").addToStringData("password", "adguard-secret").build())
                .createOr(existing -> existing.update());
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("traefik-ssh")
                .endMetadata().addToStringData("privateKey", "in-memory nodes take any key").build())
                .createOr(existing -> existing.update());
    }

    @Test
    void theHomelabBecomesAReadyPairAndHealsAStoppedSecondary() {
        // The primary's Proxmox firewall is on with inbound DROP and ipfilter: VRRP and the VIP would be dropped.
        ProxmoxClient api = ProxmoxClient.create(ProxmoxConnection.of(proxmox.baseUrl(), proxmox.tokenId(),
                proxmox.tokenSecret(), TlsTrust.fingerprint(proxmox.fingerprint())));
        api.updateFirewallOptions("proxmox", 110, FirewallOptionsUpdate.create().enable(true)
                .policyIn(FirewallVerdict.DROP).ipfilter(true));
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setNamespace(NAMESPACE);
        resource.getSpec().proxmox.url = proxmox.baseUrl();
        resource.getSpec().proxmox.tls = new ProxmoxTlsSpec();
        resource.getSpec().proxmox.tls.fingerprint = proxmox.fingerprint();
        resource.getSpec().dns.adguard.url = adguard.url();
        client.resource(resource).inNamespace(NAMESPACE).create();

        TraefikHACluster ready = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(this::current, r -> r.getStatus() != null && r.getStatus().phase == ClusterPhase.Ready);

        assertThat(proxmox.nodeOf(111)).isEqualTo("proxmox2");
        assertThat(proxmox.isRunning(111)).isTrue();
        assertThat(proxmox.config(111).get("net0")).contains("ip=192.168.1.111/24");
        assertThat(containerEvents).noneMatch(e -> e.vmid() == 110 && e.type() == ContainerEvent.Type.STOPPED);
        assertThat(proxmox.firewallAcceptsInbound(110, 112, "vrrp", "192.168.1.111", "192.168.1.110")).isTrue();
        assertThat(proxmox.firewallAcceptsInbound(111, 112, "vrrp", "192.168.1.110", "192.168.1.111")).isTrue();
        assertThat(proxmox.firewallPassesIpFilter(110, "192.168.1.100")).isTrue();
        assertThat(proxmox.firewallPassesIpFilter(111, "192.168.1.100")).isTrue();
        assertThat(ready.getStatus().vip.holder).isEqualTo("traefik");
        assertThat(ready.getStatus().nodes).extracting(n -> n.role + ":" + n.containerState + ":" + n.vrrpState)
                .containsExactly("primary:running:MASTER", "secondary:running:BACKUP");
        assertThat(ready.getStatus().conditions).filteredOn(c -> Condition.TRUE.equals(c.status)).extracting(c -> c.type)
                .contains(ConditionTypes.VALID, ConditionTypes.PROXMOX_REACHABLE, ConditionTypes.SECONDARY_PROVISIONED,
                        ConditionTypes.KEEPALIVED_CONFIGURED, ConditionTypes.VIP_HEALTHY, ConditionTypes.READY);
        assertThat(eventReasons()).contains("Cloning", "Started");
        // DNS: the first group ("pilot": traefik) moves to the VIP once Ready; the next waits for its 24 h soak.
        TraefikHACluster dnsLive = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(this::current, r -> r.getStatus().dns != null && "pilot".equals(r.getStatus().dns.livePhase));
        assertThat(adguard.answersOf("traefik" + FQDN)).containsExactly("192.168.1.100");
        assertThat(adguard.answersOf("memos" + FQDN)).containsExactly("192.168.1.110");
        assertThat(adguard.answersOf("wiki" + FQDN)).as("not in the spec: untouched").containsExactly("192.168.1.110");
        assertThat(dnsLive.getStatus().dns.nextPhase).isEqualTo("apps");
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("traefik-dns-registry").get().getData().get("registry.json"))
                .contains("traefik" + FQDN).contains("192.168.1.110");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("traefikha_cluster_ready{cluster=\"homelab/traefik\"} 1.0")
                .contains("traefikha_vip_holder{cluster=\"homelab/traefik\",role=\"primary\"} 1.0")
                .contains("traefikha_repairs_total{cluster=\"homelab/traefik\",kind=\"CloneContainer\"} 1.0");
        SimulatedNodes nodes = InMemoryNodeGateways.REPLICAS.get("192.168.1.110/24,192.168.1.111/24");
        assertThat(nodes.nodes.get(Role.SECONDARY).files).containsKey("/etc/keepalived/keepalived.conf");
        // Lsyncd mode (the default): the sync key lives in a Secret the resource owns, never in status.
        Secret syncKey = client.secrets().inNamespace(NAMESPACE).withName("traefik-sync-key").get();
        assertThat(syncKey.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(ready.getMetadata().getUid()));
        String privateKey = new String(Base64.getDecoder().decode(syncKey.getData().get("privateKey")), StandardCharsets.US_ASCII);
        assertThat(nodes.nodes.get(Role.SECONDARY).syncKey)
                .isEqualTo(SyncKeyPair.fromPrivateKey(privateKey.getBytes(StandardCharsets.US_ASCII)).publicKey());
        assertThat(nodes.nodes.get(Role.PRIMARY).lsyncdActive).isTrue();
        assertThat(Serialization.asJson(current().getStatus())).doesNotContain(privateKey.lines().skip(1).findFirst().orElseThrow());

        // Drift: someone stops the secondary through Proxmox; the operator starts it again.
        containerEvents.clear();
        TaskWaiter.withDefaults(api).await(api.stop("proxmox2", 111), Duration.ofSeconds(10));
        proxmox.broadcastStats(); // the cluster view learns the stop, as pvestatd publishes it within 10 s
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> containerEvents.stream().anyMatch(e -> e.vmid() == 111 && e.type() == ContainerEvent.Type.STARTED));
        assertThat(proxmox.isRunning(111)).isTrue();

        // Deleting it with the example's deletionPolicy Rollback: keepalived off on both, the secondary shut down, kept.
        client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("traefik").delete();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> current() == null);
        assertThat(proxmox.exists(111)).isTrue();
        assertThat(proxmox.isRunning(111)).isFalse();
        assertThat(proxmox.isRunning(110)).isTrue();
        assertThat(api.firewallRules("proxmox", 110)).as("the operator's rules are gone, the user's firewall stays")
                .noneMatch(r -> r.comment() != null && r.comment().startsWith("traefikha:"));
        assertThat(api.firewallOptions("proxmox", 110).enabled()).isTrue();
        assertThat(adguard.answersOf("traefik" + FQDN)).as("DNS rolled back to the primary").containsExactly("192.168.1.110");
        assertThat(nodes.nodes.get(Role.PRIMARY).active).isFalse();
        assertThat(nodes.nodes.get(Role.PRIMARY).enabled).isFalse();
    }

    @Test
    void dryRunPlansTheWholeProvisioningAndChangesNothing() {
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setName("dry-run");
        resource.getMetadata().setNamespace(NAMESPACE);
        resource.getSpec().dryRun = true;
        resource.getSpec().dns.adguard.url = adguard.url();
        resource.getSpec().proxmox.url = proxmox.baseUrl();
        resource.getSpec().proxmox.tls = new ProxmoxTlsSpec();
        resource.getSpec().proxmox.tls.fingerprint = proxmox.fingerprint();
        resource.getSpec().primary.vmid = 110;
        resource.getSpec().secondary.vmid = 112;
        resource.getSpec().secondary.address = "192.168.1.112/24";
        resource.getSpec().vip.address = "192.168.1.102/24";
        resource.getSpec().vip.virtualRouterId = 52;
        int exchangesBefore = proxmox.exchanges().size();
        client.resource(resource).inNamespace(NAMESPACE).create();

        TraefikHACluster planned = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("dry-run").get(),
                        r -> r.getStatus() != null && !r.getStatus().plannedActions.isEmpty());

        assertThat(planned.getStatus().plannedActions).anySatisfy(a -> assertThat(a).startsWith("clone CT 110 to CT 112"));
        assertThat(planned.getStatus().preflight).as("dry run runs preflight too").hasSize(5)
                .allSatisfy(check -> assertThat(check.result).as(check.name + ": " + check.message).isEqualTo("Passed"));
        assertThat(proxmox.exists(112)).isFalse();
        assertThat(proxmox.exchanges().subList(exchangesBefore, proxmox.exchanges().size()))
                .as("only reads reached Proxmox").allSatisfy(e -> assertThat(e.method()).isEqualTo("GET"));
        client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("dry-run").delete();
    }

    private TraefikHACluster current() {
        return client.resources(TraefikHACluster.class).inNamespace(NAMESPACE).withName("traefik").get();
    }

    private List<String> eventReasons() {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream().map(Event::getReason).toList();
    }
}
