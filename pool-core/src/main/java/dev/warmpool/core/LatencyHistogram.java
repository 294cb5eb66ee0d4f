package dev.warmpool.core;

import dev.warmpool.api.LatencySummary;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A histogram of latencies in nanoseconds, with percentiles within 0.4% of the value (1% is the
 * promise), in fixed memory, recorded without locks.
 *
 * <p>Buckets are log-linear: values below 256 have a bucket each; above, every power of two is
 * split into 128 equal buckets, so a bucket is at most 1/128 as wide as its lowest value, and its
 * midpoint, which a percentile reports, is within 1/256 of any value in it. Values from 0 to one
 * hour take 4,562 buckets (36 KiB); larger values are recorded as one hour, negative ones as 0.
 * The largest value is kept exactly.
 *
 * <p>Percentiles follow the nearest-rank definition: the value at percentile {@code p} of {@code n}
 * values is the smallest recorded value with at least {@code ceil(p/100 × n)} values at or below it.
 *
 * <p>Thread-safe: {@link #record} is wait-free but for the rare new maximum; a summary read while
 * values are recorded reflects some of them, each either wholly or not at all.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;
    /** Values below this have a bucket each. */
    private static final int EXACT = 2 * SUB;
    static final long HIGHEST = Duration.ofHours(1).toNanos();

    private final AtomicLongArray counts = new AtomicLongArray(index(HIGHEST) + 1);
    private final AtomicLong max = new AtomicLong();

    /** @param nanos a latency; clamped to [0, one hour] */
    void record(long nanos) {
        long v = Math.min(Math.max(nanos, 0), HIGHEST);
        if (v > max.get()) {
            max.accumulateAndGet(v, Math::max); // before the count: see counts()
        }
        counts.incrementAndGet(index(v));
    }

    /** @return the count, percentiles and maximum of everything recorded so far */
    LatencySummary summary() {
        Counts c = counts();
        if (c.total == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(c.total, Duration.ofNanos(c.valueAt(50)), Duration.ofNanos(c.valueAt(90)),
                Duration.ofNanos(c.valueAt(99)), Duration.ofNanos(c.valueAt(99.9)), Duration.ofNanos(c.max));
    }

    /**
     * @param percentile from 0 to 100
     * @return the value at that percentile of everything recorded so far, or 0 if nothing was
     */
    long valueAt(double percentile) {
        return counts().valueAt(percentile);
    }

    private Counts counts() {
        long[] c = new long[counts.length()];
        long total = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
            total += c[i];
        }
        // after the counts: record() raises max before it counts, so max is at least every value counted
        return new Counts(c, total, max.get());
    }

    /** One reading of the buckets. */
    @SuppressWarnings("ArrayRecordComponent") // a private snapshot, read in place: never compared, hashed or shared
    private record Counts(long[] buckets, long total, long max) {
        long valueAt(double percentile) {
            if (total == 0) {
                return 0;
            }
            // one ulp down, so that 99.9 % of 1000 is rank 999 even where 0.999 * 1000 rounds above it
            double p = Math.min(Math.max(Math.nextDown(percentile), 0), 100);
            long rank = Math.max(1, (long) Math.ceil(p / 100 * total));
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= rank) {
                    return Math.min(lowest(i) + (width(i) - 1) / 2, max);
                }
            }
            return max;
        }
    }

    /** @return the bucket of {@code v}, for 0 ≤ v ≤ {@link #HIGHEST} */
    static int index(long v) {
        if (v < EXACT) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS; // v >>> shift is in [SUB, 2 SUB)
        return EXACT + (shift - 1) * SUB + (int) ((v >>> shift) - SUB);
    }

    /** @return the lowest value in bucket {@code i} */
    static long lowest(int i) {
        if (i < EXACT) {
            return i;
        }
        int shift = (i - EXACT) / SUB + 1;
        return (long) (SUB + (i - EXACT) % SUB) << shift;
    }

    /** @return how many values bucket {@code i} holds */
    static long width(int i) {
        return i < EXACT ? 1 : 1L << ((i - EXACT) / SUB + 1);
    }
}
