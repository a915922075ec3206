package io.traefikha.node;

/**
 * The safety net of the seed's phase 1 backup: before the operator first changes a file on a node it keeps the previous
 * content next to it, {@code <file>.traefikha-backup} (mode and owner preserved), or, when there was no file, an empty
 * marker {@code <file>.traefikha-absent}. Either is written once and never overwritten, so it always holds what was
 * there before the operator's first change. A rollback moves the backup back, or removes the file when there was none.
 */
public final class Originals {

    public static final String BACKUP_SUFFIX = ".traefikha-backup";
    public static final String ABSENT_SUFFIX = ".traefikha-absent";

    private Originals() {
    }

    /** What a restore found: a kept copy put back, a file removed that did not exist before, or nothing kept. */
    public enum Restored {
        RESTORED,
        REMOVED,
        NOTHING_KEPT
    }

    /** Shell lines keeping the original of the file named by the shell expression {@code target} (already quoted). */
    static String keepScript(String target) {
        String backup = "\"" + target + BACKUP_SUFFIX + "\"";
        String absent = "\"" + target + ABSENT_SUFFIX + "\"";
        return String.join("\n",
                "if [ ! -e " + backup + " ] && [ ! -e " + absent + " ]; then",
                "  if [ -e \"" + target + "\" ]; then",
                // copied beside, then renamed: a half-written copy is never taken for the original
                "    cp -p \"" + target + "\" \"" + target + BACKUP_SUFFIX + ".tmp\"",
                "    mv -f \"" + target + BACKUP_SUFFIX + ".tmp\" " + backup,
                "  else",
                "    : > " + absent,
                "  fi",
                "fi");
    }

    /** Shell lines restoring the file named by {@code target}; they print restored, removed or nothing-kept. */
    static String restoreScript(String target) {
        String backup = "\"" + target + BACKUP_SUFFIX + "\"";
        String absent = "\"" + target + ABSENT_SUFFIX + "\"";
        return String.join("\n",
                "if [ -e " + backup + " ]; then",
                "  mv -f " + backup + " \"" + target + "\"; echo restored",
                "elif [ -e " + absent + " ]; then",
                "  rm -f -- \"" + target + "\" " + absent + "; echo removed",
                "else",
                "  echo nothing-kept",
                "fi");
    }

    static Restored parse(String output, String path) {
        switch (output.strip()) {
            case "restored":
                return Restored.RESTORED;
            case "removed":
                return Restored.REMOVED;
            case "nothing-kept":
                return Restored.NOTHING_KEPT;
            default:
                throw new NodeAccessException("restoring " + path + " answered '" + output.strip() + "'");
        }
    }
}
