package io.traefikha.demo;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entry point of the demo build ({@code ./mvnw package -Pdemo}); the production application has none of its own
 * and runs Quarkus' generated one. Without the {@code demo} argument (or {@code -Dtraefikha.demo=true}) it only calls
 * {@link Quarkus#run}, as that generated entry point does. With it, it sets the demo's settings as system properties
 * before Quarkus starts, and the demo's beans do the rest: {@link DemoBeans} starts the homelab and its console,
 * {@link DemoKubernetesConfig} and {@link DemoNodeGateways} point the unchanged operator at it.
 *
 * <p>Deliberately no {@code QuarkusApplication}: with one in the index, quarkus-operator-sdk no longer starts the
 * operator by itself.
 */
@QuarkusMain
public final class DemoMain {

    static final String DEMO_ARGUMENT = "demo";
    static final String SCENARIO_ARGUMENT = "--scenario";
    /** {@code true} while the demo runs: the demo's beans act only then. */
    static final String ENABLED = "traefikha.demo";
    /** {@code interactive} (commands from stdin) or {@code scenario} (the scripted failures, then exit); unset in tests. */
    static final String CONSOLE = "traefikha.demo.console";
    /** Where the demo writes its kubeconfig, the rewritten examples and the operator's log. */
    static final String WORK_DIR = "traefikha.demo.work-dir";

    public static void main(String... args) {
        if (demoRequested(args)) {
            DemoHomelab.requireRepository(Path.of(""));
            demoSettings(Arrays.asList(args).contains(SCENARIO_ARGUMENT), DemoHomelab.newWorkDir())
                    .forEach(System::setProperty);
        }
        Quarkus.run(args);
    }

    static boolean demoRequested(String... args) {
        return Arrays.asList(args).contains(DEMO_ARGUMENT) || Boolean.getBoolean(ENABLED);
    }

    static Map<String, String> demoSettings(boolean unattended, Path workDir) {
        Map<String, String> settings = new LinkedHashMap<>(DemoHomelab.operatorConfig(DemoTiming.lively()));
        settings.put(ENABLED, "true");
        settings.put(CONSOLE, unattended ? "scenario" : "interactive");
        settings.put(WORK_DIR, workDir.toString());
        // fabric8 must not read ~/.kube/config or a service account: the operator talks to the embedded API only
        settings.put("kubernetes.auth.tryKubeConfig", "false");
        settings.put("kubernetes.auth.tryServiceAccount", "false");
        // The console shows the demo's progress lines; the operator's log goes to a file (set
        // -Dquarkus.log.console.level=INFO to see it here as well).
        settings.put("quarkus.banner.enabled", "false");
        settings.put("quarkus.log.console.level", System.getProperty("quarkus.log.console.level", "ERROR"));
        settings.put("quarkus.log.file.enabled", "true");
        settings.put("quarkus.log.file.json.enabled", "false");
        settings.put("quarkus.log.file.path", workDir.resolve("operator.log").toString());
        return settings;
    }
}
