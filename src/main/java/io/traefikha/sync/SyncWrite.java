package io.traefikha.sync;

import java.util.Locale;

/**
 * What writing one synced file or link on the secondary came to: the last line the write script printed.
 *
 * @param detail    the node's reason (REFUSED, FAILED), else empty
 * @param needed    bytes the file needs (NO_SPACE), else 0
 * @param available bytes free where it goes (NO_SPACE; -1 when unknown), else 0
 */
public record SyncWrite(Outcome outcome, String detail, long needed, long available) {

    public enum Outcome {
        /** In place, with the primary's content, mode and owner. */
        WRITTEN,
        /** The primary's file changed while it was read; the next round copies the new content. */
        SOURCE_CHANGED,
        /** The secondary's file system has less room than the file needs; nothing was left behind. */
        NO_SPACE,
        /** Not written on purpose, e.g. a directory on the way is a symlink. */
        REFUSED,
        /** Something else went wrong on the node. */
        FAILED
    }

    public static SyncWrite failed(String reason) {
        return new SyncWrite(Outcome.FAILED, reason, 0, 0);
    }

    public static SyncWrite parse(String output) {
        String line = output.strip();
        String word = line.split("\\s", 2)[0];
        String rest = line.substring(word.length()).strip();
        return switch (word) {
            case "written" -> new SyncWrite(Outcome.WRITTEN, "", 0, 0);
            case "changed" -> new SyncWrite(Outcome.SOURCE_CHANGED, "", 0, 0);
            case "nospace" -> {
                String[] numbers = rest.split("\\s+");
                yield new SyncWrite(Outcome.NO_SPACE, "", number(numbers[0]), numbers.length > 1 ? number(numbers[1]) : -1);
            }
            case "refused" -> new SyncWrite(Outcome.REFUSED, rest, 0, 0);
            case "error" -> failed(rest);
            default -> failed("unexpected answer '" + line + "'");
        };
    }

    /** For a report: "needs 1.0 GiB, 12.0 MiB free", "refused, REASON", or the reason. */
    public String describe() {
        return switch (outcome) {
            case WRITTEN -> "written";
            case SOURCE_CHANGED -> "changed on the primary while it was copied";
            case NO_SPACE -> "needs " + bytes(needed) + ", " + bytes(available) + " free";
            case REFUSED -> "refused, " + detail;
            case FAILED -> detail;
        };
    }

    private static long number(String digits) {
        return digits.matches("\\d{1,18}") ? Long.parseLong(digits) : -1;
    }

    /** A byte count for people: 512 B, 12.3 MiB, 1.0 GiB. */
    static String bytes(long count) {
        if (count < 0) {
            return "an unknown amount";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = count;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? count + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
