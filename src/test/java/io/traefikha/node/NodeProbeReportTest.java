package io.traefikha.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeProbeReportTest {

    private static final String HEALTHY_MASTER = String.join("\n",
            "probe_format=2", "hostname=traefik", "keepalived_installed=true", "keepalived_active=active",
            "keepalived_enabled=enabled", "traefik_active=active", "vip_present=true", "vrrp_state=MASTER", "config_hash=ab12", "traefik_ping=true",
            "router_count=21",
            "file_sha256=" + "a".repeat(64) + " /etc/keepalived/keepalived.conf", "");

    @Test
    void parsesAHealthyMaster() {
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER)).isEqualTo(new NodeProbeReport(
                "traefik", true, true, true, true, true, VrrpState.MASTER, "ab12", true, 21,
                java.util.Map.of("/etc/keepalived/keepalived.conf", "a".repeat(64))));
    }

    @Test
    void readsMissingValuesAsUnknownNotHealthy() {
        NodeProbeReport report = NodeProbeReport.parse(HEALTHY_MASTER
                .replace("keepalived_active=active", "keepalived_active=inactive")
                .replace("keepalived_enabled=enabled", "keepalived_enabled=disabled")
                .replace("vrrp_state=MASTER", "vrrp_state=")
                .replace("router_count=21", "router_count="));
        assertThat(report.keepalivedActive()).isFalse();
        assertThat(report.keepalivedEnabled()).isFalse();
        assertThat(report.vrrpState()).isEqualTo(VrrpState.UNKNOWN);
        assertThat(report.routerCount()).isEqualTo(-1);
    }

    @Test
    void refusesATruncatedOrForeignReport() {
        assertThatThrownBy(() -> NodeProbeReport.parse(HEALTHY_MASTER.replace("vip_present=true\n", "")))
                .hasMessageContaining("vip_present");
        assertThatThrownBy(() -> NodeProbeReport.parse("bash: line 1: syntax error")).hasMessageContaining("format");
        assertThatThrownBy(() -> NodeProbeReport.parse(HEALTHY_MASTER.replace("vip_present=true", "vip_present=maybe")))
                .hasMessageContaining("vip_present=maybe");
    }

    @Test
    void quotesEveryValueTheScriptsEmbed() {
        ProbeRequest request = new ProbeRequest("eth0", "10.0.0.1", "/run/state", java.util.List.of("/etc/it's"),
                java.util.List.of("*.log", ".git/"), "http://127.0.0.1:8080/ping", "http://127.0.0.1:8080/api/rawdata",
                java.util.List.of("/etc/keepalived/keepalived.conf"));
        assertThat(NodeScripts.probe(request)).contains("find '/etc/it'\\''s' \\( -name '*.log' -o -type d -name '.git' \\) -prune")
                .contains("[ -f '/etc/keepalived/keepalived.conf' ]");
        assertThatThrownBy(() -> RemoteFile.rootOwned("/etc/traefik/it's.yml", "x", 0644)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeScripts.ensurePackage("keepalived; reboot")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RemoteFile.rootOwned("relative/path", "x", 0644)).isInstanceOf(IllegalArgumentException.class);
    }
}
