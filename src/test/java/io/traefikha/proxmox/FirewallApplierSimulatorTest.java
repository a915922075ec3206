package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.traefikha.domain.FirewallObservation;
import io.traefikha.planner.FirewallPlan;
import io.traefikha.planner.FirewallPlanner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.traefikha.http.TlsTrust;

/**
 * Plans applied to the simulator and their effect observed: the primary (CT 110) with firewall and ipfilter on and a
 * rule of the user's, cloned to CT 111 (the clone copies the firewall). After the plan VRRP crosses both ways and the
 * VIP passes ipfilter on both; a second plan is empty; the rollback leaves exactly the user's firewall.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class FirewallApplierSimulatorTest {

    private static final String UID = "0b7f6a5e-1111-2222-3333-444455556666";
    private static final String VIP = "192.168.1.100";
    private static final String PRIMARY = "192.168.1.110";
    private static final String SECONDARY = "192.168.1.111";
    private static final String VRRP_GROUP = "224.0.0.18";

    private static ProxmoxSimulator simulator;
    private static ProxmoxClient client;
    private static FirewallApplier firewall;

    @BeforeAll
    static void primaryWithFirewallAndItsClone() {
        simulator = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(20)).statsInterval(Duration.ZERO).start();
        client = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(), simulator.tokenSecret(),
                TlsTrust.fingerprint(simulator.fingerprint())).withRequestTimeout(Duration.ofSeconds(5)));
        TaskWaiter tasks = new TaskWaiter(client, Duration.ofMillis(10), Duration.ofMillis(50), 5);
        client.updateFirewallOptions("proxmox", 110, FirewallOptionsUpdate.create().enable(true).ipfilter(true));
        client.createFirewallRule("proxmox", 110, FirewallRuleRequest.inbound(FirewallVerdict.ACCEPT).proto("tcp").dport("443")
                .comment("https"));
        tasks.await(client.createSnapshot("proxmox", 110, "base", null), Duration.ofSeconds(5));
        tasks.await(client.cloneContainer("proxmox", 110, CloneRequest.of(111).fromSnapshot("base")), Duration.ofSeconds(5));
        NetConfig net = client.config("proxmox", 111).net(0).orElseThrow().withIpv4(SECONDARY + "/24", "192.168.1.1");
        client.updateConfig("proxmox", 111, ConfigUpdate.create().net(0, net));
        firewall = new FirewallApplier(client);
    }

    @AfterAll
    static void stop() {
        client.close();
        simulator.close();
    }

    @Test
    void planMakesTheVipWorkAndRollbackRestoresTheUsersFirewall() {
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", SECONDARY, VRRP_GROUP)).isFalse();
        assertThat(simulator.firewallAcceptsInbound(111, 112, "vrrp", PRIMARY, VRRP_GROUP)).as("the clone copied the firewall").isFalse();
        assertThat(simulator.firewallPassesIpFilter(111, VIP)).isFalse();

        FirewallPlan plan = FirewallPlanner.plan(true, UID, VIP + "/24", observeBoth());
        assertThat(plan.actions()).hasSize(6);
        firewall.apply(plan.actions());

        for (int vmid : List.of(110, 111)) {
            assertThat(simulator.firewallPassesIpFilter(vmid, VIP)).as("CT %d sends from the VIP", vmid).isTrue();
        }
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", SECONDARY, VRRP_GROUP)).isTrue();
        assertThat(simulator.firewallAcceptsInbound(111, 112, "vrrp", PRIMARY, VRRP_GROUP)).isTrue();
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", "192.168.1.66", VRRP_GROUP)).as("only the peer").isFalse();
        FirewallPlan again = FirewallPlanner.plan(true, UID, VIP, observeBoth());
        assertThat(again.actions()).isEmpty();
        assertThat(again.findings()).singleElement().satisfies(f -> assertThat(f.status()).isTrue());

        firewall.apply(FirewallPlanner.rollback(UID, observeBoth()).actions());

        for (int vmid : List.of(110, 111)) {
            String node = simulator.nodeOf(vmid);
            assertThat(client.firewallRules(node, vmid)).singleElement().satisfies(rule -> assertThat(rule.comment()).isEqualTo("https"));
            assertThat(client.ipSets(node, vmid)).isEmpty();
            assertThat(client.firewallOptions(node, vmid).ipfilter()).as("options are the user's").isTrue();
        }
        assertThat(simulator.firewallPassesIpFilter(110, VIP)).isFalse();
    }

    @Test
    void anOwnedRuleCopiedByTheCloneIsReplacedOnTheSecondary() {
        client.createFirewallRule("proxmox", 111, FirewallRuleRequest.inbound(FirewallVerdict.ACCEPT).proto("112")
                .source(SECONDARY).comment(FirewallPlanner.marker(UID) + " keepalived VRRP from the peer"));

        firewall.apply(FirewallPlanner.plan(true, UID, VIP, List.of(secondaryFirewall())).actions());

        assertThat(client.firewallRules("proxmox", 111)).filteredOn(rule -> rule.comment().startsWith("traefikha:"))
                .singleElement().satisfies(rule -> assertThat(rule.source()).isEqualTo(PRIMARY));
        assertThat(simulator.firewallAcceptsInbound(111, 112, "vrrp", PRIMARY, VRRP_GROUP)).isTrue();
        firewall.apply(FirewallPlanner.rollback(UID, List.of(secondaryFirewall())).actions());
        assertThat(client.firewallRules("proxmox", 111)).extracting(rule -> rule.comment()).containsExactly("https");
    }

    @Test
    void aDualStackVipGetsVrrpFromBothPeerAddressesAndBothVipsInTheIpSet() {
        String primary6 = "fd00:1::110";
        String secondary6 = "fd00:1::111";
        String vip6 = "fd00:1::100";
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", secondary6, secondary6)).isFalse();

        FirewallPlan plan = FirewallPlanner.plan(true, UID, List.of(VIP + "/24", vip6 + "/64"), observeBoth6(primary6, secondary6));
        assertThat(plan.actions()).hasSize(10);
        firewall.apply(plan.actions());

        assertThat(client.firewallRules("proxmox", 110)).filteredOn(rule -> rule.comment().startsWith("traefikha:"))
                .extracting(rule -> rule.source()).containsExactlyInAnyOrder(SECONDARY, secondary6);
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", secondary6, primary6)).isTrue();
        assertThat(simulator.firewallAcceptsInbound(111, 112, "vrrp", primary6, secondary6)).isTrue();
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", "fd00:1::66", primary6)).as("only the peer").isFalse();
        for (int vmid : List.of(110, 111)) {
            assertThat(simulator.firewallPassesIpFilter(vmid, vip6)).as("CT %d sends from the IPv6 VIP", vmid).isTrue();
        }
        assertThat(FirewallPlanner.plan(true, UID, List.of(VIP, vip6), observeBoth6(primary6, secondary6)).actions()).isEmpty();

        firewall.apply(FirewallPlanner.rollback(UID, observeBoth()).actions());
        assertThat(client.firewallRules("proxmox", 110)).extracting(rule -> rule.comment()).containsExactly("https");
        assertThat(simulator.firewallPassesIpFilter(110, vip6)).isFalse();
    }

    @Test
    void theSimulatorRefusesWhatProxmoxRefusesInIpv6Addresses() {
        for (String source : List.of("192.168.1.0/24,fd00:1::/64", "fd00:::1", "fd00:1::/129")) {
            assertThatThrownBy(() -> client.createFirewallRule("proxmox", 110, FirewallRuleRequest.inbound(FirewallVerdict.ACCEPT)
                    .proto("112").source(source).comment("bad"))).as(source).isInstanceOfSatisfying(ProxmoxException.class,
                            e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThat(client.firewallRules("proxmox", 110)).extracting(rule -> rule.comment()).containsExactly("https");
    }

    private static List<FirewallObservation> observeBoth6(String primary6, String secondary6) {
        return List.of(firewall.observe("proxmox", 110).withPeerAddresses(List.of(SECONDARY, secondary6)),
                firewall.observe("proxmox", 111).withPeerAddresses(List.of(PRIMARY, primary6)));
    }

    private static List<FirewallObservation> observeBoth() {
        return List.of(firewall.observe("proxmox", 110).withPeerAddresses(List.of(SECONDARY)), secondaryFirewall());
    }

    private static FirewallObservation secondaryFirewall() {
        return firewall.observe("proxmox", 111).withPeerAddresses(List.of(PRIMARY));
    }
}
