package io.traefikha.sync;

import io.traefikha.domain.FileEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How the secondary's tree differs from the primary's, the source of truth. What either tree refuses (a symlinked root,
 * an unreadable name) is left out on both sides: nothing is copied into it or deleted from it.
 *
 * @param missing   on the primary, not on the secondary: to copy
 * @param differing on both, with other content, link target, kind, mode or owner: to copy
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
            if (primary.isRefused(path) || secondary.isRefused(path)) {
                return;
            }
            if (actual == null) {
                missing.add(path);
            } else if (!wanted.sameAs(actual)) {
                differing.add(path);
            }
        });
        List<String> extra = secondary.files().keySet().stream()
                .filter(p -> !primary.files().containsKey(p) && !primary.isRefused(p) && !secondary.isRefused(p)).toList();
        return new TreeDiff(missing, differing, extra);
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
