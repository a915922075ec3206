package io.traefikha.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One entry of a node's synced tree: a regular file or a symbolic link (reproduced as a link, never followed).
 *
 * @param sha256     the content's SHA-256; for a link, the SHA-256 of its target text
 * @param mode       permission bits, e.g. 0644 (a link has none of its own: 0777)
 * @param owner      the owner's user name, or the numeric uid when the node has no name for it
 * @param group      the group's name, or the numeric gid
 * @param size       bytes of content (a link: of its target text)
 * @param linkTarget what a link points to, as written; null for a regular file
 */
public record FileEntry(String path, Kind kind, String sha256, int mode, String owner, String group, long size,
                        String linkTarget) {

    /** What the entry is on the node. */
    public enum Kind {
        FILE,
        SYMLINK
    }

    public FileEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256, "sha256");
        if ((kind == Kind.SYMLINK) != (linkTarget != null)) {
            throw new IllegalArgumentException("a link target belongs to a symlink, and only to one: " + path);
        }
    }

    public static FileEntry file(String path, String sha256, int mode, String owner, String group, long size) {
        return new FileEntry(path, Kind.FILE, sha256, mode, owner, group, size, null);
    }

    public static FileEntry symlink(String path, String target, String owner, String group) {
        byte[] text = target.getBytes(StandardCharsets.UTF_8);
        return new FileEntry(path, Kind.SYMLINK, sha256(text), 0777, owner, group, text.length, target);
    }

    public boolean isSymlink() {
        return kind == Kind.SYMLINK;
    }

    /** Whether the secondary's entry equals the primary's: same kind, content (or link target) and owner; mode for files. */
    public boolean sameAs(FileEntry other) {
        return kind == other.kind && sha256.equals(other.sha256) && owner.equals(other.owner) && group.equals(other.group)
                && (isSymlink() || mode == other.mode);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        String what = isSymlink() ? "-> " + linkTarget : Integer.toOctalString(mode) + " " + sha256.substring(0, 12);
        return path + " " + owner + ":" + group + " " + what;
    }
}
