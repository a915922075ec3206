package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.EntryPoint;
import io.traefikha.domain.VipAnswer;
import io.traefikha.simulator.proxmox.SimulatorCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The drill's probe and the period's requests against loopback servers: an HTTP status line is an answer, anything else
 * is not, and says why; over TLS the server name is sent and any certificate read.
 */
class HttpVipProberTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @Test
    void aPeriodRequestReportsTheStatusAndLatency() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = answerOnce(server, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            VipAnswer answer = new HttpVipProber("127.0.0.1", 1, TIMEOUT).request(EntryPoint.http(server.getLocalPort()));
            join(serving);
            assertThat(answer.answered()).as(answer.describe()).isTrue();
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.latencyMillis()).isBetween(0L, TIMEOUT.toMillis());
        }
    }

    @Test
    void aHungEntryPointGivesUpAtTheTimeoutAndARefusalSaysSo() throws IOException {
        int closedPort;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = server.getLocalPort();
            Thread serving = holdOpen(server, TIMEOUT.toMillis() + 500);
            VipAnswer hung = new HttpVipProber("127.0.0.1", 1, TIMEOUT).request(EntryPoint.http(server.getLocalPort()));
            join(serving);
            assertThat(hung.answered()).isFalse();
            assertThat(hung.error()).isEqualTo("no answer within 300 ms");
            assertThat(hung.latencyMillis()).as("one budget for connect and read").isBetween(TIMEOUT.toMillis() - 50,
                    TIMEOUT.toMillis() + 1000);
        }
        VipAnswer refused = new HttpVipProber("127.0.0.1", 1, TIMEOUT).request(EntryPoint.http(closedPort));
        assertThat(refused.error()).isEqualTo("connection refused");
    }

    @Test
    void aClosedConnectionOrNoStatusLineIsNoAnswer() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = closeAtOnce(server);
            VipAnswer closed = new HttpVipProber("127.0.0.1", 1, TIMEOUT).request(EntryPoint.http(server.getLocalPort()));
            join(serving);
            assertThat(closed.error()).isEqualTo("closed the connection without an HTTP answer");

            serving = answerOnce(server, "SSH-2.0-OpenSSH_9.2\r\n");
            VipAnswer garbage = new HttpVipProber("127.0.0.1", 1, TIMEOUT).request(EntryPoint.http(server.getLocalPort()));
            join(serving);
            assertThat(garbage.error()).isEqualTo("answered without an HTTP status line");
        }
    }

    @Test
    void overTlsTheMovedNameIsSentAndAnyCertificateRead() throws Exception {
        try (SSLServerSocket server = tlsServer("not-the-moved-name")) {
            AtomicReference<String> sni = new AtomicReference<>();
            AtomicReference<String> request = new AtomicReference<>();
            Thread serving = new Thread(() -> {
                try (SSLSocket client = (SSLSocket) server.accept()) {
                    client.startHandshake();
                    sni.set(((ExtendedSSLSession) client.getSession()).getRequestedServerNames().stream()
                            .map(name -> ((SNIHostName) name).getAsciiName()).findFirst().orElse(null));
                    request.set(new String(client.getInputStream().readNBytes(60), StandardCharsets.US_ASCII));
                    client.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    request.set("failed: " + e);
                }
            });
            serving.start();
            VipAnswer answer = new HttpVipProber("127.0.0.1", 1, Duration.ofSeconds(5))
                    .request(EntryPoint.https(server.getLocalPort(), "grafana.internal.example.com"));
            join(serving);
            assertThat(answer.answered()).as(answer.describe()).isTrue();
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(sni.get()).isEqualTo("grafana.internal.example.com");
            assertThat(request.get()).startsWith("GET / HTTP/1.1\r\nHost: grafana.internal.example.com\r\n");
        }
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = answerOnce(plain, "HTTP/1.1 400 Bad Request\r\n\r\n");
            VipAnswer notTls = new HttpVipProber("127.0.0.1", 1, TIMEOUT).request(EntryPoint.https(plain.getLocalPort(), null));
            join(serving);
            assertThat(notTls.error()).as(notTls.describe()).startsWith("TLS failed: ");
        }
    }

    /**
     * The period's https request, 20 after a warm-up, beside the same requests each with a TLS context of its own (what
     * the prober did before it kept one) in the same run. Prints both; asserts only the answers.
     */
    @Test
    void twentyHttpsRequestsMeasuredBesideAFreshTlsContextEach() throws Exception {
        try (SSLServerSocket server = tlsServer("traefik")) {
            Thread serving = new Thread(() -> {
                while (!server.isClosed()) {
                    try (SSLSocket client = (SSLSocket) server.accept()) {
                        client.getInputStream().readNBytes(4);
                        client.getOutputStream().write("HTTP/1.1 404 Not Found\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // closed at the end, or a client gave up
                    }
                }
            });
            serving.start();
            HttpVipProber prober = new HttpVipProber("127.0.0.1", 1, Duration.ofSeconds(5));
            EntryPoint https = EntryPoint.https(server.getLocalPort(), "grafana.internal.example.com");
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.getLocalPort());
            for (int i = 0; i < 20; i++) {
                assertThat(prober.request(https).answered()).isTrue();
                assertThat(VipRequest.get(address, readAnyContext(), https.serverName(), "test", System.nanoTime() + 5_000_000_000L))
                        .isEqualTo(404);
            }
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(prober.request(https).statusCode()).isEqualTo(404);
            }
            long shared = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(VipRequest.get(address, readAnyContext(), https.serverName(), "test",
                        System.nanoTime() + 5_000_000_000L)).isEqualTo(404);
            }
            long fresh = System.nanoTime() - start;
            server.close();
            join(serving);
            System.out.printf("HttpVipProberTest: 20 https requests %.1f ms with one TLS context; baseline %.1f ms with a"
                    + " new context each (loopback, same run)%n", shared / 1e6, fresh / 1e6);
        }
    }

    /** A context that reads any certificate, made anew: the prober's cost per request before it kept one. */
    private static SSLContext readAnyContext() {
        return HttpVipProber.readNotTrustedContext();
    }

    /** A loopback TLS server presenting a self-signed certificate for NAME. */
    private static SSLServerSocket tlsServer(String name) throws Exception {
        SimulatorCertificates certificates = SimulatorCertificates.generate(name);
        char[] password = "test".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(certificates.pkcs12(password)), password);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** Takes the connection and the request, answers nothing and keeps the connection open for this long. */
    private static Thread holdOpen(ServerSocket server, long millis) {
        Thread thread = new Thread(() -> {
            try (Socket client = server.accept()) {
                client.getInputStream().readNBytes(4);
                Thread.sleep(millis);
            } catch (IOException | InterruptedException e) {
                // the request gave up first
            }
        });
        thread.start();
        return thread;
    }

    private static Thread closeAtOnce(ServerSocket server) {
        Thread thread = new Thread(() -> {
            try (Socket client = server.accept()) {
                client.getInputStream().readNBytes(4);
            } catch (IOException e) {
                // nothing to do
            }
        });
        thread.start();
        return thread;
    }

    @Test
    void anyHttpStatusIsAnAnswer() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = answerOnce(server, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            assertThat(new HttpVipProber("127.0.0.1", server.getLocalPort()).answers()).isTrue();
            join(serving);
        }
    }

    @Test
    void aSilentServerOrAClosedPortIsNoAnswer() throws IOException {
        int closedPort;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = server.getLocalPort();
            Thread serving = answerOnce(server, "");
            assertThat(new HttpVipProber("127.0.0.1", server.getLocalPort()).answers()).as("no status line").isFalse();
            join(serving);
        }
        assertThat(new HttpVipProber("127.0.0.1", closedPort).answers()).as("connection refused").isFalse();
    }

    private static Thread answerOnce(ServerSocket server, String response) {
        Thread thread = new Thread(() -> {
            try (Socket client = server.accept()) {
                InputStream in = client.getInputStream();
                in.readNBytes(4); // the request has begun
                OutputStream out = client.getOutputStream();
                out.write(response.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (response.isEmpty()) {
                    Thread.sleep(200); // silent past the probe's timeout
                }
            } catch (IOException | InterruptedException e) {
                // the probe gave up first
            }
        });
        thread.start();
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
