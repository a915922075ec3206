package io.traefikha.keepalived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.traefikha.api.v1alpha1.HeartbeatSpec;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.testbed.Exec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nodes' heartbeat (spec.heartbeat) as rendered: its URL only in a root-only curl config, the check script pushing
 * up or down through it; and the rendered heartbeat script run against a push monitor on loopback (its node paths moved
 * into a temporary directory): status and the VRRP state arrive, an unchanged status is pushed at most once an interval,
 * a change at once.
 */
class HeartbeatScriptTest {

    private static final String TOKEN = "pUsHt0k3n";

    private final List<String> pushes = new CopyOnWriteArrayList<>();
    private HttpServer monitor;

    @TempDir
    Path dir;

    @BeforeEach
    void startMonitor() throws IOException {
        monitor = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        monitor.createContext("/", exchange -> {
            pushes.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        monitor.start();
    }

    @AfterEach
    void stopMonitor() {
        monitor.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + monitor.getAddress().getPort() + "/api/push/" + TOKEN;
    }

    private static TraefikHAClusterSpec spec() {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        spec.heartbeat = new HeartbeatSpec();
        spec.heartbeat.secretRef = new SecretRef("kuma-push");
        spec.heartbeat.interval = "60s";
        return spec;
    }

    @Test
    void theUrlIsOnlyInTheRootOnlyCurlConfigAndTheCheckPushesThroughIt() {
        KeepalivedFiles files = KeepalivedRenderer.render(spec(), "traefik", Role.PRIMARY, null, Optional.empty(), null, url());
        Map<String, RemoteFile> byPath = files.remoteFiles().stream().collect(Collectors.toMap(RemoteFile::path, f -> f));
        assertThat(byPath.get(KeepalivedPaths.HEARTBEAT_CONFIG).mode()).isEqualTo(0600);
        assertThat(text(byPath.get(KeepalivedPaths.HEARTBEAT_CONFIG))).contains("url = \"" + url() + "\"");
        assertThat(files.remoteFiles()).filteredOn(f -> text(f).contains(TOKEN)).extracting(RemoteFile::path)
                .containsExactly(KeepalivedPaths.HEARTBEAT_CONFIG);
        assertThat(files.checkScript()).contains(KeepalivedPaths.HEARTBEAT_SCRIPT + " down \"$1\"")
                .contains(KeepalivedPaths.HEARTBEAT_SCRIPT + " up\nexit 0");

        KeepalivedFiles none = KeepalivedRenderer.render(ClusterSpecs.homelab(), "traefik", Role.PRIMARY, null,
                Optional.empty(), null, null);
        assertThat(none.checkScript()).doesNotContain(KeepalivedPaths.HEARTBEAT_SCRIPT);
        assertThat(none.heartbeatConfig()).contains("no heartbeat").doesNotContain("url");
        assertThat(none.remoteFiles()).extracting(RemoteFile::path).as("written anyway: a removed URL does not stay")
                .contains(KeepalivedPaths.HEARTBEAT_CONFIG);
        assertThat(KeepalivedPaths.WRITTEN).as("removed on Rollback").contains(KeepalivedPaths.HEARTBEAT_CONFIG,
                KeepalivedPaths.HEARTBEAT_SCRIPT);
    }

    @Test
    void pushesStatusAndVrrpStateAtMostOnceAnIntervalAndAChangeAtOnce() throws IOException {
        KeepalivedFiles files = KeepalivedRenderer.render(spec(), "traefik", Role.PRIMARY, null, Optional.empty(), null, url());
        Path script = dir.resolve("heartbeat.sh");
        Path config = dir.resolve("heartbeat.curl");
        Path state = dir.resolve("vrrp-state");
        Files.writeString(config, files.heartbeatConfig());
        Files.writeString(state, "MASTER 1765000000\n");
        assertThat(files.heartbeatScript()).contains(KeepalivedPaths.HEARTBEAT_STAMP, KeepalivedPaths.HEARTBEAT_CONFIG,
                KeepalivedPaths.STATE_FILE);
        Files.writeString(script, files.heartbeatScript()
                .replace(KeepalivedPaths.HEARTBEAT_STAMP, dir.resolve("stamp/heartbeat-last").toString())
                .replace(KeepalivedPaths.HEARTBEAT_CONFIG, config.toString())
                .replace(KeepalivedPaths.STATE_FILE, state.toString()));

        run(script, "up");
        awaitPushes(1);
        assertThat(pushes.get(0)).isEqualTo("GET /api/push/" + TOKEN + " status=up&msg=MASTER&ping=");

        run(script, "up");
        run(script, "down", "traefik ping not answering");
        awaitPushes(2);
        assertThat(pushes.get(1)).as("the unchanged status was not pushed again; the change was, at once")
                .isEqualTo("GET /api/push/" + TOKEN + " status=down&msg=MASTER: traefik ping not answering&ping=");

        Files.writeString(state, "BACKUP 1765000100\n");
        run(script, "down", "traefik ping not answering");
        run(script, "up");
        awaitPushes(3);
        assertThat(pushes.get(2)).isEqualTo("GET /api/push/" + TOKEN + " status=up&msg=BACKUP&ping=");
        assertThat(pushes).hasSize(3);
    }

    private static void run(Path script, String... arguments) {
        List<String> argv = new java.util.ArrayList<>(List.of("sh", script.toString()));
        argv.addAll(List.of(arguments));
        Exec.Result result = Exec.run(argv, Duration.ofSeconds(10));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    private void awaitPushes(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pushes.size() >= count);
    }

    private static String text(RemoteFile file) {
        return new String(file.content(), StandardCharsets.UTF_8);
    }
}
