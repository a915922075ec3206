package io.traefikha.testbed;

import io.traefikha.domain.EntryPoint;
import io.traefikha.domain.VipAnswer;
import io.traefikha.reconciler.HttpVipProber;
import io.traefikha.step.EntryPointProber;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's period requests to the VIP, sent from the bed's client namespace (the VIP lives only inside the bed):
 * a small JVM started there runs the production {@link HttpVipProber} on the test's own classpath, one request per line
 * it reads. Counts the requests, for the cost per period.
 */
final class NamespaceEntryPointProber implements EntryPointProber, AutoCloseable {

    private final Process process;
    private final OutputStream requests;
    private final BufferedReader answers;
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Long> answeredMillis = new CopyOnWriteArrayList<>();

    private NamespaceEntryPointProber(Process process) {
        this.process = process;
        this.requests = process.getOutputStream();
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static NamespaceEntryPointProber start(String namespace, String vip) {
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            return new NamespaceEntryPointProber(new ProcessBuilder("nsenter", "--net=/run/netns/" + namespace, java,
                    "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    NamespaceEntryPointProber.class.getName(), vip).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the entry point prober", e);
        }
    }

    @Override
    public synchronized VipAnswer request(EntryPoint entryPoint) {
        sent.incrementAndGet();
        try {
            requests.write((entryPoint.name() + " " + entryPoint.port() + " " + entryPoint.tls() + " "
                    + (entryPoint.serverName() == null ? "-" : entryPoint.serverName()) + "\n").getBytes(StandardCharsets.UTF_8));
            requests.flush();
            String line = answers.readLine();
            if (line == null) {
                throw new IllegalStateException("the entry point prober in the client namespace exited");
            }
            String[] fields = line.split("\t", 3);
            VipAnswer answer = new VipAnswer(Integer.parseInt(fields[0]), fields[2].isEmpty() ? null : fields[2],
                    Long.parseLong(fields[1]));
            if (answer.answered()) {
                answeredMillis.add(answer.latencyMillis());
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException("the entry point prober in the client namespace broke", e);
        }
    }

    /** Requests sent so far. */
    int sent() {
        return sent.get();
    }

    /** The latency of each answered request so far, in order. */
    List<Long> answeredMillis() {
        return List.copyOf(answeredMillis);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** In the namespace: "NAME PORT TLS SERVERNAME|-" per line in, "STATUS TAB LATENCY TAB ERROR" per line out. */
    public static void main(String[] args) throws IOException {
        HttpVipProber prober = new HttpVipProber(args[0], 80, HttpVipProber.PERIOD_TIMEOUT);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] f = line.split(" ");
            VipAnswer answer = prober.request(new EntryPoint(f[0], Integer.parseInt(f[1]), Boolean.parseBoolean(f[2]),
                    "-".equals(f[3]) ? null : f[3]));
            System.out.println(answer.statusCode() + "\t" + answer.latencyMillis() + "\t"
                    + (answer.error() == null ? "" : answer.error()));
            System.out.flush();
        }
    }
}
