package io.traefikha.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.FileEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeDiffTest {

    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);

    static FileEntry file(String path, String hash) {
        return FileEntry.file(path, hash, 0644, "root", "root", 10);
    }

    @Test
    void namesWhatToCopyAndWhatToDelete() {
        FileTree primary = FileTree.of(List.of(file("/etc/traefik/new.yml", A), file("/etc/traefik/same.yml", A),
                file("/etc/traefik/edited.yml", A), FileEntry.file("/etc/traefik/chmod.yml", A, 0600, "root", "root", 10)));
        FileTree secondary = FileTree.of(List.of(file("/etc/traefik/same.yml", A), file("/etc/traefik/edited.yml", B),
                file("/etc/traefik/chmod.yml", A), file("/etc/traefik/gone.yml", A)));

        TreeDiff diff = TreeDiff.compare(primary, secondary);

        assertThat(diff.missing()).containsExactly("/etc/traefik/new.yml");
        assertThat(diff.differing()).containsExactly("/etc/traefik/chmod.yml", "/etc/traefik/edited.yml");
        assertThat(diff.extra()).containsExactly("/etc/traefik/gone.yml");
        assertThat(diff.toCopy()).containsExactly("/etc/traefik/chmod.yml", "/etc/traefik/edited.yml", "/etc/traefik/new.yml");
        assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void aLinkIsComparedByItsTargetAndOwnerAndIsNeverEqualToAFile() {
        FileEntry link = FileEntry.symlink("/etc/traefik/current.yml", "v2.yml", "root", "root");
        FileTree primary = FileTree.of(List.of(link, FileEntry.symlink("/etc/traefik/certs", "/etc/ssl/traefik", "root", "root")));
        FileTree secondary = FileTree.of(List.of(FileEntry.symlink("/etc/traefik/current.yml", "v1.yml", "root", "root"),
                FileEntry.file("/etc/traefik/certs", link.sha256(), 0777, "root", "root", 6)));

        assertThat(TreeDiff.compare(primary, secondary).differing()).containsExactly("/etc/traefik/certs",
                "/etc/traefik/current.yml");
        assertThat(TreeDiff.compare(primary, FileTree.of(List.of(FileEntry.symlink("/etc/traefik/current.yml", "v2.yml",
                "1000", "root")))).differing()).as("another owner").containsExactly("/etc/traefik/current.yml");
    }

    @Test
    void aRefusedRootIsLeftAloneOnBothSides() {
        FileTree primary = new FileTree(java.util.Map.of("/etc/traefik/a.yml", file("/etc/traefik/a.yml", A)),
                java.util.Map.of("/opt/traefik", "the synced root is a symlink"));
        FileTree secondary = FileTree.of(List.of(file("/opt/traefik/b.yml", A)));

        TreeDiff diff = TreeDiff.compare(primary, secondary);

        assertThat(diff.extra()).as("not deleted under a root the primary refuses").isEmpty();
        assertThat(diff.missing()).containsExactly("/etc/traefik/a.yml");
        assertThat(primary.aggregateHash()).isNotEqualTo(FileTree.of(List.of(file("/etc/traefik/a.yml", A))).aggregateHash());
    }

    @Test
    void equalTreesHaveNoDifferenceAndEqualHashes() {
        FileTree one = FileTree.of(List.of(file("/etc/traefik/x.yml", A)));
        FileTree two = FileTree.of(List.of(file("/etc/traefik/x.yml", A)));

        assertThat(TreeDiff.compare(one, two).isEmpty()).isTrue();
        assertThat(one.aggregateHash()).isEqualTo(two.aggregateHash());
    }

    /** sha256sum over "hash  path" lines, as `find | sort -z | xargs sha256sum | sha256sum` prints it on a node. */
    @Test
    void aggregateHashIsTheShellsTreeHash() {
        FileTree tree = FileTree.of(List.of(file("/etc/traefik/b.yml", B), file("/etc/traefik/a.yml", A)));

        // printf 'aaa…  /etc/traefik/a.yml\nbbb…  /etc/traefik/b.yml\n' | sha256sum
        assertThat(tree.aggregateHash()).isEqualTo(sha256Hex(A + "  /etc/traefik/a.yml\n" + B + "  /etc/traefik/b.yml\n"));
        assertThat(FileTree.of(List.of()).aggregateHash()).isEqualTo(sha256Hex(""));
    }

    static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
