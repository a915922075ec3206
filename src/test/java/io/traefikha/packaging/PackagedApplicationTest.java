package io.traefikha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The application the image is built from (target/quarkus-app, as src/main/docker/Dockerfile.jvm copies it) holds the
 * operator only: no simulator or demo class, no Proxmox API schema of the simulator, no mock server or test framework.
 * Runs after {@code package} (tag {@code packaged}, the pom's packaged-application execution); skipped with -Pdemo,
 * whose application has the demo on purpose.
 */
@Tag("packaged")
class PackagedApplicationTest {

    private static final Path APP = Path.of("target/quarkus-app");
    /** Class and resource paths of src/sim, in any jar of the application (generated beans included). */
    private static final List<String> SIM_PREFIXES = List.of("io/traefikha/simulator/", "io/traefikha/demo/",
            "proxmox/pve-api-subset.json");
    /** Test doubles, test frameworks and CEL (for the demo's embedded API and the tests), by artifact name. */
    private static final List<String> TEST_ARTIFACTS = List.of("kubernetes-server-mock", "mockwebserver", "junit",
            "opentest4j", "quarkus-test", "assertj", "awaitility", "rest-assured", "mockito", "hamcrest", "helm-java",
            "dev.cel");

    @Test
    void theApplicationHoldsTheOperatorAndNoSimulatorOrDemoClass() throws IOException {
        assertThat(APP.resolve("quarkus-run.jar")).as("package the application first (mvn verify runs this after package)")
                .exists();
        List<String> simEntries = new ArrayList<>();
        List<String> appEntries = new ArrayList<>();
        for (Path jar : jars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                file.stream().map(JarEntry::getName).forEach(name -> {
                    if (SIM_PREFIXES.stream().anyMatch(name::startsWith)) {
                        simEntries.add(APP.relativize(jar) + "!/" + name);
                    }
                    if (jar.getParent().endsWith("app")) {
                        appEntries.add(name);
                    }
                });
            }
        }
        // target/classes keeps the demo's classes after a -Pdemo build: build the application again after `clean`
        assertThat(simEntries).as("simulator or demo code in the production application (after -Pdemo, run clean)")
                .isEmpty();
        assertThat(appEntries).as("the operator itself is there")
                .contains("io/traefikha/api/v1alpha1/TraefikHACluster.class", "io/traefikha/node/NodeGateways.class");
    }

    @Test
    void noMockServerOrTestFrameworkIsADependency() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path jar : jars()) {
            String name = jar.getFileName().toString().toLowerCase(Locale.ROOT);
            if (TEST_ARTIFACTS.stream().anyMatch(name::contains)) {
                found.add(APP.relativize(jar).toString());
            }
        }
        Path dependencies = APP.resolve("quarkus-app-dependencies.txt");
        if (Files.exists(dependencies)) {
            for (String line : Files.readAllLines(dependencies)) {
                if (TEST_ARTIFACTS.stream().anyMatch(line::contains)) {
                    found.add(line);
                }
            }
        }
        assertThat(found).as("test doubles or test frameworks in the production application").isEmpty();
    }

    @Test
    void theEntryPointIsQuarkusOwnNotTheDemos() throws IOException {
        // quarkus-application.dat names the main class and every class path entry of the application
        String application = new String(Files.readAllBytes(APP.resolve("quarkus/quarkus-application.dat")),
                StandardCharsets.ISO_8859_1);
        assertThat(application).doesNotContain("io.traefikha.demo", "io/traefikha/demo", "io.traefikha.simulator",
                "io/traefikha/simulator", "kubernetes-server-mock", "mockwebserver");
    }

    private static List<Path> jars() throws IOException {
        try (Stream<Path> files = Files.walk(APP)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }
}
