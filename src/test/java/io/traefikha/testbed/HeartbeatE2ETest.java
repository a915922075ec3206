package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.HeartbeatSpec;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.keepalived.KeepalivedPaths;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The nodes' heartbeat (spec.heartbeat) on the bed's real keepalived, with no operator running: each node's check loop
 * pushes up and its VRRP state to its own push monitor (a listener in the node's network namespace), and the MASTER
 * whose Traefik dies pushes down with the part of the check that failed, at once. The URL is only in the root-only curl
 * config.
 */
class HeartbeatE2ETest extends HaPairE2ETest {

    private static final String TOKEN = "kuma-t0ken";
    private static final String RECEIVED = "/root/pushes-received";
    private static final String LISTENER = "import http.server\n"
            + "class H(http.server.BaseHTTPRequestHandler):\n"
            + "    def do_GET(self):\n"
            + "        with open('" + RECEIVED + "', 'a') as f:\n"
            + "            f.write(self.path + '\\n')\n"
            + "        self.send_response(200)\n"
            + "        self.end_headers()\n"
            + "    def log_message(self, *args):\n"
            + "        pass\n"
            + "http.server.HTTPServer(('127.0.0.1', 18081), H).serve_forever()\n";

    @BeforeAll
    static void deployedWithAHeartbeatPerNode() {
        for (BedHost host : new BedHost[] {pair.primary, pair.secondary}) {
            host.write("/root/push-listener.py", LISTENER, "600");
            // bounded: the process ends with the host's PID namespace when the bed is torn down
            host.exec("nohup python3 /root/push-listener.py >/dev/null 2>&1 &");
        }
        TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
        spec.heartbeat = new HeartbeatSpec();
        spec.heartbeat.secretRef = new SecretRef("kuma-push");
        spec.heartbeat.interval = "10s";
        pair.deployWithHeartbeat(spec, Map.of(Role.PRIMARY, "http://127.0.0.1:18081/api/push/" + TOKEN + "-primary",
                Role.SECONDARY, "http://127.0.0.1:18081/api/push/" + TOKEN + "-secondary"));
    }

    @Test
    void eachNodePushesItsStateAndTheMasterWhoseTraefikDiesPushesDownAtOnce() {
        assertThat(HaPair.await(Duration.ofSeconds(20), () -> received(pair.primary).contains("/api/push/" + TOKEN
                + "-primary?status=up&msg=MASTER&ping=") && received(pair.secondary).contains("/api/push/" + TOKEN
                + "-secondary?status=up&msg=BACKUP&ping="))).as("pushes: primary %s, secondary %s", received(pair.primary),
                received(pair.secondary)).isTrue();
        for (BedHost host : new BedHost[] {pair.primary, pair.secondary}) {
            assertThat(host.exec("stat -c '%a %U' " + KeepalivedPaths.HEARTBEAT_CONFIG).stdout().strip()).isEqualTo("600 root");
            assertThat(host.readFile(KeepalivedPaths.HEARTBEAT_SCRIPT) + host.readFile(KeepalivedPaths.CHECK_SCRIPT)
                    + host.readFile(KeepalivedPaths.CONFIG)).doesNotContain(TOKEN);
        }

        pair.primary.killTraefik();
        try {
            assertThat(HaPair.await(Duration.ofSeconds(20), () -> received(pair.primary).contains("status=down&msg=")))
                    .as("pushes: %s", received(pair.primary)).isTrue();
            assertThat(received(pair.primary).lines().filter(l -> l.contains("status=down")).findFirst().orElseThrow())
                    .matches(".*status=down&msg=(MASTER|BACKUP|FAULT)%3[aA]\\+traefik\\+.*");
        } finally {
            pair.primary.startTraefik();
        }
    }

    private static String received(BedHost host) {
        return host.exists(RECEIVED) ? host.readFile(RECEIVED) : "";
    }
}
