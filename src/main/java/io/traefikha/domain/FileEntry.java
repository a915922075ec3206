package io.traefikha.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One regular file of a node's synced tree.
 *
 * @param mode permission bits, e.g. 0644
 */
public record FileEntry(String path, String sha256, int mode, String owner, String group) {

    private static final Pattern META = Pattern.compile("^M ([0-7]{1,4}) (\\S+) (\\S+) (/.*)$");
    private static final Pattern HASH = Pattern.compile("^H ([0-9a-f]{64})  (/.*)$");

    /**
     * Reads the output of the file-list script. A file seen by only one of its two passes (deleted or created in
     * between) is left out: the next listing sees it settled.
     *
     * @throws IllegalArgumentException on a line of neither form (sha256sum escapes a name holding a newline or a
     *                                  backslash, which the tree cannot represent)
     */
    public static List<FileEntry> parseListing(String output) {
        Map<String, Matcher> metaByPath = new HashMap<>();
        List<Matcher> hashes = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher meta = META.matcher(line);
            Matcher hash = HASH.matcher(line);
            if (meta.matches()) {
                metaByPath.put(meta.group(4), meta);
            } else if (hash.matches()) {
                hashes.add(hash);
            } else {
                throw new IllegalArgumentException("unexpected line in a file listing: " + line);
            }
        }
        List<FileEntry> entries = new ArrayList<>();
        for (Matcher hash : hashes) {
            Matcher meta = metaByPath.get(hash.group(2));
            if (meta != null) {
                entries.add(new FileEntry(hash.group(2), hash.group(1), Integer.parseInt(meta.group(1), 8), meta.group(2),
                        meta.group(3)));
            }
        }
        return entries;
    }

    @Override
    public String toString() {
        return path + " " + Integer.toOctalString(mode) + " " + owner + ":" + group + " " + sha256.substring(0, 12);
    }
}
