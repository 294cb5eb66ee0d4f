package dev.warmpool.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;

/**
 * The one way warmpool writes a duration for a person: {@code 1.5 s}, {@code 250 ms}, {@code 40 µs},
 * {@code 5 min}, {@code 2 h}. Every message and {@code toString()} of the library uses it, so a value
 * reads the same wherever it appears, and {@link dev.warmpool.api.spi.PluginSettings#parseDuration}
 * reads it back.
 *
 * <p>Stateless and thread-safe.
 */
public final class Durations {
    private static final long MINUTE = 60_000_000_000L;
    private static final long HOUR = 60 * MINUTE;

    private Durations() {
    }

    /**
     * Writes {@code d} in the largest unit that keeps it at least 1, with at most three decimals:
     * minutes and hours only when the value is a whole number of them ({@code 90 s}, not
     * {@code 1.5 min}).
     *
     * @param d the duration; may be negative or zero
     * @return the text, such as {@code 2.003 s}, {@code 15 ms}, {@code 5 min} or {@code -1 s}
     */
    public static String format(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        BigDecimal nanos = new BigDecimal(d.getSeconds()).movePointRight(9).add(BigDecimal.valueOf(d.getNano()));
        if (nanos.signum() == 0) {
            return "0 s";
        }
        if (whole(nanos, HOUR)) {
            return in(nanos, HOUR, "h");
        }
        if (whole(nanos, MINUTE)) {
            return in(nanos, MINUTE, "min");
        }
        for (long unit : new long[] {1_000_000_000L, 1_000_000L, 1_000L}) {
            if (nanos.compareTo(BigDecimal.valueOf(unit)) >= 0) {
                return in(nanos, unit, unit == 1_000_000_000L ? "s" : unit == 1_000_000L ? "ms" : "µs");
            }
        }
        return nanos.toPlainString() + " ns";
    }

    private static boolean whole(BigDecimal nanos, long unit) {
        return nanos.compareTo(BigDecimal.valueOf(unit)) >= 0
                && nanos.remainder(BigDecimal.valueOf(unit)).signum() == 0;
    }

    private static String in(BigDecimal nanos, long unit, String symbol) {
        BigDecimal v = nanos.divide(BigDecimal.valueOf(unit), 3, RoundingMode.HALF_UP).stripTrailingZeros();
        return v.toPlainString() + " " + symbol;
    }
}
