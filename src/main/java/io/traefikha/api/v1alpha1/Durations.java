package io.traefikha.api.v1alpha1;

import java.math.BigDecimal;
import java.time.Duration;

/** Parses the spec's duration strings ({@link Patterns#DURATION}: 100ms, 1s, 2.5s, 5m, 1h). */
public final class Durations {

    private static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile(Patterns.DURATION);

    private Durations() {
    }

    /** The form of {@link Patterns#DURATION} and short enough to count in nanoseconds (about 292 years, as in CEL). */
    public static boolean isValid(String text) {
        return nanosOrNull(text) != null;
    }

    /** @throws IllegalArgumentException naming the text when it is not a duration */
    public static Duration parse(String text) {
        Long nanos = nanosOrNull(text);
        if (nanos == null) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 100ms, 1s or 5m");
        }
        return Duration.ofNanos(nanos);
    }

    /** Null when the text is not a duration or does not fit a long of nanoseconds. */
    private static Long nanosOrNull(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            return null;
        }
        String unit = text.endsWith("ms") ? "ms" : text.substring(text.length() - 1);
        BigDecimal amount = new BigDecimal(text.substring(0, text.length() - unit.length()));
        BigDecimal nanosPerUnit = switch (unit) {
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "s" -> BigDecimal.valueOf(1_000_000_000L);
            case "m" -> BigDecimal.valueOf(60_000_000_000L);
            default -> BigDecimal.valueOf(3_600_000_000_000L);
        };
        try {
            return amount.multiply(nanosPerUnit).toBigInteger().longValueExact();
        } catch (ArithmeticException tooLong) {
            return null;
        }
    }
}
