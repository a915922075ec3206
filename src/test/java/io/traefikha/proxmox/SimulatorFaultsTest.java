package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.traefikha.http.FingerprintTrustManager;
import io.traefikha.http.TlsTrust;

/**
 * The simulator's fault injection seen through the client (an outage answering 500; privileges: ProxmoxPrivilegesTest,
 * latency beyond the request timeout, a CT ignoring shutdown, a killed task), snapshot config reads, and the HTTP-level
 * rules the client never breaks, checked with raw requests.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class SimulatorFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";

    private static ProxmoxSimulator simulator;
    private static ProxmoxClient client;
    private static TaskWaiter tasks;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        simulator = ProxmoxSimulator.homelab().taskDuration(Duration.ofMillis(20)).statsInterval(Duration.ZERO).start();
        client = ProxmoxClient.create(connection().withRequestTimeout(Duration.ofSeconds(5)));
        tasks = new TaskWaiter(client, Duration.ofMillis(10), Duration.ofMillis(50), 5);
    }

    @AfterAll
    static void stop() {
        client.close();
        simulator.close();
    }

    private static ProxmoxConnection connection() {
        return ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(), simulator.tokenSecret(),
                TlsTrust.fingerprint(simulator.fingerprint())).withRetries(0, Duration.ofMillis(10));
    }

    // --- faults through the client -------------------------------------------------------------------

    @Test
    void anOutageAnswersEveryRequestWithItsStatusAndReasonUntilItEnds() {
        simulator.failAllRequests(500, "Can't connect to 127.0.0.1:85 (Connection refused)");
        try {
            assertThatThrownBy(client::version).isInstanceOfSatisfying(ProxmoxException.class, e -> {
                assertThat(e.status()).isEqualTo(500);
                assertThat(e.reason()).isEqualTo("Can't connect to 127.0.0.1:85 (Connection refused)");
            });
            assertThatThrownBy(() -> client.cloneContainer("proxmox", 110, CloneRequest.of(181)))
                    .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.status()).isEqualTo(500));
        } finally {
            simulator.endOutage();
        }
        assertThat(simulator.exists(181)).as("nothing done during the outage").isFalse();
        assertThat(client.version().version()).isNotEmpty();
    }

    @Test
    void latencyBeyondTheRequestTimeoutFailsTheRequest() {
        simulator.setLatency(Duration.ofMillis(1500));
        try (ProxmoxClient impatient = ProxmoxClient.create(connection().withRequestTimeout(Duration.ofMillis(300)))) {
            long started = System.nanoTime();
            assertThatThrownBy(impatient::version).isInstanceOfSatisfying(ProxmoxException.class, e -> {
                assertThat(e.status()).as("no HTTP answer").isZero();
                assertThat(e.getMessage()).contains("timed out");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1400));
        } finally {
            simulator.setLatency(Duration.ZERO);
        }
    }

    @Test
    void aContainerIgnoringShutdownFailsTheTaskUnlessForceStopIsGiven() {
        tasks.await(client.createContainer("proxmox", CreateRequest.of(180, TEMPLATE).rootfs("local-lvm:4").option("start", true)), WAIT);
        simulator.setIgnoresShutdown(180, true);

        Upid polite = client.shutdown("proxmox", 180, 1, false);
        assertThatThrownBy(() -> tasks.await(polite, WAIT)).isInstanceOfSatisfying(ProxmoxTaskException.class, e -> {
            assertThat(e.exitStatus()).isEqualTo("command 'lxc-stop -n 180 --nokill --timeout 1' failed: exit code 1");
            assertThat(e.lastLogLines()).last().asString().startsWith("TASK ERROR: command 'lxc-stop");
        });
        assertThat(client.containerStatus("proxmox", 180).running()).isTrue();

        tasks.await(client.shutdown("proxmox", 180, 1, true), WAIT);
        assertThat(client.containerStatus("proxmox", 180).running()).isFalse();
        tasks.await(client.deleteContainer("proxmox", 180, true, false), WAIT);
    }

    @Test
    void aKilledWorkerEndsWithUnexpectedStatusAndNoLastLine() {
        simulator.killNextTask("vzsnapshot");
        Upid upid = client.createSnapshot("proxmox", 110, "killed", null);

        assertThatThrownBy(() -> tasks.await(upid, WAIT)).isInstanceOfSatisfying(ProxmoxTaskException.class, e -> {
            assertThat(e.exitStatus()).isEqualTo("unexpected status");
            assertThat(e.timedOut()).isFalse();
            assertThat(e.lastLogLines()).noneMatch(line -> line.startsWith("TASK "));
        });
        assertThat(client.snapshots("proxmox", 110)).isEmpty();
        assertThat(client.config("proxmox", 110).lock()).as("a killed worker leaves its lock").contains("snapshot");
        simulator.setLock(110, null); // pct unlock 110
    }

    @Test
    void aHeldShutdownOutlivesItsStarterButCannotEndALaterStart() {
        simulator.holdTasks(true);
        Upid stale = client.shutdown("proxmox", 110, 60, true); // its starter dies: nobody waits for it
        simulator.holdTasks(false);
        assertThat(client.taskStatus(stale).running()).as("held").isTrue();
        assertThat(client.containerStatus("proxmox", 110).running()).isTrue();

        tasks.await(client.shutdown("proxmox", 110, 60, true), WAIT); // the container goes down by another task
        tasks.await(client.start("proxmox", 110), WAIT);
        simulator.releaseHeldTasks();

        assertThat(tasks.await(stale, WAIT).succeeded()).as("lxc-stop returns once the run it was asked to end is over")
                .isTrue();
        assertThat(client.containerStatus("proxmox", 110).running()).as("the later start is not ended").isTrue();
    }

    @Test
    void configOfASnapshotIsTheConfigAsItWas() {
        tasks.await(client.createSnapshot("proxmox", 110, "before", null), WAIT);
        client.updateConfig("proxmox", 110, ConfigUpdate.create().set("cores", 4));

        assertThat(client.config("proxmox", 110, "before").values()).containsEntry("cores", 2);
        assertThat(client.config("proxmox", 110).values()).containsEntry("cores", 4);
        assertThatThrownBy(() -> client.config("proxmox", 110, "nosuch"))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.reason()).isEqualTo("snapshot 'nosuch' does not exist"));

        client.updateConfig("proxmox", 110, ConfigUpdate.create().set("cores", 2));
        tasks.await(client.deleteSnapshot("proxmox", 110, "before"), WAIT);
    }

    // --- HTTP rules, with raw requests -----------------------------------------------------------------

    @Test
    void aDeleteWithABodyIsRefusedWith501() throws Exception {
        RawAnswer answer = raw("DELETE", "/nodes/proxmox/lxc/110/snapshot/x", "force=1");
        assertThat(answer.status()).isEqualTo(501);
        assertThat(answer.reason()).isEqualTo("Unexpected content for method 'DELETE'");
    }

    @Test
    void anUnknownPathIs501WithTheMethodAndPath() throws Exception {
        RawAnswer answer = raw("GET", "/foo", null);
        assertThat(answer.status()).isEqualTo(501);
        assertThat(answer.reason()).isEqualTo("Method 'GET /foo' not implemented");
        assertThat(answer.body().path("message").asText()).isEqualTo("Method 'GET /foo' not implemented\n");
    }

    @Test
    void aPathParameterRepeatedWithAnotherValueIsRefused() throws Exception {
        RawAnswer answer = raw("POST", "/nodes/proxmox/lxc/110/status/start", "node=proxmox2");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.reason()).isEqualTo("Parameter verification failed.");
        assertThat(answer.body().path("errors").path("node").asText())
                .isEqualTo("duplicate parameter (already defined in URI) with conflicting values!");
        assertThat(simulator.isRunning(110)).isTrue();
    }

    @Test
    void booleansMustBeOneOrZeroInFormEncoding() throws Exception {
        RawAnswer answer = raw("PUT", "/nodes/proxmox/lxc/110/firewall/options", "enable=true");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("errors").path("enable").asText()).isEqualTo("type check ('boolean') failed - got 'true'");
        assertThat(client.firewallOptions("proxmox", 110).enabled()).isFalse();
    }

    private record RawAnswer(int status, String reason, JsonNode body) {
    }

    /** One request exactly as given: form body (or none), the token, the pinned certificate. */
    private RawAnswer raw(String method, String path, String formBody) throws IOException, GeneralSecurityException {
        SSLContext pinned = SSLContext.getInstance("TLS");
        pinned.init(null, new TrustManager[] {FingerprintTrustManager.pinned(simulator.fingerprint())}, null);
        HttpsURLConnection http = (HttpsURLConnection) URI.create(simulator.baseUrl() + "/api2/json" + path).toURL().openConnection();
        try {
            http.setSSLSocketFactory(pinned.getSocketFactory());
            http.setHostnameVerifier((host, session) -> true);
            http.setRequestMethod(method);
            http.setConnectTimeout(5000);
            http.setReadTimeout(5000);
            http.setRequestProperty("Authorization", "PVEAPIToken=" + simulator.tokenId() + "=" + simulator.tokenSecret());
            if (formBody != null) {
                http.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
                http.setDoOutput(true);
                try (OutputStream out = http.getOutputStream()) {
                    out.write(formBody.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = http.getResponseCode();
            try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
                return new RawAnswer(status, http.getResponseMessage(), json.readTree(in.readAllBytes()));
            }
        } finally {
            http.disconnect();
        }
    }
}
