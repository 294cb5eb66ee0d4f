package dev.warmpool.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.LatencySummary;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * {@link LatencyHistogram} against the exact nearest-rank percentiles of the recorded values
 * (within 1/256 of the value, its design bound) and against HdrHistogram at three significant digits
 * (within 1%, the promise), on random and adversarial data.
 */
class LatencyHistogramTest {
    private static final double[] PERCENTILES = {0, 1, 10, 50, 90, 99, 99.9, 99.99, 100};
    private static final long HOUR = Duration.ofHours(1).toNanos();

    /** Records {@code values} in both histograms and checks every percentile. */
    private static void check(String data, long[] values) {
        LatencyHistogram mine = new LatencyHistogram();
        Histogram hdr = new Histogram(HOUR, 3);
        for (long v : values) {
            mine.record(v);
            hdr.recordValue(v);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double p : PERCENTILES) {
            long exact = sorted[rank(p, sorted.length) - 1];
            long got = mine.valueAt(p);
            assertTrue(Math.abs(got - exact) <= exact / 256.0 + 1,
                    data + ": p" + p + " is " + got + ", exactly " + exact);
            long reference = hdr.getValueAtPercentile(p);
            assertTrue(Math.abs(got - reference) <= reference * 0.01 + 1,
                    data + ": p" + p + " is " + got + ", HdrHistogram says " + reference);
        }
        assertEquals(sorted[sorted.length - 1], mine.summary().max().toNanos(), data + ": the maximum is exact");
        assertEquals(values.length, mine.summary().count());
    }

    /** @return the nearest rank, ceil(p/100 × n) computed in decimal, at least 1 */
    private static int rank(double p, int n) {
        return Math.max(1, BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(n))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING).intValueExact());
    }

    private static long[] generate(int n, LongSupplier next) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = next.getAsLong();
        }
        return v;
    }

    @Test
    void randomDataOfEveryShapeIsWithinTheStatedError() {
        for (int seed = 0; seed < 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 1 + r.nextInt(20_000);
            check("uniform up to a second, seed " + seed, generate(n, () -> r.nextLong(1_000_000_000L)));
            check("log-uniform from 1 ns to an hour, seed " + seed,
                    generate(n, () -> (long) Math.exp(r.nextDouble() * Math.log(HOUR))));
            check("exponential around 40 µs, seed " + seed,
                    generate(n, () -> (long) (-40_000 * Math.log(1 - r.nextDouble()))));
            check("latencies with a slow tail, seed " + seed, generate(n, () -> r.nextInt(100) == 0
                    ? 50_000_000L + r.nextLong(500_000_000L) : 30_000 + r.nextLong(20_000)));
        }
    }

    @Test
    void adversarialDataIsWithinTheStatedError() {
        check("one value", new long[] {123_456_789});
        check("zero only", new long[] {0, 0, 0});
        check("the same value a thousand times", generate(1_000, () -> 987_654));
        check("two clusters a whole range apart", generate(1_001, new LongSupplier() {
            private int i;

            @Override
            public long getAsLong() {
                return i++ % 2 == 0 ? 1 : HOUR;
            }
        }));
        List<Long> edges = new ArrayList<>();
        for (int k = 1; k < 42; k++) {
            edges.addAll(List.of((1L << k) - 1, 1L << k, (1L << k) + 1));
        }
        check("powers of two and their neighbours", edges.stream().mapToLong(Long::longValue).toArray());
        check("every exact bucket and the first log ones", generate(600, new LongSupplier() {
            private long i;

            @Override
            public long getAsLong() {
                return i++;
            }
        }));
        check("the top of each bucket", generate(4_000, new LongSupplier() {
            private int i = 256;

            @Override
            public long getAsLong() {
                int b = i++;
                return LatencyHistogram.lowest(b) + LatencyHistogram.width(b) - 1;
            }
        }));
    }

    @Test
    void valuesOutsideTheRangeAreClampedNotLost() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        LatencySummary s = h.summary();
        assertEquals(2, s.count());
        assertEquals(0, h.valueAt(50));
        assertEquals(Duration.ofHours(1), s.max());
        assertTrue(Math.abs(s.p99().toNanos() - HOUR) <= HOUR / 256, s.toString());
    }

    @Test
    void nothingRecordedIsTheEmptySummary() {
        assertEquals(LatencySummary.EMPTY, new LatencyHistogram().summary());
    }

    @Test
    void bucketsTileTheRangeEachAtMostA128thOfItsLowestValueWide() {
        int last = LatencyHistogram.index(HOUR);
        assertEquals(4_561, last, "fixed memory: buckets from 0 to an hour");
        long expectedLowest = 0;
        for (int i = 0; i <= last; i++) {
            long lo = LatencyHistogram.lowest(i);
            long w = LatencyHistogram.width(i);
            assertEquals(expectedLowest, lo, "bucket " + i + " starts where the one before ended");
            assertEquals(i, LatencyHistogram.index(lo));
            assertEquals(i, LatencyHistogram.index(lo + w - 1));
            assertTrue(w == 1 || w * 128 <= lo, "bucket " + i + " is " + w + " wide at " + lo);
            expectedLowest = lo + w;
        }
    }

    @Test
    void concurrentRecordingLosesNothing() {
        LatencyHistogram h = new LatencyHistogram();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = t;
            writers.add(CompletableFuture.runAsync(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                for (int i = 0; i < 100_000; i++) {
                    h.record(r.nextLong(10_000_000L));
                }
            }));
        }
        writers.forEach(CompletableFuture::join);
        assertEquals(400_000, h.summary().count());
    }
}
