package io.traefikha.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.traefikha.domain.FileEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secondary's write scripts run here by sh, fed on stdin as the push feeds them. */
class SyncWriteScriptsTest {

    @Test
    void aFileArrivesUnderAnAwkwardNameWithItsModeAndNothingElseIsLeft(@TempDir Path dir) throws Exception {
        String root = dir.resolve("traefik").toString();
        byte[] content = "http: {}\n".getBytes(StandardCharsets.UTF_8);
        FileEntry file = FileEntry.file(root + "/dynamic/-new\nline 'x'.yml", sha256(content), 0640, owner(), owner(),
                content.length);

        String answer = sh(NodeScripts.receiveFile(root, file), content);

        assertThat(answer).isEqualTo("ready\nwritten\n");
        Path written = Path.of(file.path());
        assertThat(Files.readAllBytes(written)).isEqualTo(content);
        assertThat(Integer.toOctalString(Files.getPosixFilePermissions(written).stream()
                .mapToInt(p -> 1 << (8 - p.ordinal())).sum())).isEqualTo("640");
        try (var entries = Files.list(written.getParent())) {
            assertThat(entries).containsExactly(written);
        }
    }

    @Test
    void contentThatIsNotTheListedOneIsNotPutInPlace(@TempDir Path dir) throws Exception {
        String root = dir.resolve("traefik").toString();
        FileEntry file = FileEntry.file(root + "/a.yml", "0".repeat(64), 0644, owner(), owner(), 3);

        assertThat(sh(NodeScripts.receiveFile(root, file), "new".getBytes(StandardCharsets.UTF_8))).isEqualTo("ready\nchanged\n");
        try (var entries = Files.list(Path.of(root))) {
            assertThat(entries).as("no temporary file left").isEmpty();
        }
    }

    @Test
    void nothingIsWrittenBelowADirectoryThatIsASymlinkNorIsMoreReadThanTheAnswer(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("traefik"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("dynamic"), outside);
        FileEntry file = FileEntry.file(root + "/dynamic/a.yml", "0".repeat(64), 0644, owner(), owner(), 3);

        assertThat(sh(NodeScripts.receiveFile(root.toString(), file), new byte[0]))
                .isEqualTo("refused " + root + "/dynamic is a symlink\n");
        assertThat(sh(NodeScripts.writeSymlink(root.toString(), FileEntry.symlink(root + "/dynamic/l", "x", owner(), owner())),
                new byte[0])).startsWith("refused");
        try (var entries = Files.list(outside)) {
            assertThat(entries).isEmpty();
        }
        assertThatThrownBy(() -> NodeScripts.receiveFile(root.toString(), FileEntry.file(root + "/../etc/passwd", "0".repeat(64),
                0644, "root", "root", 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLinkReplacesWhatWasThere(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("traefik"));
        Files.writeString(root.resolve("current.yml"), "a file before\n");

        String answer = sh(NodeScripts.writeSymlink(root.toString(), FileEntry.symlink(root + "/current.yml", "v2.yml",
                owner(), owner())), new byte[0]);

        assertThat(answer).isEqualTo("written\n");
        assertThat(Files.readSymbolicLink(root.resolve("current.yml"))).isEqualTo(Path.of("v2.yml"));

        Files.createDirectories(root.resolve("certs"));
        assertThat(sh(NodeScripts.writeSymlink(root.toString(), FileEntry.symlink(root + "/certs", "/etc/ssl/traefik",
                owner(), owner())), new byte[0])).as("an emptied directory in the way").isEqualTo("written\n");
        assertThat(Files.readSymbolicLink(root.resolve("certs"))).isEqualTo(Path.of("/etc/ssl/traefik"));
    }

    private static String owner() {
        return "root".equals(System.getProperty("user.name")) ? "root" : System.getProperty("user.name");
    }

    private static String sh(String script, byte[] stdin) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().write(stdin);
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
