package io.traefikha.demo;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * The application's entry point. Without the {@code demo} argument (or {@code -Dtraefikha.demo=true}) it only calls
 * {@link Quarkus#run}, as Quarkus' generated entry point does. With it, the demo homelab starts first, the operator
 * is pointed at it through its ordinary configuration (see {@link DemoHomelab#operatorConfig()}), and the console
 * reads commands from stdin; {@code --scenario} runs the scripted failures unattended and then stops.
 *
 * <p>Deliberately no {@code QuarkusApplication}: with one in the index, quarkus-operator-sdk no longer starts the
 * operator by itself.
 */
@QuarkusMain
public final class OperatorMain {

    static final String DEMO_ARGUMENT = "demo";
    static final String SCENARIO_ARGUMENT = "--scenario";

    private OperatorMain() {
    }

    public static void main(String... args) {
        if (demoRequested(args)) {
            startDemo(Arrays.asList(args).contains(SCENARIO_ARGUMENT));
        }
        Quarkus.run(args);
    }

    static boolean demoRequested(String... args) {
        return Arrays.asList(args).contains(DEMO_ARGUMENT) || Boolean.getBoolean("traefikha.demo");
    }

    private static void startDemo(boolean unattended) {
        Instant processStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        DemoHomelab homelab = DemoHomelab.start(Path.of(""), DemoTiming.lively());
        // fabric8 must not read ~/.kube/config or a service account: the operator talks to the embedded API only
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        homelab.operatorConfig().forEach(System::setProperty);
        // The console shows the demo's progress lines; the operator's log goes to a file (set
        // -Dquarkus.log.console.level=INFO to see it here as well).
        System.setProperty("quarkus.banner.enabled", "false");
        System.setProperty("quarkus.log.console.level", System.getProperty("quarkus.log.console.level", "ERROR"));
        System.setProperty("quarkus.log.file.enabled", "true");
        System.setProperty("quarkus.log.file.json.enabled", "false");
        System.setProperty("quarkus.log.file.path", homelab.workDir().resolve("operator.log").toString());

        DemoConsole console = new DemoConsole(homelab, System.out, processStart);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            homelab.close();
        }, "demo-shutdown"));
        console.start();
        System.out.println("Operator log: " + homelab.workDir().resolve("operator.log") + "\n");
        Thread commands = new Thread(() -> {
            if (unattended) {
                console.run("scenario");
                Quarkus.asyncExit();
            } else if (console.readCommands(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))) {
                Quarkus.asyncExit();
            }
        }, "demo-console");
        commands.setDaemon(true);
        commands.start();
    }
}
