package io.traefikha.dns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's rule for end-to-end tests: a missing prerequisite skips the test with a message naming it, except
 * under {@code CI=true} or {@code -De2e.required=true}, where it fails with that message.
 */
final class E2ePrerequisites {

    private E2ePrerequisites() {
    }

    static void require(boolean present, String missing) {
        if (present) {
            return;
        }
        String message = "end-to-end prerequisite missing: " + missing;
        if ("true".equals(System.getenv("CI")) || Boolean.getBoolean("e2e.required")) {
            Assertions.fail(message + " (required because CI=true or -De2e.required=true)");
        }
        Assumptions.abort(message);
    }

    /** An executable on PATH or in the sbin directories, where Debian puts daemons such as named. */
    static Optional<Path> executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin", "/sbin", "/usr/local/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
