package io.traefikha.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** A file the operator wants on a node: absolute path, content, permission bits and owner. */
public record RemoteFile(String path, byte[] content, int mode, String owner, String group) {

    /** '@' and ':' for the drop-in directory of a systemd unit such as traefik@edge.service (always shell-quoted). */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("^/[A-Za-z0-9._/@:-]+$");
    private static final Pattern ACCOUNT = Pattern.compile("^[a-z_][a-z0-9_-]{0,31}$");

    public RemoteFile {
        Objects.requireNonNull(content, "content");
        if (path == null || !ABSOLUTE_PATH.matcher(path).matches() || path.endsWith("/") || path.contains("/../")) {
            throw new IllegalArgumentException("'" + path + "' is not an absolute file path");
        }
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " is not a permission mode");
        }
        if (owner == null || !ACCOUNT.matcher(owner).matches() || group == null || !ACCOUNT.matcher(group).matches()) {
            throw new IllegalArgumentException("owner/group " + owner + ":" + group + " are not account names");
        }
        content = content.clone();
    }

    /** A root-owned text file, the usual case for keepalived's files. */
    public static RemoteFile rootOwned(String path, String content, int mode) {
        return new RemoteFile(path, content.getBytes(StandardCharsets.UTF_8), mode, "root", "root");
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    public String sha256() {
        return sha256(content);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RemoteFile f && path.equals(f.path) && java.util.Arrays.equals(content, f.content)
                && mode == f.mode && owner.equals(f.owner) && group.equals(f.group);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, java.util.Arrays.hashCode(content), mode, owner, group);
    }

    @Override
    public String toString() {
        return "RemoteFile[" + path + " " + Integer.toOctalString(mode) + " " + owner + ":" + group + " sha256=" + sha256() + "]";
    }
}
