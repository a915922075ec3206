package io.traefikha.sync;

import io.traefikha.domain.FileEntry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One node's synced tree by absolute path, as one listing saw it: regular files and symbolic links, and what cannot be
 * synced at all ({@link #refused()}).
 *
 * @param files   regular files and links by path
 * @param refused paths the sync leaves alone, with the reason: a synced root that is a symlink (syncing through it
 *                would write wherever it points) and names that are not UTF-8
 */
public record FileTree(Map<String, FileEntry> files, Map<String, String> refused) {

    /** Field marks of the listing {@code NodeScripts} prints, NUL-separated (see {@link #parseListing}). */
    public static final String ROOT = "R";
    public static final String META = "M";
    public static final String HASHES = "H";
    public static final String END = "E";

    public FileTree {
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        refused = Collections.unmodifiableMap(new TreeMap<>(refused));
    }

    public static FileTree of(Collection<FileEntry> entries) {
        return new FileTree(entries.stream().collect(Collectors.toMap(FileEntry::path, Function.identity())), Map.of());
    }

    /**
     * Reads the node's listing: NUL-separated fields, so any name passes (spaces, newlines, backslashes, leading
     * dashes). First {@code R root} per synced root; then {@code M type mode owner group size path linktarget} per file
     * or link ({@code find -printf}, owner and group as names or, without one, as numbers); then {@code H} and
     * sha256sum's {@code "hash  path"} records ({@code -z}: unescaped); then {@code E}. A file seen by only one of the two
     * passes (deleted or created in between) is left out: the next listing sees it settled.
     *
     * @throws IllegalArgumentException when the listing is cut short or malformed
     */
    public static FileTree parseListing(byte[] listing) {
        List<byte[]> fields = split(listing);
        if (fields.isEmpty() || !END.equals(text(fields.get(fields.size() - 1)))) {
            throw new IllegalArgumentException("the file listing is incomplete (" + listing.length + " bytes)");
        }
        List<String> roots = new ArrayList<>();
        Map<String, String[]> meta = new HashMap<>();
        Map<String, String> refused = new HashMap<>();
        int i = 0;
        for (; i < fields.size() && !HASHES.equals(text(fields.get(i))); i++) {
            switch (text(fields.get(i))) {
                case ROOT -> roots.add(text(field(fields, ++i)));
                case META -> {
                    String[] m = new String[6];
                    for (int f = 0; f < 5; f++) {
                        m[f] = text(field(fields, ++i));
                    }
                    byte[] rawPath = field(fields, ++i);
                    Optional<String> target = utf8(field(fields, ++i));
                    Optional<String> path = utf8(rawPath);
                    if (path.isPresent() && target.isPresent()) {
                        m[5] = target.get();
                        meta.put(path.get(), m);
                    } else {
                        refused.put(text(rawPath), path.isEmpty() ? "its name is not UTF-8" : "its link target is not UTF-8");
                    }
                }
                default -> throw new IllegalArgumentException("unexpected field in a file listing: " + text(fields.get(i)));
            }
        }
        Map<String, String> hashes = new HashMap<>();
        for (i++; i < fields.size() - 1; i++) {
            String record = text(fields.get(i));
            if (record.length() < 67 || !record.substring(0, 64).matches("[0-9a-f]{64}") || !record.startsWith("  ", 64)) {
                throw new IllegalArgumentException("unexpected hash record in a file listing: " + record);
            }
            hashes.put(record.substring(66), record.substring(0, 64));
        }
        Map<String, FileEntry> files = new HashMap<>();
        meta.forEach((path, m) -> {
            if (m[0].equals("l")) {
                if (roots.contains(path)) {
                    refused.put(path, "the synced root is a symlink (to " + m[5] + "): syncing through it would write"
                            + " wherever it points; list the directory it points to in spec.sync.paths instead");
                } else {
                    files.put(path, FileEntry.symlink(path, m[5], m[2], m[3]));
                }
            } else if (m[0].equals("f") && hashes.containsKey(path)) {
                files.put(path, FileEntry.file(path, hashes.get(path), Integer.parseInt(m[1], 8), m[2], m[3],
                        Long.parseLong(m[4])));
            }
        });
        return new FileTree(files, refused);
    }

    public Optional<FileEntry> get(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /** Whether the path is refused itself or lies under a refused root. */
    public boolean isRefused(String path) {
        return refused.keySet().stream().anyMatch(r -> path.equals(r) || path.startsWith(r + "/"));
    }

    /**
     * The tree's hash, the probe's {@code config_hash}: SHA-256 over one line per entry in bytewise path order, "hash
     * path" for a file (sha256sum's form), "l hash  path" for a link, "refused  path" for what is refused. Content only;
     * modes and owners are compared per file by {@link TreeDiff}.
     */
    public String aggregateHash() {
        TreeMap<byte[], String> bytewise = new TreeMap<>(java.util.Arrays::compareUnsigned);
        files.values().forEach(f -> bytewise.put(f.path().getBytes(StandardCharsets.UTF_8),
                (f.isSymlink() ? "l " : "") + f.sha256() + "  " + f.path() + "\n"));
        refused.keySet().forEach(p -> bytewise.put(p.getBytes(StandardCharsets.UTF_8), "refused  " + p + "\n"));
        return sha256(String.join("", bytewise.values()));
    }

    /** A hash over the listed files only (absent ones count as absent), to notice a change to the static configuration. */
    public String hashOf(List<String> paths) {
        return sha256(paths.stream().sorted()
                .map(p -> p + "=" + get(p).map(FileEntry::sha256).orElse("absent"))
                .collect(Collectors.joining("\n")));
    }

    private static List<byte[]> split(byte[] listing) {
        List<byte[]> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < listing.length; i++) {
            if (listing[i] == 0) {
                fields.add(java.util.Arrays.copyOfRange(listing, start, i));
                start = i + 1;
            }
        }
        return fields;
    }

    private static byte[] field(List<byte[]> fields, int index) {
        if (index >= fields.size()) {
            throw new IllegalArgumentException("a file listing record is cut short");
        }
        return fields.get(index);
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Lenient: owners, link targets and hash records; a malformed byte becomes U+FFFD. */
    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
