package io.traefikha.sync;

import io.traefikha.domain.FileEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One node's synced files by absolute path, as one listing saw them. */
public record FileTree(Map<String, FileEntry> files) {

    public FileTree {
        files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    public static FileTree of(Collection<FileEntry> entries) {
        return new FileTree(entries.stream().collect(Collectors.toMap(FileEntry::path, Function.identity())));
    }

    public Optional<FileEntry> get(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /**
     * The same value as the probe's {@code config_hash} for this tree: SHA-256 over sha256sum's "hash  path" lines in
     * bytewise path order. Content only; modes and owners are compared per file by {@link TreeDiff}.
     */
    public String aggregateHash() {
        TreeMap<byte[], FileEntry> bytewise = new TreeMap<>(java.util.Arrays::compareUnsigned);
        files.values().forEach(f -> bytewise.put(f.path().getBytes(StandardCharsets.UTF_8), f));
        StringBuilder lines = new StringBuilder();
        bytewise.values().forEach(f -> lines.append(f.sha256()).append("  ").append(f.path()).append('\n'));
        return sha256(lines.toString());
    }

    /** A hash over the listed files only (absent ones count as absent), to notice a change to the static configuration. */
    public String hashOf(List<String> paths) {
        return sha256(paths.stream().sorted()
                .map(p -> p + "=" + get(p).map(FileEntry::sha256).orElse("absent"))
                .collect(Collectors.joining("\n")));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
