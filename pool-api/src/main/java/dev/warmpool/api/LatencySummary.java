package dev.warmpool.api;

import java.time.Duration;

/**
 * Percentiles of a latency, from a histogram the pool keeps since it started.
 *
 * @param count how many values were recorded
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the largest value
 */
public record LatencySummary(long count, Duration p50, Duration p90, Duration p99, Duration p999, Duration max) {
    /** A summary of no values. */
    public static final LatencySummary EMPTY =
            new LatencySummary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
}
