package io.traefikha.api.v1alpha1;

import java.math.BigDecimal;
import java.time.Duration;

/** Parses the spec's duration strings ({@link Patterns#DURATION}: 100ms, 1s, 2.5s, 5m, 1h). */
public final class Durations {

    private static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile(Patterns.DURATION);

    private Durations() {
    }

    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    /** @throws IllegalArgumentException naming the text when it is not a duration */
    public static Duration parse(String text) {
        if (!isValid(text)) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 100ms, 1s or 5m");
        }
        String unit = text.endsWith("ms") ? "ms" : text.substring(text.length() - 1);
        BigDecimal amount = new BigDecimal(text.substring(0, text.length() - unit.length()));
        BigDecimal nanosPerUnit = switch (unit) {
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "s" -> BigDecimal.valueOf(1_000_000_000L);
            case "m" -> BigDecimal.valueOf(60_000_000_000L);
            default -> BigDecimal.valueOf(3_600_000_000_000L);
        };
        return Duration.ofNanos(amount.multiply(nanosPerUnit).longValueExact());
    }
}
