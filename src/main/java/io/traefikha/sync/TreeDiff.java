package io.traefikha.sync;

import io.traefikha.domain.FileEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How the secondary's tree differs from the primary's, the source of truth.
 *
 * @param missing   on the primary, not on the secondary: to copy
 * @param differing on both, with other content, mode or owner: to copy
 * @param extra     on the secondary only: to delete
 */
public record TreeDiff(List<String> missing, List<String> differing, List<String> extra) {

    public TreeDiff {
        missing = List.copyOf(missing);
        differing = List.copyOf(differing);
        extra = List.copyOf(extra);
    }

    public static TreeDiff compare(FileTree primary, FileTree secondary) {
        List<String> missing = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        primary.files().forEach((path, wanted) -> {
            FileEntry actual = secondary.files().get(path);
            if (actual == null) {
                missing.add(path);
            } else if (!sameFile(wanted, actual)) {
                differing.add(path);
            }
        });
        List<String> extra = secondary.files().keySet().stream().filter(p -> !primary.files().containsKey(p)).toList();
        return new TreeDiff(missing, differing, extra);
    }

    private static boolean sameFile(FileEntry a, FileEntry b) {
        return a.sha256().equals(b.sha256()) && a.mode() == b.mode() && a.owner().equals(b.owner())
                && a.group().equals(b.group());
    }

    public boolean isEmpty() {
        return missing.isEmpty() && differing.isEmpty() && extra.isEmpty();
    }

    /** Files to copy from the primary. */
    public List<String> toCopy() {
        return Stream.concat(missing.stream(), differing.stream()).sorted().toList();
    }

    /** Every path that differs, sorted. */
    public List<String> paths() {
        return Stream.of(missing, differing, extra).flatMap(List::stream).sorted().toList();
    }
}
