package io.traefikha.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.domain.FileEntry;
import io.traefikha.sync.FileTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing script run here by sh, as on a node, over the names and entries a real configuration tree has. */
class FileListingTest {

    private static final List<String> AWKWARD_NAMES = List.of("with space.yml", "ünïcödé-路由.yml", "new\nline.yml",
            "back\\slash.yml", "-leading-dash.yml", "it's \"quoted\" $HOME.yml");

    @Test
    void everyNameComesBackExactlyWithItsHashModeAndSize(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("traefik/dynamic")).getParent();
        for (String name : AWKWARD_NAMES) {
            Files.writeString(root.resolve("dynamic").resolve(name), "content of " + name);
        }

        FileTree tree = list(List.of(root.toString()), new SyncSpec().exclude);

        assertThat(tree.refused()).isEmpty();
        assertThat(tree.files()).hasSize(AWKWARD_NAMES.size());
        for (String name : AWKWARD_NAMES) {
            String path = root.resolve("dynamic").resolve(name).toString();
            FileEntry entry = tree.get(path).orElseThrow(() -> new AssertionError("missing: " + path));
            byte[] content = ("content of " + name).getBytes(StandardCharsets.UTF_8);
            assertThat(entry.sha256()).isEqualTo(sha256(content));
            assertThat(entry.size()).isEqualTo(content.length);
            assertThat(entry.isSymlink()).isFalse();
        }
    }

    @Test
    void symlinksAreListedAsLinksNeverFollowedAndASymlinkedRootIsRefused(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("traefik"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("secret.yml"), "outside the tree\n");
        Files.writeString(root.resolve("real.yml"), "x\n");
        Files.createSymbolicLink(root.resolve("to-file.yml"), Path.of("real.yml"));
        Files.createSymbolicLink(root.resolve("to-dir"), elsewhere);
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nowhere"));
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("traefik-linked"), elsewhere);

        FileTree tree = list(List.of(root.toString(), linkedRoot.toString()), List.of());

        assertThat(tree.files()).containsOnlyKeys(root + "/real.yml", root + "/to-file.yml", root + "/to-dir",
                root + "/dangling");
        assertThat(tree.get(root + "/to-file.yml").orElseThrow().linkTarget()).isEqualTo("real.yml");
        assertThat(tree.get(root + "/to-dir").orElseThrow().linkTarget()).isEqualTo(elsewhere.toString());
        assertThat(tree.get(root + "/dangling").orElseThrow().isSymlink()).isTrue();
        assertThat(tree.refused()).containsOnlyKeys(linkedRoot.toString());
        assertThat(tree.refused().get(linkedRoot.toString())).contains("symlink", elsewhere.toString());
        assertThat(tree.isRefused(linkedRoot + "/secret.yml")).isTrue();
    }

    @Test
    void rotatedLogsArePassedOverByDefault(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("traefik"));
        List<String> logs = List.of("access.log", "access.log.1", "access.log.2.gz", "traefik.log.10", "old.tar.gz", "traefik.pid");
        for (String name : logs) {
            Files.writeString(root.resolve(name), "log\n");
        }
        Files.writeString(root.resolve("logging.yml"), "kept\n");

        assertThat(list(List.of(root.toString()), new SyncSpec().exclude).files()).containsOnlyKeys(root + "/logging.yml");
    }

    @Test
    void anOwnerWithoutANameIsListedByNumberAndANameThatIsNotUtf8IsRefused(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("traefik"));
        Files.writeString(root.resolve("orphan.yml"), "x\n");
        sh("chown 54321:54322 '" + root + "/orphan.yml' 2>/dev/null; printf x > \"$(printf '" + root + "/latin1-\\351.yml')\"");

        FileTree tree = list(List.of(root.toString()), List.of());

        if ("root".equals(System.getProperty("user.name"))) {
            FileEntry orphan = tree.get(root + "/orphan.yml").orElseThrow();
            assertThat(orphan.owner() + ":" + orphan.group()).isEqualTo("54321:54322");
        }
        assertThat(tree.refused()).hasSize(1);
        assertThat(tree.refused().values()).containsExactly("its name is not UTF-8");
    }

    @Test
    void aListingCutShortIsNoTree() {
        byte[] cut = "R\0/etc/traefik\0M\0f\0644\0root\0root\0".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FileTree.parseListing(cut)).isInstanceOf(IllegalArgumentException.class);
    }

    private static FileTree list(List<String> roots, List<String> excludes) throws Exception {
        return FileTree.parseListing(Base64.getDecoder().decode(sh(NodeScripts.fileList(roots, excludes)).strip()));
    }

    private static String sh(String script) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
