package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.Finding;
import io.traefikha.domain.FirewallAction.AddIpSetEntry;
import io.traefikha.domain.FirewallAction.AddVrrpRule;
import io.traefikha.domain.FirewallAction.CreateIpSet;
import io.traefikha.domain.FirewallAction.DeleteIpSet;
import io.traefikha.domain.FirewallAction.RemoveIpSetEntry;
import io.traefikha.domain.FirewallAction.RemoveRule;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.FirewallObservation.Entry;
import io.traefikha.domain.FirewallObservation.IpSet;
import io.traefikha.domain.FirewallObservation.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The firewall the VIP needs, one observed situation per test. */
class FirewallPlannerTest {

    private static final String UID = "0b7f6a5e-1111-2222-3333-444455556666";
    private static final String MINE = FirewallPlanner.marker(UID);
    private static final String OTHER_RESOURCE = FirewallPlanner.marker("99999999-aaaa-bbbb-cccc-dddddddddddd");
    private static final String VIP = "192.168.1.100/24";
    private static final String PRIMARY = "192.168.1.110";
    private static final String SECONDARY = "192.168.1.111";
    private static final String VIP6 = "fd00:1::100/64";
    private static final String VIP6_ADDRESS = "fd00:1::100";
    private static final String SECONDARY6 = "fd00:1::111";

    // --- VRRP between the two containers -----------------------------------------------------------

    @Test
    void aFirewallThatIsOffNeedsNothing() {
        FirewallPlan plan = plan(ct(110, SECONDARY).off().ipfilter().build());

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan).status()).isTrue();
        assertThat(finding(plan).message()).contains("CT 110: firewall off");
    }

    @Test
    void inboundDropWithoutRulesGetsTheOperatorsVrrpRule() {
        FirewallPlan plan = plan(ct(110, SECONDARY).policy("DROP").build());

        assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(AddVrrpRule.class, add -> {
            assertThat(add.vmid()).isEqualTo(110);
            assertThat(add.peerAddress()).isEqualTo(SECONDARY);
            assertThat(add.comment()).startsWith(MINE);
        });
        assertThat(finding(plan)).satisfies(f -> {
            assertThat(f.type()).isEqualTo("FirewallReady");
            assertThat(f.status()).isFalse();
            assertThat(f.reason()).isEqualTo("Configuring");
            assertThat(f.message()).contains("inbound policy DROP drops VRRP (IP protocol 112) from " + SECONDARY);
        });
    }

    @Test
    void inboundRejectIsTreatedLikeDrop() {
        FirewallPlan plan = plan(ct(111, PRIMARY).policy("REJECT").build());

        assertThat(plan.actions()).singleElement().isInstanceOf(AddVrrpRule.class);
        assertThat(finding(plan).message()).contains("inbound policy REJECT");
    }

    @Test
    void inboundAcceptWithoutDroppingRulesNeedsNothing() {
        FirewallPlan plan = plan(ct(110, SECONDARY).policy("ACCEPT").build());

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan).status()).isTrue();
    }

    @Test
    void inboundAcceptButAForeignDropOfAllTrafficStillGetsTheOperatorsRule() {
        FirewallPlan plan = plan(ct(110, SECONDARY).policy("ACCEPT").rule(rule(0, "DROP", null, null, "lockdown")).build());

        assertThat(plan.actions()).singleElement().isInstanceOf(AddVrrpRule.class);
        assertThat(finding(plan).message()).contains("rule 0 (DROP)");
    }

    @Test
    void theUsersOwnRuleAcceptingVrrpFromThePeerIsEnough() {
        for (Rule users : List.of(rule(0, "ACCEPT", "vrrp", SECONDARY, "vrrp"), rule(0, "ACCEPT", "112", "192.168.1.0/24", null),
                rule(0, "ACCEPT", null, SECONDARY + ",10.0.0.1", "peer"))) {
            FirewallPlan plan = plan(ct(110, SECONDARY).rule(users).build());

            assertThat(plan.actions()).as("%s", users).isEmpty();
            assertThat(finding(plan).status()).isTrue();
        }
    }

    @Test
    void aUserRuleThatCannotBeJudgedIsNotReliedOn() {
        Rule viaIpSet = rule(0, "ACCEPT", "112", "+peers", null);
        Rule disabled = new Rule(1, "in", "ACCEPT", "112", SECONDARY, null, null, null, false, null);
        Rule otherPeer = rule(2, "ACCEPT", "112", "192.168.1.50", null);
        Rule otherProtocol = rule(3, "ACCEPT", "tcp", SECONDARY, null);

        FirewallPlan plan = plan(ct(110, SECONDARY).rule(viaIpSet).rule(disabled).rule(otherPeer).rule(otherProtocol).build());

        assertThat(plan.actions()).singleElement().isInstanceOf(AddVrrpRule.class);
    }

    @Test
    void aForeignRuleAboveTheOperatorsRuleIsReportedNotTouched() {
        Rule users = rule(0, "DROP", null, "192.168.1.0/24", "no lan");
        Rule mine = rule(1, "ACCEPT", "112", SECONDARY, MINE + " keepalived VRRP from the peer");

        FirewallPlan plan = plan(ct(110, SECONDARY).rule(users).rule(mine).build());

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan)).satisfies(f -> {
            assertThat(f.status()).isFalse();
            assertThat(f.reason()).isEqualTo("BlockedByForeignRule");
            assertThat(f.message()).contains("CT 110: rule 0 (DROP) comes before the operator's VRRP rule");
        });
    }

    @Test
    void theOperatorsRuleInPlaceIsReady() {
        FirewallPlan plan = plan(ct(110, SECONDARY).rule(rule(0, "ACCEPT", "112", SECONDARY, MINE + " keepalived VRRP from the peer"))
                .rule(rule(1, "ACCEPT", "tcp", null, "https")).build());

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan).reason()).isEqualTo("Ready");
    }

    @Test
    void anOwnedRuleCopiedByTheCloneOrForAnOldPeerIsReplaced() {
        // the clone copies the primary's firewall: on the secondary the copied rule names the secondary itself
        Rule copied = rule(2, "ACCEPT", "112", SECONDARY, MINE + " keepalived VRRP from the peer");
        Rule disabledMine = new Rule(4, "in", "ACCEPT", "112", PRIMARY, null, null, null, false, MINE);

        FirewallPlan plan = plan(ct(111, PRIMARY).rule(rule(0, "ACCEPT", "tcp", null, "https")).rule(copied)
                .rule(rule(3, "DROP", "tcp", null, "ssh")).rule(disabledMine).build());

        assertThat(plan.actions()).containsExactly(
                new RemoveRule("proxmox2", 111, 4, MINE, PRIMARY),
                new RemoveRule("proxmox2", 111, 2, MINE + " keepalived VRRP from the peer", SECONDARY),
                new AddVrrpRule("proxmox2", 111, PRIMARY, MINE + " keepalived VRRP from the peer"));
    }

    @Test
    void rulesOfOthersAreNeverPlannedForRemoval() {
        FirewallPlan plan = plan(ct(110, SECONDARY).rule(rule(0, "ACCEPT", "112", "192.168.1.99", OTHER_RESOURCE + " old peer"))
                .rule(rule(1, "ACCEPT", "112", "192.168.1.98", "traefikha: by hand")).build());

        assertThat(plan.actions()).singleElement().isInstanceOf(AddVrrpRule.class);
    }

    // --- ipfilter and the VIP -----------------------------------------------------------------------

    @Test
    void ipfilterWithoutASetGetsTheSetAndTheVip() {
        FirewallPlan plan = plan(ct(110, SECONDARY).policy("ACCEPT").ipfilter().build());

        assertThat(plan.actions()).containsExactly(
                new CreateIpSet("proxmox", 110, "ipfilter-net0", MINE + " created for the VIP"),
                new AddIpSetEntry("proxmox", 110, "ipfilter-net0", "192.168.1.100", MINE + " keepalived VIP"));
        assertThat(finding(plan).message()).contains("ipfilter is on and the VIP 192.168.1.100 is not in IP set ipfilter-net0 (there is no such set)");
    }

    @Test
    void anExistingSetOfTheUserGetsOnlyTheVipAdded() {
        FirewallPlan plan = plan(ct(110, SECONDARY).policy("ACCEPT").ipfilter()
                .set(new IpSet("mine", List.of(new Entry("192.168.1.120", "extra address", false)))).build());

        assertThat(plan.actions()).containsExactly(
                new AddIpSetEntry("proxmox", 110, "ipfilter-net0", "192.168.1.100", MINE + " keepalived VIP"));
    }

    @Test
    void aNetworkInTheSetAlreadyCoversTheVip() {
        FirewallPlan plan = plan(ct(110, SECONDARY).policy("ACCEPT").ipfilter()
                .set(new IpSet(null, List.of(new Entry("192.168.1.96/28", null, false)))).build());

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan).message()).contains("VIP 192.168.1.100 in ipfilter-net0");
    }

    @Test
    void aNomatchEntryExcludingTheVipIsReportedNotTouched() {
        FirewallPlan plan = plan(ct(110, SECONDARY).policy("ACCEPT").ipfilter()
                .set(new IpSet(null, List.of(new Entry("192.168.1.0/24", null, false), new Entry("192.168.1.100", "no", true)))).build());

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan).reason()).isEqualTo("BlockedByForeignRule");
        assertThat(finding(plan).message()).contains("nomatch entry of ipfilter-net0 excludes the VIP 192.168.1.100");
    }

    @Test
    void anOwnedEntryForAnOldVipIsReplaced() {
        FirewallPlan plan = plan(ct(110, SECONDARY).policy("ACCEPT").ipfilter()
                .set(new IpSet(MINE, List.of(new Entry("192.168.1.99", MINE + " keepalived VIP", false),
                        new Entry("192.168.1.98", OTHER_RESOURCE, false)))).build());

        assertThat(plan.actions()).containsExactly(
                new RemoveIpSetEntry("proxmox", 110, "ipfilter-net0", "192.168.1.99"),
                new AddIpSetEntry("proxmox", 110, "ipfilter-net0", "192.168.1.100", MINE + " keepalived VIP"));
    }

    @Test
    void ipfilterIsIgnoredWhileTheFirewallIsOff() {
        assertThat(plan(ct(110, SECONDARY).off().ipfilter().build()).actions()).isEmpty();
    }

    // --- a dual-stack VIP ---------------------------------------------------------------------------

    @Test
    void anIpv6VipAddsVrrpFromThePeersIpv6AddressAndTheIpv6VipToTheIpSet() {
        FirewallPlan plan = plan6(ct(110, SECONDARY).ipfilter().build().withPeerAddresses(List.of(SECONDARY, SECONDARY6)));

        assertThat(plan.actions()).containsExactly(
                new AddVrrpRule("proxmox", 110, SECONDARY, MINE + " keepalived VRRP from the peer"),
                new AddVrrpRule("proxmox", 110, SECONDARY6, MINE + " keepalived VRRP from the peer"),
                new CreateIpSet("proxmox", 110, "ipfilter-net0", MINE + " created for the VIP"),
                new AddIpSetEntry("proxmox", 110, "ipfilter-net0", "192.168.1.100", MINE + " keepalived VIP"),
                new AddIpSetEntry("proxmox", 110, "ipfilter-net0", VIP6_ADDRESS, MINE + " keepalived VIP"));
        assertThat(finding(plan).message()).contains("drops VRRP (IP protocol 112) from " + SECONDARY6)
                .contains("needed: " + VIP6_ADDRESS + " in ipfilter-net0");
    }

    @Test
    void bothFamiliesInPlaceIsReady() {
        FirewallPlan plan = plan6(ct(110, SECONDARY).ipfilter()
                .rule(rule(0, "ACCEPT", "112", SECONDARY6, MINE + " keepalived VRRP from the peer"))
                .rule(rule(1, "ACCEPT", "112", SECONDARY, MINE + " keepalived VRRP from the peer"))
                .set(new IpSet(MINE, List.of(new Entry("192.168.1.100", MINE, false), new Entry(VIP6_ADDRESS, MINE, false))))
                .build().withPeerAddresses(List.of(SECONDARY, SECONDARY6)));

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan).status()).isTrue();
        assertThat(finding(plan).message()).contains("VRRP from " + SECONDARY + " and " + SECONDARY6 + " accepted")
                .contains("VIP 192.168.1.100 and " + VIP6_ADDRESS + " in ipfilter-net0");
    }

    @Test
    void anIpv4RuleDoesNotLetIpv6AdvertsInButAForeignIpv6NetworkRuleDoes() {
        FirewallPlan onlyIpv4 = plan6(ct(110, SECONDARY).rule(rule(0, "ACCEPT", "vrrp", "192.168.1.0/24", "lan")).build()
                .withPeerAddresses(List.of(SECONDARY, SECONDARY6)));
        FirewallPlan both = plan6(ct(110, SECONDARY).rule(rule(0, "ACCEPT", "vrrp", "192.168.1.0/24", "lan"))
                .rule(rule(1, "ACCEPT", "112", "fd00:1::/64", "lan6")).build().withPeerAddresses(List.of(SECONDARY, SECONDARY6)));

        assertThat(onlyIpv4.actions()).containsExactly(
                new AddVrrpRule("proxmox", 110, SECONDARY6, MINE + " keepalived VRRP from the peer"));
        assertThat(both.actions()).isEmpty();
    }

    @Test
    void aForeignIpv6NetworkInTheIpSetHoldsTheIpv6VipAndANomatchEntryBlocksIt() {
        FirewallPlan held = plan6(ct(110, SECONDARY).policy("ACCEPT").ipfilter()
                .set(new IpSet("users", List.of(new Entry("192.168.1.0/24", null, false), new Entry("fd00:1::/64", null, false))))
                .build());
        FirewallPlan excluded = plan6(ct(110, SECONDARY).policy("ACCEPT").ipfilter()
                .set(new IpSet("users", List.of(new Entry("192.168.1.0/24", null, false), new Entry("fd00:1::/64", null, true))))
                .build());

        assertThat(held.actions()).isEmpty();
        assertThat(excluded.actions()).isEmpty();
        assertThat(finding(excluded).reason()).isEqualTo("BlockedByForeignRule");
        assertThat(finding(excluded).message()).contains("excludes the VIP " + VIP6_ADDRESS);
    }

    @Test
    void droppingTheIpv6VipRemovesItsRuleAndItsIpSetEntry() {
        FirewallPlan plan = plan(ct(110, SECONDARY).ipfilter()
                .rule(rule(0, "ACCEPT", "112", SECONDARY6, MINE + " keepalived VRRP from the peer"))
                .rule(rule(1, "ACCEPT", "112", SECONDARY, MINE + " keepalived VRRP from the peer"))
                .set(new IpSet(MINE, List.of(new Entry("192.168.1.100", MINE, false), new Entry(VIP6_ADDRESS, MINE, false))))
                .build());

        assertThat(plan.actions()).containsExactly(
                new RemoveRule("proxmox", 110, 0, MINE + " keepalived VRRP from the peer", SECONDARY6),
                new RemoveIpSetEntry("proxmox", 110, "ipfilter-net0", VIP6_ADDRESS));
    }

    // --- the spec switch ----------------------------------------------------------------------------

    @Test
    void unmanagedFirewallPlansNothingAndSaysExactlyWhatIsMissing() {
        FirewallPlan plan = FirewallPlanner.plan(false, UID, VIP, List.of(
                ct(110, SECONDARY).policy("DROP").ipfilter().build(), ct(111, PRIMARY).off().build()));

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan)).satisfies(f -> {
            assertThat(f.status()).isFalse();
            assertThat(f.reason()).isEqualTo("FirewallUnmanaged");
            assertThat(f.message()).startsWith("spec.proxmox.manageFirewall is false")
                    .contains("CT 110: inbound policy DROP drops VRRP (IP protocol 112) from 192.168.1.111")
                    .contains("needed: an inbound ACCEPT rule for protocol 112 from 192.168.1.111")
                    .contains("needed: 192.168.1.100 in ipfilter-net0")
                    .doesNotContain("CT 111");
        });
    }

    @Test
    void unmanagedButAlreadyFineIsReady() {
        FirewallPlan plan = FirewallPlanner.plan(false, UID, VIP, List.of(ct(110, SECONDARY).policy("ACCEPT").build()));

        assertThat(plan.actions()).isEmpty();
        assertThat(finding(plan).status()).isTrue();
    }

    // --- rollback -----------------------------------------------------------------------------------

    @Test
    void rollbackRemovesExactlyWhatTheOperatorOwnsRulesFromTheBottomUp() {
        FirewallObservation primary = ct(110, SECONDARY).rule(rule(0, "ACCEPT", "112", SECONDARY, MINE + " keepalived VRRP from the peer"))
                .rule(rule(1, "ACCEPT", "tcp", null, "https")).rule(rule(2, "ACCEPT", "112", "192.168.1.99", MINE))
                .rule(rule(3, "ACCEPT", "112", "192.168.1.97", OTHER_RESOURCE)).ipfilter()
                .set(new IpSet(MINE + " created for the VIP", List.of(new Entry("192.168.1.100", MINE + " keepalived VIP", false))))
                .build();
        FirewallObservation secondary = ct(111, PRIMARY).ipfilter()
                .set(new IpSet(MINE + " created for the VIP", List.of(new Entry("192.168.1.100", MINE + " keepalived VIP", false),
                        new Entry("192.168.1.121", "added by hand", false))))
                .build();

        FirewallPlan plan = FirewallPlanner.rollback(UID, List.of(primary, secondary));

        assertThat(plan.actions()).containsExactly(
                new RemoveRule("proxmox", 110, 2, MINE, "192.168.1.99"),
                new RemoveRule("proxmox", 110, 0, MINE + " keepalived VRRP from the peer", SECONDARY),
                new RemoveIpSetEntry("proxmox", 110, "ipfilter-net0", "192.168.1.100"),
                new DeleteIpSet("proxmox", 110, "ipfilter-net0"),
                new RemoveIpSetEntry("proxmox2", 111, "ipfilter-net0", "192.168.1.100"));
        assertThat(plan.actions()).allSatisfy(a -> assertThat(a.describe()).isNotBlank());
    }

    @Test
    void rollbackOfAContainerWithNothingOwnedIsEmpty() {
        FirewallObservation users = ct(110, SECONDARY).rule(rule(0, "ACCEPT", "112", SECONDARY, "vrrp")).ipfilter()
                .set(new IpSet("users", List.of(new Entry("192.168.1.100", null, false)))).build();

        assertThat(FirewallPlanner.rollback(UID, List.of(users)).actions()).isEmpty();
    }

    // --- three replicas: every other replica is a peer ---------------------------------------------

    private static final String THIRD = "192.168.1.112";
    private static final String THIRD6 = "fd00:1::112";

    @Test
    void eachPeerOfThreeReplicasGetsItsOwnVrrpRuleAndTheVipGoesIntoTheSetOnce() {
        FirewallPlan plan = plan(ct(110, SECONDARY).ipfilter().build().withPeerAddresses(List.of(SECONDARY, THIRD)));

        assertThat(plan.actions()).containsExactly(
                new AddVrrpRule("proxmox", 110, SECONDARY, MINE + " keepalived VRRP from the peer"),
                new AddVrrpRule("proxmox", 110, THIRD, MINE + " keepalived VRRP from the peer"),
                new CreateIpSet("proxmox", 110, "ipfilter-net0", MINE + " created for the VIP"),
                new AddIpSetEntry("proxmox", 110, "ipfilter-net0", "192.168.1.100", MINE + " keepalived VIP"));
        assertThat(finding(plan).message()).contains("CT 110: inbound policy DROP drops VRRP (IP protocol 112) from "
                + THIRD + ", so CT 110 and " + THIRD + " would both claim the VIP");
    }

    @Test
    void aPeerAlreadyAcceptedNeedsNothingWhileTheOtherGetsItsRule() {
        FirewallPlan plan = plan(ct(112, PRIMARY).rule(rule(0, "ACCEPT", "112", PRIMARY, MINE + " keepalived VRRP from the peer"))
                .build().withPeerAddresses(List.of(PRIMARY, SECONDARY)));

        assertThat(plan.actions()).containsExactly(new AddVrrpRule("proxmox2", 112, SECONDARY, MINE
                + " keepalived VRRP from the peer"));
    }

    @Test
    void everyContainerOfThreeIsPlannedAndEveryPeerAcceptedIsReady() {
        String rule = MINE + " keepalived VRRP from the peer";
        FirewallObservation primary = ct(110, SECONDARY).rule(rule(0, "ACCEPT", "112", SECONDARY, rule))
                .rule(rule(1, "ACCEPT", "112", THIRD, rule)).build().withPeerAddresses(List.of(SECONDARY, THIRD));
        FirewallObservation second = ct(111, PRIMARY).build().withPeerAddresses(List.of(PRIMARY, THIRD));
        FirewallObservation third = ct(112, PRIMARY).policy("ACCEPT").build().withPeerAddresses(List.of(PRIMARY, SECONDARY));

        FirewallPlan plan = FirewallPlanner.plan(true, UID, VIP, List.of(primary, second, third));

        assertThat(plan.actions()).containsExactly(new AddVrrpRule("proxmox2", 111, PRIMARY, rule),
                new AddVrrpRule("proxmox2", 111, THIRD, rule));
        assertThat(finding(plan).message()).doesNotContain("CT 110").doesNotContain("CT 112");
        assertThat(FirewallPlanner.plan(true, UID, VIP, List.of(primary, third)).findings()).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("CT 110: VRRP from " + SECONDARY + " and " + THIRD
                        + " accepted").contains("CT 112: VRRP from " + PRIMARY + " and " + SECONDARY + " accepted"));
    }

    @Test
    void aRuleForAReplicaNoLongerInTheSpecIsRemovedAndIpv6PeersGetTheirs() {
        String rule = MINE + " keepalived VRRP from the peer";
        FirewallObservation primary = ct(110, SECONDARY).rule(rule(0, "ACCEPT", "112", SECONDARY, rule))
                .rule(rule(1, "ACCEPT", "112", THIRD, rule)).build()
                .withPeerAddresses(List.of(SECONDARY, SECONDARY6));

        assertThat(plan(primary).actions()).containsExactly(new RemoveRule("proxmox", 110, 1, rule, THIRD),
                new AddVrrpRule("proxmox", 110, SECONDARY6, rule));
        assertThat(plan6(ct(110, SECONDARY).build().withPeerAddresses(List.of(SECONDARY, THIRD, SECONDARY6, THIRD6)))
                .actions()).extracting(a -> ((AddVrrpRule) a).peerAddress()).containsExactly(SECONDARY, THIRD, SECONDARY6,
                        THIRD6);
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static FirewallPlan plan(FirewallObservation ct) {
        return FirewallPlanner.plan(true, UID, VIP, List.of(ct));
    }

    private static FirewallPlan plan6(FirewallObservation ct) {
        return FirewallPlanner.plan(true, UID, List.of(VIP, VIP6), List.of(ct));
    }

    private static Finding finding(FirewallPlan plan) {
        assertThat(plan.findings()).hasSize(1);
        return plan.findings().get(0);
    }

    private static Rule rule(int pos, String action, String proto, String source, String comment) {
        return new Rule(pos, "in", action, proto, source, null, null, null, true, comment);
    }

    private static Builder ct(int vmid, String peer) {
        return new Builder(vmid == 110 ? "proxmox" : "proxmox2", vmid, peer);
    }

    /** A container with its firewall on, inbound policy DROP (Proxmox's default), no rules, no ipfilter. */
    private static final class Builder {
        private final String node;
        private final int vmid;
        private final String peer;
        private boolean enabled = true;
        private String policy = "DROP";
        private boolean ipfilter;
        private final List<Rule> rules = new java.util.ArrayList<>();
        private IpSet set;

        Builder(String node, int vmid, String peer) {
            this.node = node;
            this.vmid = vmid;
            this.peer = peer;
        }

        Builder off() {
            enabled = false;
            return this;
        }

        Builder policy(String value) {
            policy = value;
            return this;
        }

        Builder ipfilter() {
            ipfilter = true;
            return this;
        }

        Builder rule(Rule rule) {
            rules.add(rule);
            return this;
        }

        Builder set(IpSet value) {
            set = value;
            return this;
        }

        FirewallObservation build() {
            return new FirewallObservation(node, vmid, List.of(peer), enabled, policy, ipfilter, rules, set);
        }
    }
}
