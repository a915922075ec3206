package io.traefikha.sync;

import java.util.List;

/**
 * What one push to the secondary did.
 *
 * @param secondary the node written, for messages ("the secondary 192.168.1.111")
 * @param copied    files and links written on the secondary
 * @param deleted   entries deleted on the secondary
 * @param notCopied what the secondary could not take (no space, a symlinked directory on the way, an error),
 *                  reported, never retried silently; a file that changed on the primary while it was read is in
 *                  none of the lists (the next round copies it)
 */
public record PushResult(String secondary, List<String> copied, List<String> deleted, List<NotCopied> notCopied) {

    public PushResult {
        copied = List.copyOf(copied);
        deleted = List.copyOf(deleted);
        notCopied = List.copyOf(notCopied);
    }

    /** A file or link the secondary did not take, and why. */
    public record NotCopied(String path, SyncWrite why) {

        public boolean forLackOfSpace() {
            return why.outcome() == SyncWrite.Outcome.NO_SPACE;
        }

        /** "PATH needs 1.0 GiB, 12.0 MiB free", "PATH: refused, REASON". */
        @Override
        public String toString() {
            return path + (forLackOfSpace() ? " " : ": ") + why.describe();
        }
    }
}
