package io.traefikha.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of action: its words for people, its Event reason, and the executor of its kind that carries it out. */
class ActionTest {

    static Stream<Arguments> actions() {
        ManagedFile conf = new ManagedFile(RemoteFile.rootOwned("/etc/keepalived/keepalived.conf", "vrrp", 0644), Uptake.AT_LOAD);
        return Stream.of(
                Arguments.of(new ProxmoxAction.CreateSnapshot("pve1", 100, "traefikha_clone"), "Cloning", "proxmox",
                        "snapshot CT 100 on pve1 as 'traefikha_clone' (temporary, for a clone without downtime)"),
                Arguments.of(new ProxmoxAction.CloneContainer("pve1", 100, 101, "traefik-2", "d", null, null, null, true,
                        null), "Cloning", "proxmox", "clone CT 100 to CT 101 'traefik-2' on node pve1"),
                Arguments.of(new ProxmoxAction.StartContainer("pve2", 101), "Started", "proxmox", "start CT 101 on pve2"),
                Arguments.of(new ProxmoxAction.MigrateContainer("pve1", 101, "pve2", false, null), "ContainerChanged", "proxmox",
                        "migrate CT 101 from pve1 to pve2"),
                Arguments.of(new ProxmoxAction.ConfigureContainer("pve2", 101, Map.of("onboot", "1"), null, "abc"),
                        "ContainerChanged", "proxmox", "set onboot of CT 101"),
                Arguments.of(new FirewallAction.CreateIpSet("pve1", 100, "ipfilter-net0", "traefikha"), "FirewallChanged",
                        "firewall", "create IP set ipfilter-net0 on CT 100"),
                Arguments.of(new NodeAction.StartService(Role.SECONDARY, "keepalived"), "Started", "node",
                        "start keepalived on the secondary"),
                Arguments.of(new NodeAction.RestartService(Role.PRIMARY, "traefik", "it was not running"), "Repaired",
                        "node", "restart traefik on the primary (it was not running)"),
                Arguments.of(new NodeAction.WriteFile(Role.PRIMARY, conf), "NodeChanged", "node",
                        "write /etc/keepalived/keepalived.conf on the primary"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("actions")
    void describesItselfNamesItsEventAndGoesToTheExecutorOfItsKind(Action action, String eventReason, String kind,
            String description) {
        List<String> executed = new ArrayList<>();
        action.carryOut(new Action.Executor() {
            @Override
            public void proxmox(ProxmoxAction a) {
                executed.add("proxmox");
            }

            @Override
            public void firewall(FirewallAction a) {
                executed.add("firewall");
            }

            @Override
            public void node(NodeAction a) {
                executed.add("node");
            }
        });

        assertThat(action.describe()).isEqualTo(description);
        assertThat(action.eventReason()).isEqualTo(eventReason);
        assertThat(executed).containsExactly(kind);
    }
}
