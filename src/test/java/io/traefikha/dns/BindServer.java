package io.traefikha.dns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real BIND 9 for tests: one primary zone accepting updates signed with one TSIG key, listening only on 127.0.0.1
 * at a free high port, no recursion, no forwarders, no control channel, so it never talks to the network. Runs in
 * the foreground as a child process with its own directory, and is stopped by {@link #close()} (or at JVM exit).
 */
public final class BindServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final StringBuffer log = new StringBuffer();
    private final Thread shutdownHook;

    /**
     * @param zoneRecords lines of the zone file after SOA and NS, e.g. "traefik IN A 192.168.1.110"
     */
    public static BindServer start(Path named, Path dir, String zone, String keyName, String algorithm, String secret,
            List<String> zoneRecords) throws IOException, InterruptedException {
        int port = freePort();
        Files.writeString(dir.resolve("zone.db"), String.join("\n",
                "$TTL 300",
                "@ IN SOA ns." + zone + ". hostmaster." + zone + ". 1 3600 600 86400 300",
                "@ IN NS ns",
                "ns IN A 127.0.0.1",
                String.join("\n", zoneRecords), ""));
        Path conf = dir.resolve("named.conf");
        Files.writeString(conf, """
                options {
                    directory "%1$s";
                    pid-file "%1$s/named.pid";
                    session-keyfile "%1$s/session.key";
                    listen-on port %2$d { 127.0.0.1; };
                    listen-on-v6 { none; };
                    recursion no;
                    allow-transfer { none; };
                    notify no;
                    dnssec-validation no;
                };
                controls { };
                key "%3$s" { algorithm %4$s; secret "%5$s"; };
                zone "%6$s" {
                    type primary;
                    file "%1$s/zone.db";
                    allow-update { key "%3$s"; };
                    allow-transfer { key "%3$s"; };
                };
                """.formatted(dir, port, keyName, algorithm, secret, zone));
        // -g: foreground, log to stderr; -4: IPv4 only; -n 1: one worker, the machine is shared.
        Process process = new ProcessBuilder(named.toString(), "-g", "-4", "-n", "1", "-c", conf.toString())
                .redirectErrorStream(true)
                .start();
        return new BindServer(process, port);
    }

    private BindServer(Process process, int port) throws InterruptedException {
        this.process = process;
        this.port = port;
        this.shutdownHook = new Thread(this::stop, "stop-named");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    log.append(line).append('\n');
                    if (line.endsWith(" running")) {
                        running.countDown();
                    }
                }
            } catch (IOException e) {
                log.append("reading named's output failed: ").append(e).append('\n');
            }
        }, "named-output");
        reader.setDaemon(true);
        reader.start();
        if (!running.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || !process.isAlive()) {
            close();
            throw new IllegalStateException("named did not start within " + START_TIMEOUT.toSeconds() + "s; its log:\n" + log);
        }
    }

    public int port() {
        return port;
    }

    String log() {
        return log.toString();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A port free for both TCP and UDP on 127.0.0.1 right now. */
    private static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
                    return port;
                } catch (IOException e) {
                    // UDP side taken: try another port
                }
            }
        }
        throw new IOException("no port free for TCP and UDP on 127.0.0.1 after 20 attempts");
    }
}
