package io.traefikha.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A client in the bed's client namespace asking http://VIP/ every 10 ms who is serving; see {@link Timeline}. */
public final class VipPoller implements AutoCloseable {

    static final int INTERVAL_MILLIS = 10;
    private static final int MAX_SECONDS = 600;

    private final Process process;
    private final List<Timeline.Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private VipPoller(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "vip-poller");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    samples.add(Timeline.Sample.parse(line));
                }
            }
        } catch (IOException e) {
            // the poller was stopped
        }
    }

    /** Waits until some host has answered, so a gap measured afterwards has its start. */
    public VipPoller awaitAnswer(Duration timeout) {
        if (!HaPair.await(timeout, () -> samples.stream().anyMatch(Timeline.Sample::answered))) {
            throw new IllegalStateException("nobody answered on the VIP within " + timeout);
        }
        return this;
    }

    static VipPoller start(String namespace, String vip, int port) {
        return start(namespace, vip, port, Duration.ofMillis(50));
    }

    /** @param timeout how long one request may take before it counts as failed */
    static VipPoller start(String namespace, String vip, int port, Duration timeout) {
        try {
            Path script = Files.createTempFile("traefikha-poller", ".py");
            Files.write(script, TestBed.resource("poller.py"));
            script.toFile().deleteOnExit();
            Process process = new ProcessBuilder("nsenter", "--net=/run/netns/" + namespace, "python3", script.toString(), vip,
                    String.valueOf(port), String.valueOf(INTERVAL_MILLIS), String.valueOf(MAX_SECONDS),
                    String.valueOf(timeout.toMillis() / 1000.0))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new VipPoller(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the VIP poller", e);
        }
    }

    /** Who answered most recently, while polling goes on. */
    public String lastServedBy() {
        return timeline().lastServedBy();
    }

    /** Every answer seen so far, while polling goes on. */
    public Timeline timeline() {
        return new Timeline(List.copyOf(samples));
    }

    /** Stops polling and returns every answer seen. */
    public Timeline stop() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Timeline(List.copyOf(samples));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
