package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.keepalived.KeepalivedPaths;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notify webhook's URL read from a Secret, on the bed's real keepalived nodes: the only file holding it is root-only
 * (0600), the notify script and keepalived.conf do not contain it, and the running curl's command line does not show
 * it while the webhook still receives the state change.
 */
class NotifyWebhookE2ETest extends HaPairE2ETest {

    private static final String TOKEN = "s3cr3t-t0ken";
    /** A listener in the primary's own network namespace, answering slowly so its curl can be seen in ps. */
    private static final String URL = "http://127.0.0.1:18080/hook?token=" + TOKEN;
    private static final String RECEIVED = "/root/webhook-received";
    private static final String LISTENER = "import http.server, time\n"
            + "class H(http.server.BaseHTTPRequestHandler):\n"
            + "    def do_POST(self):\n"
            + "        body = self.rfile.read(int(self.headers['Content-Length']))\n"
            + "        with open('" + RECEIVED + "', 'a') as f:\n"
            + "            f.write(self.path + ' ' + body.decode() + '\\n')\n"
            + "        time.sleep(3)\n"
            + "        self.send_response(204)\n"
            + "        self.end_headers()\n"
            + "http.server.HTTPServer(('127.0.0.1', 18080), H).serve_forever()\n";

    @BeforeAll
    static void deployedWithAWebhookFromASecret() {
        pair.primary.write("/root/webhook-listener.py", LISTENER, "600");
        // bounded: the process ends with the host's PID namespace when the bed is torn down
        pair.primary.exec("nohup python3 /root/webhook-listener.py >/dev/null 2>&1 &");
        TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
        spec.vip.notifyWebhookSecretRef = new SecretRef("webhook");
        pair.deploy(spec, null, URL);
    }

    @Test
    void theUrlIsOnlyInARootOnlyFileAndNeverOnACommandLine() {
        for (BedHost host : new BedHost[] {pair.primary, pair.secondary}) {
            assertThat(host.exec("stat -c '%a %U %G' " + KeepalivedPaths.NOTIFY_WEBHOOK).stdout().strip())
                    .as(host.name()).isEqualTo("600 root root");
            assertThat(host.readFile(KeepalivedPaths.NOTIFY_WEBHOOK)).contains(URL);
            assertThat(host.readFile(KeepalivedPaths.NOTIFY_SCRIPT)).doesNotContain(TOKEN);
            assertThat(host.readFile(KeepalivedPaths.CONFIG)).doesNotContain(TOKEN);
        }

        pair.primary.exec(KeepalivedPaths.NOTIFY_SCRIPT + " INSTANCE VI_1 MASTER 150");
        String[] curl = {""};
        boolean seen = HaPair.await(Duration.ofSeconds(5), () -> (curl[0] = pair.primary
                .exec("ps -eo args | grep '^curl .*--config' || true").stdout()).contains("curl"));

        assertThat(seen).as("curl runs while the webhook answers slowly").isTrue();
        assertThat(curl[0]).contains("--config " + KeepalivedPaths.NOTIFY_WEBHOOK).doesNotContain(TOKEN);
        assertThat(HaPair.await(Duration.ofSeconds(10), () -> pair.primary.exists(RECEIVED)
                && pair.primary.readFile(RECEIVED).contains("\"state\":\"MASTER\""))).as("the webhook got the change").isTrue();
        assertThat(pair.primary.readFile(RECEIVED)).contains("/hook?token=" + TOKEN);
    }
}
