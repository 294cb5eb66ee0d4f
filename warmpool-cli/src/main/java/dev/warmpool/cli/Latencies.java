package dev.warmpool.cli;

import dev.warmpool.cli.plot.LatencyPlot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Latencies recorded in nanoseconds into an HdrHistogram (three significant digits), read back as
 * milliseconds. Thread-safe.
 */
final class Latencies {
    private final Histogram histogram = new Histogram(3);

    /** @param nanos one latency */
    synchronized void record(long nanos) {
        histogram.recordValue(Math.max(0, nanos));
    }

    /** @return how many were recorded */
    synchronized long count() {
        return histogram.getTotalCount();
    }

    /**
     * @param percentile 0..100
     * @return the latency at that percentile in milliseconds, 0 if none were recorded
     */
    synchronized double millis(double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e6;
    }

    /** @return the largest latency in milliseconds */
    synchronized double maxMillis() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1e6;
    }

    /** @return the mean in milliseconds */
    synchronized double meanMillis() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMean() / 1e6;
    }

    /**
     * Formats milliseconds for a person with about three significant digits: "412 ms", "41.2 ms",
     * "4.12 ms", "0.412 ms".
     *
     * @param ms milliseconds
     * @return the text
     */
    static String formatMillis(double ms) {
        if (ms >= 10_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000);
        }
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        if (ms >= 1) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        return String.format(Locale.ROOT, "%.3f ms", ms);
    }

    /**
     * @param seconds a duration in seconds
     * @return "1.23 s" or "412 ms"
     */
    static String formatSeconds(double seconds) {
        return seconds >= 1 ? String.format(Locale.ROOT, "%.2f s", seconds) : formatMillis(seconds * 1000);
    }

    /**
     * @param ratio a ratio of two latencies
     * @return "690x", "12.3x", "1.52x"
     */
    static String formatRatio(double ratio) {
        if (!Double.isFinite(ratio) || ratio <= 0) {
            return "-";
        }
        if (ratio >= 100) {
            return String.format(Locale.ROOT, "%.0fx", ratio);
        }
        if (ratio >= 10) {
            return String.format(Locale.ROOT, "%.1fx", ratio);
        }
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /**
     * The caption's ratio line of {@code bench --plot}.
     *
     * @param cold the cold series' latencies
     * @param warm the warm series' latencies
     * @return "cold / warm latency: p50 690x, p90 ..., p99 ..."
     */
    static String ratioLine(Latencies cold, Latencies warm) {
        List<String> parts = new ArrayList<>();
        for (int p : new int[] {50, 90, 99}) {
            parts.add("p" + p + " " + formatRatio(cold.millis(p) / warm.millis(p)));
        }
        return "cold / warm latency: " + String.join(", ", parts) + " (cold p50 "
                + formatMillis(cold.millis(50)) + ", warm p50 " + formatMillis(warm.millis(50)) + ")";
    }

    /**
     * @param name the series' name
     * @param color its color
     * @return the chart's series of these latencies
     */
    LatencyPlot.Series series(String name, String color) {
        return LatencyPlot.Series.of(name, color, count(), this::millis);
    }
}
