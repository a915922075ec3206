package io.traefikha.node;

import io.traefikha.domain.FileEntry;
import io.traefikha.domain.RemoteFile;
import io.traefikha.sync.FileTree;
import io.traefikha.sync.TreeDiff;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the secondary's tree equal to the primary's through the operator's own sessions: each file to copy is read from
 * the primary and written with {@link NodeSession#upload} (temporary file, then rename: Traefik's watcher never reads a
 * half-written file), with the primary's mode and owner; files the primary no longer has are deleted.
 */
public final class ConfigPush {

    private ConfigPush() {
    }

    /**
     * @param copied     files written on the secondary
     * @param deleted    files deleted on the secondary
     * @param notCopied  files that cannot be written under their name (the node layer accepts only [A-Za-z0-9._/-]),
     *                   with the reason; reported, never retried silently
     */
    public record Result(List<String> copied, List<String> deleted, List<String> notCopied) {
        public Result {
            copied = List.copyOf(copied);
            deleted = List.copyOf(deleted);
            notCopied = List.copyOf(notCopied);
        }
    }

    public static Result apply(NodeSession primary, NodeSession secondary, FileTree primaryTree, TreeDiff diff) {
        List<String> copied = new ArrayList<>();
        List<String> notCopied = new ArrayList<>();
        for (String path : diff.toCopy()) {
            FileEntry source = primaryTree.get(path).orElseThrow();
            RemoteFile file;
            try {
                file = new RemoteFile(path, primary.download(path), source.mode(), source.owner(), source.group());
            } catch (IllegalArgumentException e) {
                notCopied.add(path + ": " + e.getMessage());
                continue;
            }
            if (secondary.upload(file)) {
                copied.add(path);
            }
        }
        diff.extra().forEach(secondary::remove);
        return new Result(copied, diff.extra(), notCopied);
    }
}
