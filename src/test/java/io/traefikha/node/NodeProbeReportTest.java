package io.traefikha.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.traefikha.domain.FileEntry;
import io.traefikha.domain.LoadedRouters;
import io.traefikha.domain.LsyncdFacts;
import io.traefikha.domain.RemoteFile;
import io.traefikha.keepalived.TraefikHealth;
import io.traefikha.sync.FileTree;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeProbeReportTest {

    private static final String HEALTHY_MASTER = String.join("\n",
            "probe_format=4", "hostname=traefik", "keepalived_installed=true", "keepalived_active=active",
            "keepalived_enabled=enabled", "traefik_active=active", "vip_present=true", "vrrp_state=MASTER", "traefik_ping=true",
            "router_count=21",
            "file_sha256=" + "a".repeat(64) + " /etc/keepalived/keepalived.conf", "");

    @Test
    void parsesAHealthyMaster() {
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER)).isEqualTo(new NodeProbeReport(
                "traefik", true, true, true, true, true, VrrpState.MASTER, null, true, 21,
                Map.of("/etc/keepalived/keepalived.conf", "a".repeat(64))));
    }

    @Test
    void readsTheRecordsOfWhatTheDaemonsLoadedApartFromTheFilesOnDisk() {
        NodeProbeReport report = NodeProbeReport.parse(HEALTHY_MASTER
                + "loaded_sha256=" + "b".repeat(64) + " /etc/keepalived/keepalived.conf\n"
                + "loaded_sha256=" + "c".repeat(64) + " /usr/local/bin/traefik-ha-check.sh\n"
                + "loaded_sha256=not-a-hash /etc/lsyncd/lsyncd.conf.lua\n");

        assertThat(report.fileHashes()).containsExactly(Map.entry("/etc/keepalived/keepalived.conf", "a".repeat(64)));
        assertThat(report.loadedHashes()).containsOnly(Map.entry("/etc/keepalived/keepalived.conf", "b".repeat(64)),
                Map.entry("/usr/local/bin/traefik-ha-check.sh", "c".repeat(64)));
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER).loadedHashes()).as("no record: nothing known to be loaded").isEmpty();
    }

    @Test
    void readsTheGlobalIpv6AddressesInTheirCanonicalTextWithoutPrefix() {
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER + "ipv6_addresses=FD00:1:0::110/64 fd00:1::100/64 fd00:1::100/64"
                + " nonsense 2001:db8::1/128 \n").ipv6Addresses()).containsExactly("fd00:1::110", "fd00:1::100", "2001:db8::1");
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER + "ipv6_addresses=\n").ipv6Addresses()).as("none").isEmpty();
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER).ipv6Addresses()).as("not reported").isNull();
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
        ProbeRequest request = new ProbeRequest("eth0", "10.0.0.1", "/run/state", List.of("/etc/it's"),
                List.of("*.log", ".git/"), new TraefikHealth("traefik's", "http://127.0.0.1:8080/ping",
                "http://127.0.0.1:8080/api/rawdata", null, null), List.of("/etc/keepalived/keepalived.conf"), null);
        assertThat(NodeScripts.probe(request)).contains("find '/etc/it'\\''s' \\( -name '*.log' -o -type d -name '.git' \\) -prune")
                .contains("[ -f '/etc/keepalived/keepalived.conf' ]")
                .contains("systemctl is-active -- 'traefik'\\''s'");
        assertThatThrownBy(() -> RemoteFile.rootOwned("/etc/traefik/it's.yml", "x", 0644)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeScripts.ensurePackage("keepalived; reboot")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RemoteFile.rootOwned("relative/path", "x", 0644)).isInstanceOf(IllegalArgumentException.class);
    }

    private static final String HASH_A = "a".repeat(64);
    private static final String TREE_AND_LSYNCD = String.join("\n",
            "installed_packages=lsyncd rsync ", "lsyncd_active=active", "lsyncd_enabled=enabled",
            "host_key=ssh-ed25519 AAAAC3", "host_key=ssh-rsa AAAAB3", "sync_key_sha256=" + HASH_A,
            "tree=" + listing("R", "/etc/traefik", "M", "f", "644", "root", "root", "12", "/etc/traefik/traefik.yml", "",
                    "M", "f", "600", "root", "root", "2", "/etc/traefik/acme=1.json", "", "H",
                    HASH_A + "  /etc/traefik/traefik.yml", HASH_A + "  /etc/traefik/acme=1.json", "E"), "");

    /** NUL-terminated fields in base64, as the listing script prints them. */
    static String listing(String... fields) {
        return Base64.getEncoder().encodeToString((String.join("\0", fields) + "\0").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheSyncedTreeAndTheLsyncdFacts() {
        NodeProbeReport report = NodeProbeReport.parse(HEALTHY_MASTER + TREE_AND_LSYNCD);

        assertThat(report.syncTree().files().values()).containsExactlyInAnyOrder(
                FileEntry.file("/etc/traefik/traefik.yml", HASH_A, 0644, "root", "root", 12),
                FileEntry.file("/etc/traefik/acme=1.json", HASH_A, 0600, "root", "root", 2));
        assertThat(report.configHash()).isEqualTo(report.syncTree().aggregateHash());
        assertThat(report.lsyncd()).isEqualTo(new LsyncdFacts(Set.of("lsyncd", "rsync"), true, true,
                List.of("ssh-ed25519 AAAAC3", "ssh-rsa AAAAB3"), HASH_A));
        assertThat(report.fileHashes()).as("tree lines are not managed files")
                .containsOnlyKeys("/etc/keepalived/keepalived.conf");
    }

    @Test
    void anEmptyTreeIsATreeButAnUnfinishedOrUnreadableListingIsNone() {
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER + "tree=" + listing("R", "/etc/traefik", "H", "E") + "\n")
                .syncTree().files()).isEmpty();
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER + "tree=" + listing("R", "/etc/traefik", "H") + "\n").syncTree())
                .as("the listing broke off: the sync must list the tree itself").isNull();
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER).lsyncd()).as("not reported").isNull();
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER + TREE_AND_LSYNCD.replace("lsyncd_active=active\n", "")).lsyncd())
                .isNull();
    }

    @Test
    void theProbeScriptListsTheTreeLikeTheFileListingAndHashesTheSyncKeyLine(@TempDir Path dir) throws Exception {
        Path config = Files.createDirectories(dir.resolve("traefik/dynamic"));
        Files.writeString(config.resolve("a.yml"), "http: {}\n");
        Files.writeString(config.resolve("b.log"), "left out\n");
        Path keys = dir.resolve("authorized_keys");
        String syncKeyLine = "command=\"/usr/local/bin/traefik-ha-rsync-only\" ssh-ed25519 AAAA " + LsyncdFacts.SYNC_KEY_COMMENT;
        Files.writeString(keys, "ssh-ed25519 BBBB admin@laptop\n" + syncKeyLine + "  \n");
        ProbeRequest request = new ProbeRequest("lo", "127.0.0.1", dir.resolve("state").toString(),
                List.of(dir.resolve("traefik").toString()), List.of("*.log"), new TraefikHealth("traefik",
                "http://127.0.0.1:1/ping", "http://127.0.0.1:1/api/rawdata", null, null), List.of(), keys.toString());

        NodeProbeReport report = NodeProbeReport.parse(sh(NodeScripts.probe(request)));

        assertThat(report.syncTree()).isEqualTo(FileTree.parseListing(Base64.getDecoder().decode(
                sh(NodeScripts.fileList(request.syncPaths(), request.syncExcludes())).strip())));
        assertThat(report.syncTree().files()).containsOnlyKeys(config.resolve("a.yml").toString());
        assertThat(report.lsyncd().syncKeySha256()).isEqualTo(LsyncdFacts.syncKeySha256(syncKeyLine));
        assertThat(report.routerCount()).as("nothing answers at port 1").isEqualTo(-1);
        assertThat(report.loadedRouters()).isNull();
    }

    @Test
    void readsTheLoadedRoutersByNameAndStatusWithTheNodesHashOverAll() {
        LoadedRouters all = LoadedRouters.of(Map.of("whoami@file", "enabled", "api@internal", "warning"));
        NodeProbeReport report = NodeProbeReport.parse(HEALTHY_MASTER.replace("router_count=21", "router_count=2")
                + "routers_sha256=" + all.sha256() + "\nrouter=api@internal\twarning\nrouter=whoami@file\tenabled\n");

        assertThat(report.loadedRouters()).isEqualTo(all);
        assertThat(report.loadedRouters().complete()).isTrue();
        assertThat(report.routerCount()).as("router=... lines are not the count").isEqualTo(2);
    }

    @Test
    void aListCutShortKeepsTheNodesHashAndSaysItIsIncomplete() {
        NodeProbeReport report = NodeProbeReport.parse(HEALTHY_MASTER + "routers_sha256=" + HASH_A + "\n"
                + "router=a@file\tenabled\nrouter=" + "b".repeat(250) + "\n");

        assertThat(report.loadedRouters().count()).isEqualTo(21);
        assertThat(report.loadedRouters().sha256()).isEqualTo(HASH_A);
        assertThat(report.loadedRouters().listed()).containsExactly(Map.entry("a@file", "enabled"),
                Map.entry("b".repeat(250), "?"));
        assertThat(report.loadedRouters().complete()).isFalse();
    }

    @Test
    void withoutTheAPIsAnswerOrTheHashNoRoutersAreKnown() {
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER).loadedRouters()).as("an older script").isNull();
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER.replace("router_count=21", "router_count=") + "routers_sha256="
                + HASH_A + "\n").loadedRouters()).as("the API did not answer").isNull();
        assertThat(NodeProbeReport.parse(HEALTHY_MASTER + "routers_sha256=garbage\n").loadedRouters()).isNull();
    }

    /** Traefik's /api/rawdata as pkg/api serves it: routers by "name@provider", each with its status. */
    private static final String RAWDATA = """
            {"routers":{"whoami@file":{"entryPoints":["web"],"service":"whoami","rule":"Host(`whoami.home`)",
            "status":"enabled","using":["web"]},"api@internal":{"entryPoints":["traefik"],"service":"api@internal",
            "rule":"PathPrefix(`/api`)","status":"enabled","using":["traefik"]},"broken@file":{"entryPoints":["nope"],
            "service":"whoami","rule":"Host(`x`)","error":["no valid entryPoint for this router"],"status":"disabled"}},
            "tcpRouters":{"ssh@file":{"service":"ssh","rule":"HostSNI(`*`)","status":"enabled"}}}
            """;

    @Test
    void theProbeScriptListsTraefiksHttpRoutersFromItsRawDataAndHashesThemAsTheOperatorWould(@TempDir Path dir)
            throws Exception {
        HttpServer traefik = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        traefik.createContext("/api/rawdata", exchange -> {
            byte[] body = RAWDATA.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        traefik.start();
        try {
            ProbeRequest request = new ProbeRequest("lo", "127.0.0.1", dir.resolve("state").toString(),
                    List.of(dir.toString()), List.of(), new TraefikHealth("traefik", "http://127.0.0.1:1/ping",
                    "http://127.0.0.1:" + traefik.getAddress().getPort() + "/api/rawdata", null, null), List.of(), null);

            NodeProbeReport report = NodeProbeReport.parse(sh(NodeScripts.probe(request)));

            assertThat(report.routerCount()).as("HTTP routers only").isEqualTo(3);
            assertThat(report.ipv6Addresses()).as("lo has ::1 only, of host scope").isNotNull().doesNotContain("::1");
            assertThat(report.loadedRouters()).isEqualTo(LoadedRouters.of(Map.of("whoami@file", "enabled",
                    "api@internal", "enabled", "broken@file", "disabled")));
        } finally {
            traefik.stop(0);
        }
    }

    private static String sh(String script) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
