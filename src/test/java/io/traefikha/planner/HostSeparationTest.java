package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ContainerObservation.NetworkConfig;
import io.traefikha.domain.Finding;
import io.traefikha.domain.ProxmoxObservation;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SingleHost warning: where the two containers really are, or where the secondary is about to go. */
class HostSeparationTest {

    private static final String PRIMARY_IP = "192.168.1.110/24";
    private static final String SECONDARY_IP = "192.168.1.111/24";

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
