package io.traefikha.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The e2e tier's rule: without its prerequisites a test is skipped, saying what is missing; under CI=true or
 * -De2e.required=true it fails instead, so CI cannot pass by skipping.
 */
public final class E2ePrerequisites {

    /**
     * What the test bed runs: Debian packages keepalived, openssh-server (+client), iproute2, util-linux, socat, python3,
     * curl, jq, procps, iputils-arping (the operator's preflight probes addresses with it on the primary).
     */
    private static final List<String> BED_BINARIES = List.of("keepalived", "sshd", "ssh-keygen", "ip", "nsenter", "unshare",
            "socat", "python3", "curl", "jq", "pgrep", "arping");

    private E2ePrerequisites() {
    }

    /** Call first in every e2e test class (e.g. in @BeforeAll). */
    public static void requireTestBed() {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (network namespaces and bind mounts)");
        }
        for (String binary : BED_BINARIES) {
            if (!onPath(binary)) {
                missing.add("the '" + binary + "' binary");
            }
        }
        require(missing);
    }

    /** An executable a Debian package installs (named from bind9, say); skips or fails like the rest when absent. */
    public static Path requireExecutable(String binary, String debianPackage) {
        Optional<Path> found = locate(binary);
        require(found.isPresent() ? List.of() : List.of("the '" + binary + "' binary (Debian package " + debianPackage + ")"));
        return found.orElseThrow();
    }

    static void require(List<String> missing) {
        if (missing.isEmpty()) {
            return;
        }
        String message = "e2e prerequisites missing: " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI")) || Boolean.getBoolean("e2e.required")) {
            Assertions.fail(message + " (required because CI=true or e2e.required=true)");
        }
        Assumptions.abort(message);
    }

    private static boolean onPath(String binary) {
        return locate(binary).isPresent();
    }

    /** Where Debian puts binaries, daemons in the sbin directories included (they are not on every user's PATH). */
    private static Optional<Path> locate(String binary) {
        return Stream.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
                .map(dir -> Path.of(dir, binary)).filter(Files::isExecutable).findFirst();
    }
}
