package io.traefikha.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.traefikha.domain.RemoteFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safety net's scripts run by a local /bin/sh on a temporary directory, exactly as a node runs them: the first
 * change keeps the original once, later changes never overwrite it, and a restore puts it back or removes a file the
 * operator created.
 */
class OriginalsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void runsAsRoot() {
        // the upload script gives files to root:root, as on a node
        assumeTrue("root".equals(System.getProperty("user.name")), "the upload script chowns to root");
    }

    @Test
    void theFirstChangeKeepsTheOriginalOnceAndARestorePutsItBack() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, "hand-made\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r-----"));

        assertThat(upload(conf, "operator v1\n", true)).isEqualTo("changed");
        assertThat(upload(conf, "operator v2\n", true)).isEqualTo("changed");

        Path backup = dir.resolve("keepalived.conf" + Originals.BACKUP_SUFFIX);
        assertThat(Files.readString(backup)).as("written once, never overwritten").isEqualTo("hand-made\n");
        assertThat(Files.readString(conf)).isEqualTo("operator v2\n");

        assertThat(restore(conf)).isEqualTo(Originals.Restored.RESTORED);
        assertThat(Files.readString(conf)).isEqualTo("hand-made\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).as("mode kept").isEqualTo("rw-r-----");
        assertThat(backup).doesNotExist();
        assertThat(restore(conf)).as("a second restore finds nothing kept").isEqualTo(Originals.Restored.NOTHING_KEPT);
        assertThat(Files.readString(conf)).isEqualTo("hand-made\n");
    }

    @Test
    void aFileTheOperatorCreatedIsRemovedOnRestore() throws Exception {
        Path script = dir.resolve("sub/traefik-ha-check.sh");

        assertThat(upload(script, "#!/bin/sh\n", true)).isEqualTo("changed");
        assertThat(dir.resolve("sub/traefik-ha-check.sh" + Originals.ABSENT_SUFFIX)).exists();

        assertThat(restore(script)).isEqualTo(Originals.Restored.REMOVED);
        assertThat(script).doesNotExist();
        assertThat(dir.resolve("sub/traefik-ha-check.sh" + Originals.ABSENT_SUFFIX)).doesNotExist();
    }

    @Test
    void nothingIsKeptWhenNothingChangesOrWhenTheCallerDoesNotAsk() throws Exception {
        Path same = dir.resolve("same.conf");
        Files.writeString(same, "x\n");
        Files.setPosixFilePermissions(same, PosixFilePermissions.fromString("rw-r--r--"));
        Path synced = dir.resolve("synced.yml");

        assertThat(upload(same, "x\n", true)).isEqualTo("unchanged");
        assertThat(upload(synced, "route\n", false)).isEqualTo("changed");

        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("same.conf", "synced.yml");
        }
    }

    private static String upload(Path path, String content, boolean keepOriginal) throws Exception {
        RemoteFile file = RemoteFile.rootOwned(path.toString(), content, 0644);
        return sh(NodeScripts.upload(file, keepOriginal), content);
    }

    private static Originals.Restored restore(Path path) throws Exception {
        return Originals.parse(sh(NodeScripts.restoreOriginal(path.toString()), ""), path.toString());
    }

    private static String sh(String script, String stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("script finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
