package io.traefikha.testbed;

import io.traefikha.step.VipProber;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The operator's drill probe, asked from the bed's client namespace (the VIP lives only inside the bed): one line to
 * a small python process per probe, one HTTP GET to the VIP with 50 ms timeouts, as {@code HttpVipProber} does.
 */
final class NamespaceVipProber implements VipProber, AutoCloseable {

    private final Process process;
    private final OutputStream requests;
    private final BufferedReader answers;

    private NamespaceVipProber(Process process) {
        this.process = process;
        this.requests = process.getOutputStream();
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static NamespaceVipProber start(String namespace, String vip, int port) {
        try {
            Path script = Files.createTempFile("traefikha-probe", ".py");
            Files.write(script, TestBed.resource("probe.py"));
            script.toFile().deleteOnExit();
            return new NamespaceVipProber(new ProcessBuilder("nsenter", "--net=/run/netns/" + namespace, "python3",
                    script.toString(), vip, String.valueOf(port)).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the VIP prober", e);
        }
    }

    @Override
    public synchronized boolean answers() {
        try {
            requests.write('\n');
            requests.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("the VIP prober in the client namespace exited");
            }
            return "1".equals(answer);
        } catch (IOException e) {
            throw new UncheckedIOException("the VIP prober in the client namespace broke", e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
