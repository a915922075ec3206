package io.traefikha.reconciler.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file the operator keeps on a node, as rendered for that node's role.
 *
 * @param path           absolute path on the node
 * @param content        the wanted content
 * @param mode           octal permission bits, e.g. 0644 or 0755
 * @param reloadsService whether keepalived must reload after this file changes (its config does; the scripts it runs
 *                       are read at each run)
 */
public record ManagedFile(String path, String content, String mode, boolean reloadsService) {

    /** SHA-256 of the content in hex, as the node probe reports it (sha256sum). */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
