package dev.warmpool.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One latency distribution of the peers benchmark, in microseconds: p50, p99, p99.9 and the number
 * of samples, read from an HdrHistogram of nanoseconds (three significant digits) whoever timed it.
 */
record Percentiles(double p50, double p99, double p999, long samples) {
    /** The longest latency a histogram records; a longer one counts as this long. */
    static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** @return an empty histogram of nanoseconds, up to {@link #MAX_NANOS} */
    static Histogram histogram() {
        return new Histogram(MAX_NANOS, 3);
    }

    /** Records one latency, clamped to {@link #MAX_NANOS}. */
    static void record(Histogram h, long nanos) {
        h.recordValue(Math.max(0, Math.min(nanos, MAX_NANOS)));
    }

    static Percentiles of(Histogram h) {
        return new Percentiles(h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0, h.getTotalCount());
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", round(p50));
        m.put("p99", round(p99));
        m.put("p99.9", round(p999));
        m.put("samples", samples);
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
