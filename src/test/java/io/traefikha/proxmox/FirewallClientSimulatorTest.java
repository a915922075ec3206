package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.traefikha.http.TlsTrust;

/** The container firewall endpoints of the client against the simulator, each exchange held to the schema. */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class FirewallClientSimulatorTest {

    private static final String PEER = "192.168.1.111";
    private static final String VIP = "192.168.1.100";
    private static final String VRRP_GROUP = "224.0.0.18";

    private static ProxmoxSimulator simulator;
    private static ProxmoxClient client;
    private int checkedExchanges;

    @BeforeAll
    static void startSimulator() {
        simulator = ProxmoxSimulator.homelab().statsInterval(Duration.ZERO).start();
        client = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(), simulator.tokenSecret(),
                TlsTrust.fingerprint(simulator.fingerprint())).withRetries(0, Duration.ofMillis(10))
                .withRequestTimeout(Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stopSimulator() {
        client.close();
        simulator.close();
    }

    @BeforeEach
    void rememberExchanges() {
        checkedExchanges = simulator.exchanges().size();
    }

    @AfterEach
    void everyExchangeFitsTheSchemaAndTheFirewallIsReset() {
        SimulatorContract.check(simulator, checkedExchanges);
        for (FirewallRule rule : client.firewallRules("proxmox", 110)) {
            client.deleteFirewallRule("proxmox", 110, 0, null);
        }
        for (IpSet set : client.ipSets("proxmox", 110)) {
            client.ipSetEntries("proxmox", 110, set.name())
                    .forEach(e -> client.removeIpSetEntry("proxmox", 110, set.name(), e.cidr(), null));
            client.deleteIpSet("proxmox", 110, set.name());
        }
        client.updateFirewallOptions("proxmox", 110, FirewallOptionsUpdate.create().delete("enable").delete("policy_in")
                .delete("ipfilter"));
    }

    @Test
    void optionsReportOnlyWhatIsSetAndTheClientAppliesProxmoxDefaults() {
        FirewallOptions fresh = client.firewallOptions("proxmox", 110);
        assertThat(fresh.values()).containsOnlyKeys("digest");
        assertThat(fresh.enabled()).isFalse();
        assertThat(fresh.policyIn()).as("unset inbound policy is DROP").isEqualTo(FirewallVerdict.DROP);
        assertThat(fresh.policyOut()).isEqualTo(FirewallVerdict.ACCEPT);
        assertThat(fresh.macfilter()).isTrue();
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", PEER, VRRP_GROUP)).as("firewall off").isTrue();

        client.updateFirewallOptions("proxmox", 110, FirewallOptionsUpdate.create().enable(true).ipfilter(true)
                .policyOut(FirewallVerdict.ACCEPT).digest(fresh.digest()));
        FirewallOptions enabled = client.firewallOptions("proxmox", 110);
        assertThat(enabled.values()).containsEntry("enable", 1).containsEntry("ipfilter", 1).containsEntry("policy_out", "ACCEPT");
        assertThat(enabled.enabled()).isTrue();
        assertThat(enabled.ipfilter()).isTrue();
        assertThat(enabled.digest()).isNotEqualTo(fresh.digest());
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", PEER, VRRP_GROUP))
                .as("enabled with the default inbound policy: VRRP is dropped, the seed's split brain").isFalse();

        assertThatThrownBy(() -> client.updateFirewallOptions("proxmox", 110, FirewallOptionsUpdate.create()
                .policyIn(FirewallVerdict.ACCEPT).digest(fresh.digest())))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.isDigestMismatch()).isTrue());
        client.updateFirewallOptions("proxmox", 110, FirewallOptionsUpdate.create().policyIn(FirewallVerdict.ACCEPT));
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", PEER, VRRP_GROUP)).isTrue();
    }

    @Test
    void rulesGoToTheTopAreEnabledByTheClientAndAreDeletedByPosition() {
        client.updateFirewallOptions("proxmox", 110, FirewallOptionsUpdate.create().enable(true).policyIn(FirewallVerdict.DROP));
        client.createFirewallRule("proxmox", 110, FirewallRuleRequest.inbound(FirewallVerdict.ACCEPT).proto("tcp").dport("443")
                .comment("https"));
        client.createFirewallRule("proxmox", 110, FirewallRuleRequest.inbound(FirewallVerdict.ACCEPT).proto("112").source(PEER)
                .comment("vrrp from the peer"));

        var rules = client.firewallRules("proxmox", 110);
        assertThat(rules).extracting(FirewallRule::pos, FirewallRule::comment)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "vrrp from the peer"), org.assertj.core.groups.Tuple.tuple(1, "https"));
        assertThat(rules.get(0)).satisfies(rule -> {
            assertThat(rule.enabled()).isTrue();
            assertThat(rule.inbound()).isTrue();
            assertThat(rule.action()).isEqualTo("ACCEPT");
            assertThat(rule.proto()).isEqualTo("112");
            assertThat(rule.source()).isEqualTo(PEER);
            assertThat(rule.digest()).hasSize(40);
        });
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", PEER, VRRP_GROUP)).isTrue();
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", "192.168.1.50", VRRP_GROUP)).as("only the peer").isFalse();

        String staleDigest = rules.get(0).digest();
        client.createFirewallRule("proxmox", 110, FirewallRuleRequest.inbound(FirewallVerdict.DROP).proto("vrrp").disabled());
        assertThat(client.firewallRules("proxmox", 110).get(0).enabled()).isFalse();
        assertThatThrownBy(() -> client.deleteFirewallRule("proxmox", 110, 1, staleDigest))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.isDigestMismatch()).isTrue());
        assertThatThrownBy(() -> client.deleteFirewallRule("proxmox", 110, 7, null))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.reason()).isEqualTo("no rule at position 7");
                });
        client.deleteFirewallRule("proxmox", 110, 1, client.firewallRules("proxmox", 110).get(0).digest());
        assertThat(client.firewallRules("proxmox", 110)).extracting(FirewallRule::comment).containsExactly(null, "https");
        assertThat(simulator.firewallAcceptsInbound(110, 112, "vrrp", PEER, VRRP_GROUP)).isFalse();
    }

    @Test
    void ruleParametersAreCheckedAgainstTheSchema() {
        assertThatThrownBy(() -> client.createFirewallRule("proxmox", 110, FirewallRuleRequest.inbound(FirewallVerdict.ACCEPT)
                .proto("vrrrp")))
                .isInstanceOfSatisfying(ProxmoxException.class,
                        e -> assertThat(e.errors()).containsEntry("proto", "invalid format - unknown protocol 'vrrrp'\n"));
        assertThat(client.firewallRules("proxmox", 110)).isEmpty();
    }

    @Test
    void ipfilterLetsTheVipOutOnlyOnceItIsInTheIpfilterSet() {
        client.updateFirewallOptions("proxmox", 110, FirewallOptionsUpdate.create().enable(true).ipfilter(true));
        assertThat(simulator.firewallPassesIpFilter(110, "192.168.1.110")).as("the configured address is implicit").isTrue();
        assertThat(simulator.firewallPassesIpFilter(110, VIP)).isFalse();
        assertThat(client.ipSets("proxmox", 110)).as("the implicit addresses are not listed").isEmpty();

        client.createIpSet("proxmox", 110, "ipfilter-net0", "managed");
        assertThatThrownBy(() -> client.createIpSet("proxmox", 110, "ipfilter-net0", null))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.reason()).isEqualTo("IPSet 'ipfilter-net0' already exists"));
        client.addIpSetEntry("proxmox", 110, "ipfilter-net0", VIP, "the VIP");
        assertThatThrownBy(() -> client.addIpSetEntry("proxmox", 110, "ipfilter-net0", VIP, null))
                .isInstanceOfSatisfying(ProxmoxException.class,
                        e -> assertThat(e.errors()).containsEntry("cidr", "address '" + VIP + "' already exists"));
        client.addIpSetEntry("proxmox", 110, "ipfilter-net0", "10.0.0.0/8", null);

        assertThat(client.ipSets("proxmox", 110)).singleElement()
                .satisfies(set -> assertThat(set).extracting(IpSet::name, IpSet::comment).containsExactly("ipfilter-net0", "managed"));
        assertThat(client.ipSetEntries("proxmox", 110, "ipfilter-net0")).extracting(IpSetEntry::cidr, IpSetEntry::comment)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(VIP, "the VIP"), org.assertj.core.groups.Tuple.tuple("10.0.0.0/8", null));
        assertThat(simulator.firewallPassesIpFilter(110, VIP)).isTrue();

        assertThatThrownBy(() -> client.deleteIpSet("proxmox", 110, "ipfilter-net0"))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.reason()).isEqualTo("IPSet 'ipfilter-net0' is not empty"));
        client.removeIpSetEntry("proxmox", 110, "ipfilter-net0", "10.0.0.0/8",
                client.ipSetEntries("proxmox", 110, "ipfilter-net0").get(0).digest());
        client.removeIpSetEntry("proxmox", 110, "ipfilter-net0", VIP, null);
        assertThat(simulator.firewallPassesIpFilter(110, VIP)).isFalse();
        client.deleteIpSet("proxmox", 110, "ipfilter-net0");
        assertThatThrownBy(() -> client.ipSetEntries("proxmox", 110, "ipfilter-net0"))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.reason()).isEqualTo("no such IPSet 'ipfilter-net0'"));
    }
}
