package dev.warmpool.api;

import java.time.Duration;

/**
 * The one way warmpool writes a duration in a message for a person: {@code "1.5 s"},
 * {@code "250 ms"}, {@code "40 µs"} (one decimal at most, the largest unit that is at least one).
 * Exceptions, logs and events of the pool and its plugins use it, so that a limit reads the same
 * wherever it is reported. Stateless and thread-safe.
 */
public final class Durations {
    private Durations() {
    }

    /**
     * @param d a duration
     * @return it for a person, e.g. {@code "2 s"}
     */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos >= 1_000_000_000L) {
            return trim(nanos / 1e9) + " s";
        }
        if (nanos >= 1_000_000L) {
            return trim(nanos / 1e6) + " ms";
        }
        return trim(nanos / 1e3) + " µs";
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
