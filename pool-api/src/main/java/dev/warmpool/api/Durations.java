package dev.warmpool.api;

import java.time.Duration;

/** Formats durations for messages: "1.5 s", "250 ms", "40 µs". */
final class Durations {
    private Durations() {
    }

    static String format(Duration d) {
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
