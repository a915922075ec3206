package io.traefikha.demo;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo inside the application: the {@link DemoHomelab} bean, which the demo's node gateways and Kubernetes
 * configuration receive, and the console {@link DemoMain} asked for. Only in the demo build and the tests (src/sim);
 * nothing here is made unless the demo runs.
 */
@Singleton
public class DemoBeans {

    private final Optional<String> console;
    private final Provider<DemoHomelab> homelab;
    private DemoConsole running;

    public DemoBeans(@ConfigProperty(name = DemoMain.CONSOLE) Optional<String> console, Provider<DemoHomelab> homelab) {
        this.console = console;
        this.homelab = homelab;
    }

    /** Made when the operator's Kubernetes client is, before the operator starts (see DemoKubernetesConfig). */
    @Produces
    @Singleton
    static DemoHomelab homelab(@ConfigProperty(name = DemoMain.WORK_DIR) Optional<Path> workDir) {
        return DemoHomelab.start(Path.of(""), workDir.orElseGet(DemoHomelab::newWorkDir), DemoTiming.lively());
    }

    static void stop(@Disposes DemoHomelab homelab) {
        homelab.close();
    }

    void startConsole(@Observes StartupEvent event) {
        if (console.isEmpty()) {
            return;
        }
        DemoHomelab lab = homelab.get();
        Instant processStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        running = new DemoConsole(lab, System.out, processStart);
        running.start();
        System.out.println("Operator log: " + lab.workDir().resolve("operator.log") + "\n");
        boolean unattended = console.get().equals("scenario");
        Thread commands = new Thread(() -> {
            if (unattended) {
                running.run("scenario");
                Quarkus.asyncExit();
            } else if (running.readCommands(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))) {
                Quarkus.asyncExit();
            }
        }, "demo-console");
        commands.setDaemon(true);
        commands.start();
    }

    void stopConsole(@Observes ShutdownEvent event) {
        if (running != null) {
            running.close();
        }
    }
}
