package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ContainerObservation.NetworkConfig;
import io.traefikha.domain.Finding;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.domain.StorageView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SingleHost warning: where the containers really are, or where a secondary is about to go. */
class HostSeparationTest {

    private static final String PRIMARY_IP = "192.168.1.110/24";
    private static final String SECONDARY_IP = "192.168.1.111/24";
    private static final String THIRD_IP = "192.168.1.112/24";

    static Stream<Arguments> cases() {
        // name, spec.secondary.node, the primary's node, the secondary (node, address; null: missing),
        // expected status (null: no finding), reason, words in the message
        return Stream.of(
                Arguments.of("separate nodes", "proxmox2", "proxmox", ct("proxmox2", SECONDARY_IP), false, "SeparateNodes",
                        "the secondary on proxmox2"),
                Arguments.of("both on one node", "proxmox2", "proxmox", ct("proxmox", SECONDARY_IP), true, "SameNode",
                        "both run on Proxmox node proxmox: a failure of that host takes both down"),
                Arguments.of("the secondary's node named as the primary's, not yet cloned", "proxmox", "proxmox", null, true,
                        "SameNode", "will both run on Proxmox node proxmox"),
                Arguments.of("a fresh clone beside the primary, still to be migrated", "proxmox2", "proxmox",
                        ct("proxmox", PRIMARY_IP), false, "SeparateNodes", "the secondary goes to proxmox2"),
                Arguments.of("the primary moved onto the secondary's node by HA", "proxmox2", "proxmox2",
                        ct("proxmox2", SECONDARY_IP), true, "SameNode", "pct migrate 111 <node> --restart"),
                Arguments.of("the secondary moved away from the primary's node", "proxmox", "proxmox",
                        ct("proxmox3", SECONDARY_IP), false, "SeparateNodes", "the secondary on proxmox3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void warnsWhenOneHostFailureTakesBoth(String name, String specNode, String primaryNode, ContainerObservation secondary,
            boolean warning, String reason, String words) {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        spec.secondary.node = specNode;

        List<Finding> findings = HostSeparation.of(spec, new ProxmoxObservation(ct(primaryNode, PRIMARY_IP),
                secondary == null ? ContainerObservation.missing() : secondary));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(ConditionTypes.SINGLE_HOST);
            assertThat(f.status()).isEqualTo(warning);
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.message()).contains(words);
        });
    }

    static Stream<Arguments> threeReplicas() {
        // name, spec.secondaries[1].node, the containers (primary, secondary, secondary-2; null: missing),
        // expected status, reason, words in the message
        return Stream.of(
                Arguments.of("each on its own node", "proxmox3", ct("proxmox", PRIMARY_IP), ct("proxmox2", SECONDARY_IP),
                        ct("proxmox3", THIRD_IP), false, "SeparateNodes",
                        "the primary runs on Proxmox node proxmox, the secondary on proxmox2, the secondary-2 on proxmox3"),
                Arguments.of("the third still to be cloned", "proxmox3", ct("proxmox", PRIMARY_IP),
                        ct("proxmox2", SECONDARY_IP), null, false, "SeparateNodes", "the secondary-2 goes to proxmox3"),
                Arguments.of("a fresh clone of the third beside the primary, still to be migrated", "proxmox3",
                        ct("proxmox", PRIMARY_IP), ct("proxmox2", SECONDARY_IP), ct("proxmox", PRIMARY_IP), false,
                        "SeparateNodes", "the secondary-2 goes to proxmox3"),
                Arguments.of("both secondaries on one node: the primary alone is left", "proxmox3", ct("proxmox", PRIMARY_IP),
                        ct("proxmox2", SECONDARY_IP), ct("proxmox2", THIRD_IP), true, "SameNode",
                        "the secondary CT 111 and the secondary-2 CT 112 both run on Proxmox node proxmox2: a failure of"
                                + " that host takes both down, leaving only the primary to hold the VIP; migrate the"
                                + " secondary-2 to another node (pct migrate 112 <node> --restart) for that"),
                Arguments.of("the third's node named as the primary's, not yet cloned", "proxmox", ct("proxmox", PRIMARY_IP),
                        ct("proxmox2", SECONDARY_IP), null, true, "SameNode",
                        "the primary CT 110 and the secondary-2 CT 112 will both run on Proxmox node proxmox: a failure"
                                + " of that host takes both down, leaving only the secondary to hold the VIP; set"
                                + " spec.secondaries[1].node to another node for that"),
                Arguments.of("all three on one node", "proxmox3", ct("proxmox", PRIMARY_IP), ct("proxmox", SECONDARY_IP),
                        ct("proxmox", THIRD_IP), true, "SameNode",
                        "the primary CT 110, the secondary CT 111 and the secondary-2 CT 112 all run on Proxmox node"
                                + " proxmox: a failure of that host takes all 3 down, so the VIP has no protection against"
                                + " it; migrate the secondary to another node (pct migrate 111 <node> --restart) and"
                                + " migrate the secondary-2 to another node (pct migrate 112 <node> --restart) for that"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threeReplicas")
    void warnsWhenOneHostFailureTakesTwoOfThreeReplicas(String name, String thirdNode, ContainerObservation primary,
            ContainerObservation secondary, ContainerObservation third, boolean warning, String reason, String words) {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        SecondarySpec thirdSpec = new SecondarySpec();
        thirdSpec.node = thirdNode;
        thirdSpec.vmid = 112;
        thirdSpec.hostname = "traefik-3";
        thirdSpec.address = THIRD_IP;
        spec.secondaries = List.of(spec.secondary, thirdSpec);
        spec.secondary = null;

        List<Finding> findings = HostSeparation.of(spec, new ProxmoxObservation(primary, Map.of(Role.SECONDARY, secondary,
                Role.of(2), third == null ? ContainerObservation.missing() : third), StorageView.UNREAD));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(warning);
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.message()).contains(words);
        });
    }

    @org.junit.jupiter.api.Test
    void withoutAPrimaryThereIsNothingToCompare() {
        assertThat(HostSeparation.of(ExampleSpecs.homelab().getSpec(),
                new ProxmoxObservation(ContainerObservation.missing(), ContainerObservation.missing()))).isEmpty();
    }

    private static ContainerObservation ct(String node, String ip) {
        return new ContainerObservation(true, node, true, null, "ct", new NetworkConfig("eth0", "vmbr0", ip, "192.168.1.1",
                "BC:24:11:00:00:01"), true, Set.of(), null, "d", List.of());
    }
}
