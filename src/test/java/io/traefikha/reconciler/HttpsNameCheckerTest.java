package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.gateway.NameChecker.Answer;
import io.traefikha.testbed.Exec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-name check against real TLS servers on loopback, with certificates openssl makes for the test: a homelab CA's
 * certificate for app.lan and *.wild.lan, and what a client sees when the name, the clock or the trust does not fit,
 * when nothing listens, when the server never answers, and when it does not speak TLS.
 */
class HttpsNameCheckerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    @TempDir
    static Path pki;
    private static final ExecutorService SERVERS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "test-tls-server");
        thread.setDaemon(true);
        return thread;
    });
    private static X509TrustManager homelabTrust;
    private static X509Certificate leaf;
    private static int tls;
    private static int silent;
    private static int plain;

    @BeforeAll
    static void servers() throws Exception {
        openssl("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -subj /CN=Homelab-Test-CA"
                + " -days 3 -out ca.pem");
        openssl("req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout app.key -subj /CN=app.lan -out app.csr");
        Files.writeString(pki.resolve("san.ext"), "subjectAltName=DNS:app.lan,DNS:*.wild.lan\n");
        openssl("x509 -req -in app.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out app.pem");
        openssl("pkcs12 -export -in app.pem -inkey app.key -certfile ca.pem -passout pass:test -out app.p12");
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        leaf = (X509Certificate) x509.generateCertificate(Files.newInputStream(pki.resolve("app.pem")));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", x509.generateCertificate(Files.newInputStream(pki.resolve("ca.pem"))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        homelabTrust = (X509TrustManager) trust.getTrustManagers()[0];

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(Files.newInputStream(pki.resolve("app.p12")), "test".toCharArray());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "test".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        SSLServerSocket secure = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        tls = serve(secure, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", true);
        silent = serve(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), null, false);
        plain = serve(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", false);
    }

    @AfterAll
    static void stop() {
        SERVERS.shutdownNow();
    }

    /** Accepts connections; reads the request head and answers it, or (answer null) holds the connection and says nothing. */
    private static int serve(ServerSocket server, String answer, boolean tlsServer) {
        SERVERS.submit(() -> {
            while (!server.isClosed()) {
                Socket client = server.accept();
                SERVERS.submit(() -> {
                    try (client) {
                        if (answer == null) {
                            Thread.sleep(10_000);
                            return null;
                        }
                        InputStream in = client.getInputStream();
                        byte[] head = new byte[4096];
                        in.read(head);
                        client.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // the client went away (a failed handshake): nothing to answer
                    }
                    return null;
                });
            }
            return null;
        });
        return server.getLocalPort();
    }

    private static HttpsNameChecker checker(int port, X509TrustManager trust, Clock clock) {
        return new HttpsNameChecker("127.0.0.1", port, trust, clock);
    }

    private static HttpsNameChecker checker(int port) {
        return checker(port, homelabTrust, Clock.systemUTC());
    }

    @Test
    void aNameTheCertificateCoversIsServedWithItsIssuerAndExpiry() {
        Answer answer = checker(tls).check("app.lan", TIMEOUT);
        assertThat(answer.served()).as(answer.error()).isTrue();
        assertThat(answer.error()).isNull();
        assertThat(answer.issuer()).isEqualTo("CN=Homelab-Test-CA");
        assertThat(answer.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
        assertThat(answer.certificateProblem()).isNull();
        assertThat(checker(tls).check("photos.wild.lan", TIMEOUT).certificateProblem()).as("the wildcard").isNull();
    }

    /** The server would resume the first check's session, and a resumed handshake presents no certificate. */
    @Test
    void everyCheckOfANameSeesItsCertificateNotOnlyTheFirst() {
        HttpsNameChecker checker = checker(tls);
        for (int i = 0; i < 3; i++) {
            Answer answer = checker.check("app.lan", TIMEOUT);
            assertThat(answer.served()).as(answer.error()).isTrue();
            assertThat(answer.issuer()).as("check " + (i + 1)).isEqualTo("CN=Homelab-Test-CA");
            assertThat(answer.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
        }
    }

    @Test
    void aCertificateForOtherNamesIsServedButRefusedByClients() {
        Answer answer = checker(tls).check("grafana.lan", TIMEOUT);
        assertThat(answer.served()).as("a 404 over TLS is Traefik serving").isTrue();
        assertThat(answer.certificateProblem()).isEqualTo("does not cover grafana.lan (it names app.lan, *.wild.lan)");
        assertThat(checker(tls).check("a.b.wild.lan", TIMEOUT).certificateProblem()).as("a wildcard is one label")
                .startsWith("does not cover a.b.wild.lan");
    }

    @Test
    void anExpiredCertificateIsNamedWithItsExpiry() {
        Clock later = Clock.fixed(leaf.getNotAfter().toInstant().plus(Duration.ofDays(1)), ZoneOffset.UTC);
        Answer answer = checker(tls, homelabTrust, later).check("app.lan", TIMEOUT);
        assertThat(answer.served()).isTrue();
        assertThat(answer.certificateProblem()).isEqualTo("expired " + leaf.getNotAfter().toInstant());
    }

    @Test
    void aCaTheJvmDoesNotTrustIsNamed() {
        Answer answer = checker(tls, HttpsNameChecker.systemTrust(), Clock.systemUTC()).check("app.lan", TIMEOUT);
        assertThat(answer.served()).isTrue();
        assertThat(answer.certificateProblem()).startsWith("does not chain to a trusted CA: ");
    }

    @Test
    void nothingListeningIsNotServed() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Answer answer = checker(closed).check("app.lan", TIMEOUT);
        assertThat(answer.served()).isFalse();
        assertThat(answer.error()).startsWith("cannot connect to 127.0.0.1:" + closed + ": ");
        assertThat(answer.issuer()).isNull();
    }

    @Test
    void aServerThatHoldsTheConnectionAndSaysNothingIsNotServedWithinTheTimeout() {
        Answer answer = checker(silent).check("app.lan", Duration.ofMillis(300));
        assertThat(answer.served()).isFalse();
        assertThat(answer.error()).as("the server holds it for 10 s").isEqualTo("no answer within 300 ms");
    }

    @Test
    void aServerThatDoesNotSpeakTlsFailsTheHandshake() {
        Answer answer = checker(plain).check("app.lan", TIMEOUT);
        assertThat(answer.served()).isFalse();
        assertThat(answer.error()).startsWith("TLS handshake failed: ");
    }

    /**
     * A steady-state round for the seed's 26 names: 7 checks one after the other, beside 7 bare TCP connects to the same
     * server in the same run (what the TLS handshake and certificate checks add). Prints both; asserts only the answers.
     */
    @Test
    void aRoundOfSevenChecksMeasuredBesideSevenTcpConnects() throws IOException {
        HttpsNameChecker checker = checker(tls);
        for (int i = 0; i < 30; i++) {
            checker.check("w" + i + ".wild.lan", TIMEOUT); // warm-up: full handshakes (a name each), both sides
        }
        long start = System.nanoTime();
        for (int i = 0; i < 7; i++) {
            assertThat(checker.check("n" + i + ".wild.lan", TIMEOUT).served()).isTrue();
        }
        long checks = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < 7; i++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tls)) {
                assertThat(socket.isConnected()).isTrue();
            }
        }
        long connects = System.nanoTime() - start;
        System.out.printf("HttpsNameCheckerTest: 7 checks (TLS, GET /, certificate judged) %.1f ms; baseline 7 TCP"
                + " connects %.1f ms (loopback, same run)%n", checks / 1e6, connects / 1e6);
    }

    @Test
    void wildcardsStandForExactlyTheLeftMostLabel() {
        assertThat(HttpsNameChecker.covers("*.lan", "app.lan")).isTrue();
        assertThat(HttpsNameChecker.covers("APP.lan", "app.LAN")).isTrue();
        assertThat(HttpsNameChecker.covers("*.lan", "lan")).isFalse();
        assertThat(HttpsNameChecker.covers("*.lan", "a.b.lan")).isFalse();
        assertThat(HttpsNameChecker.covers("app.lan", "www.app.lan")).isFalse();
    }

    private static void openssl(String arguments) {
        Exec.run(List.of("sh", "-c", "cd " + pki + " && openssl " + arguments), Duration.ofSeconds(30))
                .orThrow("openssl " + arguments);
    }
}
