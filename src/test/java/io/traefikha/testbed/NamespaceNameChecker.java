package io.traefikha.testbed;

import io.traefikha.gateway.NameChecker;
import io.traefikha.reconciler.HttpsNameChecker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The operator's per-name checks, sent from the bed's client namespace (the VIP lives only inside the bed): a small JVM
 * started there runs the production {@link HttpsNameChecker}, trusting one CA file, one check per line it reads.
 * Keeps how long each check took there (the pipe not counted), and can time a bare TCP connect for a baseline.
 */
final class NamespaceNameChecker implements NameChecker, AutoCloseable {

    private final Process process;
    private final OutputStream requests;
    private final BufferedReader answers;
    private final List<Long> checkMicros = new CopyOnWriteArrayList<>();
    private final List<String> checked = new CopyOnWriteArrayList<>();

    private NamespaceNameChecker(Process process) {
        this.process = process;
        this.requests = process.getOutputStream();
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** @param trustedCa a PEM file with the CA a client of the names trusts */
    static NamespaceNameChecker start(String namespace, String vip, int port, Path trustedCa) {
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            return new NamespaceNameChecker(new ProcessBuilder("nsenter", "--net=/run/netns/" + namespace, java,
                    "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    NamespaceNameChecker.class.getName(), vip, String.valueOf(port), trustedCa.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the name checker", e);
        }
    }

    @Override
    public synchronized Answer check(String name, Duration timeout) {
        String[] f = exchange("check " + name + " " + timeout.toMillis()).split("\t", -1);
        checkMicros.add(Long.parseLong(f[0]));
        checked.add(name);
        return new Answer(Boolean.parseBoolean(f[1]), orNull(f[2]), orNull(f[3]),
                f[4].isEmpty() ? null : Instant.parse(f[4]), orNull(f[5]));
    }

    /** A TCP connect to the VIP's HTTPS port and close, timed in the namespace: what a check costs at the least. */
    synchronized long connectMicros() {
        return Long.parseLong(exchange("connect"));
    }

    /** How long each check took in the namespace so far, in microseconds, in order. */
    List<Long> checkMicros() {
        return List.copyOf(checkMicros);
    }

    /** The names checked so far, in order. */
    List<String> checked() {
        return List.copyOf(checked);
    }

    private String exchange(String request) {
        try {
            requests.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            requests.flush();
            String line = answers.readLine();
            if (line == null) {
                throw new IllegalStateException("the name checker in the client namespace exited");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("the name checker in the client namespace broke", e);
        }
    }

    private static String orNull(String field) {
        return field.isEmpty() ? null : field;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /**
     * In the namespace: "check NAME TIMEOUT_MS" in, "MICROS TAB SERVED TAB ERROR TAB ISSUER TAB NOT_AFTER TAB PROBLEM"
     * out; "connect" in, "MICROS" out.
     */
    public static void main(String[] args) throws IOException, GeneralSecurityException {
        InetSocketAddress vip = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        HttpsNameChecker checker = new HttpsNameChecker(args[0], vip.getPort(), trusting(Path.of(args[2])), Clock.systemUTC());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] f = line.split(" ");
            long started = System.nanoTime();
            if ("connect".equals(f[0])) {
                try (Socket socket = new Socket()) {
                    socket.connect(vip, 2_000);
                }
                System.out.println((System.nanoTime() - started) / 1_000);
            } else {
                Answer answer = checker.check(f[1], Duration.ofMillis(Long.parseLong(f[2])));
                long micros = (System.nanoTime() - started) / 1_000;
                System.out.println(String.join("\t", String.valueOf(micros), String.valueOf(answer.served()),
                        field(answer.error()), field(answer.issuer()),
                        answer.notAfter() == null ? "" : answer.notAfter().toString(), field(answer.certificateProblem())));
            }
            System.out.flush();
        }
    }

    private static String field(String text) {
        return text == null ? "" : text.replaceAll("[\\t\\r\\n]", " ");
    }

    private static X509TrustManager trusting(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream pem = Files.newInputStream(caFile)) {
            store.setCertificateEntry("bed-ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }
}
