package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.planner.Ipv6VipPlanner;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IPv6 VIP's holder in status through the whole reconcile chain against the simulated nodes: beside the IPv4 VIP's
 * holder while the sync group keeps them together; split families are IPv6VIPHeld False, not Ready, told once by a
 * Warning Event, and told again when both are together.
 */
class Ipv6VipHolderTest extends InMemoryChainTest {

    static final String VIP6 = "fd00:1::100";

    @BeforeEach
    void dualStack() {
        resource.getSpec().vip.addresses = List.of(resource.getSpec().vip.address, "FD00:1:0::100/64");
        resource.getSpec().primary.address6 = "fd00:1::110/64";
        resource.getSpec().secondary.address6 = "fd00:1::111/64";
        nodes.dualStack(VIP6);
    }

    @Test
    void theIpv6VipsHolderIsInStatusAndSplitFamiliesAreNotReady() {
        reconcileUntilReady();
        String primary = resource.getSpec().primary.hostname;
        String secondary = resource.getSpec().secondary.hostname;
        assertThat(resource.getStatus().vip.address6).isEqualTo(VIP6);
        assertThat(resource.getStatus().vip.holder6).isEqualTo(primary).isEqualTo(resource.getStatus().vip.holder);
        assertThat(condition(ConditionTypes.IPV6_VIP_HELD)).satisfies(c -> {
            assertThat(c.status).isEqualTo(Condition.TRUE);
            assertThat(c.reason).isEqualTo(Ipv6VipPlanner.WITH_IPV4_VIP);
        });
        assertThat(resource.getStatus().vip.entryPoints).as("kept beside the entry points' answers").isNotEmpty();

        nodes.nodes.get(Role.SECONDARY).ipv6Addresses.add(VIP6); // the IPv6 VIP added by hand on the secondary
        reconcile();

        assertThat(resource.getStatus().vip.holder6).isEqualTo(primary + "," + secondary);
        assertThat(condition(ConditionTypes.IPV6_VIP_HELD)).satisfies(c -> {
            assertThat(c.status).isEqualTo(Condition.FALSE);
            assertThat(c.reason).isEqualTo(Ipv6VipPlanner.SPLIT_FAMILIES);
            assertThat(c.message).startsWith("the IPv4 VIP is held by the primary (" + primary + ") and the IPv6 VIP "
                    + VIP6 + " by the primary (" + primary + ") and the secondary (" + secondary + ")");
        });
        assertThat(resource.getStatus().phase).isNotEqualTo(ClusterPhase.Ready);
        reconcile();
        assertThat(events.reasons()).as("told once while it lasts").containsOnlyOnce("IPv6VIPNotWithIPv4VIP");

        nodes.nodes.get(Role.SECONDARY).ipv6Addresses.clear();
        reconcile();

        assertThat(condition(ConditionTypes.IPV6_VIP_HELD).status).isEqualTo(Condition.TRUE);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(events.reasons()).containsOnlyOnce("IPv6VIPWithIPv4VIP");
    }

    @Test
    void anIpv6VipInUseOnTheLanBlocksBeforeAnyChangeNamingTheField() {
        nodes.lan.put(VIP6, "AA:BB:CC:00:11:66");
        reconcile();

        assertThat(condition(ConditionTypes.PREFLIGHT_PASSED)).satisfies(c -> {
            assertThat(c.status).isEqualTo(Condition.FALSE);
            assertThat(c.message).contains(VIP6 + " (spec.vip.addresses) is in use on the LAN: AA:BB:CC:00:11:66 answered")
                    .contains("choose another spec.vip.addresses");
        });
        assertThat(nodes.applied).as("nothing changed on the nodes").isEmpty();

        nodes.lan.remove(VIP6);
        reconcileUntilReady();
        assertThat(resource.getStatus().preflight).filteredOn(p -> p.name.equals("AddressesFree")).singleElement()
                .satisfies(p -> assertThat(p.message).contains(VIP6 + " (spec.vip.addresses) is free"));
    }

    @Test
    void withoutAnIpv6VipThereIsNoIpv6Holder() {
        resource.getSpec().vip.addresses = null;
        reconcileUntilReady();

        assertThat(resource.getStatus().vip.address6).isNull();
        assertThat(resource.getStatus().vip.holder6).isNull();
        assertThat(condition(ConditionTypes.IPV6_VIP_HELD)).isNull();
    }
}
