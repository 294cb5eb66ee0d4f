package dev.warmpool.core;

import dev.warmpool.api.LatencySummary;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The pool's counters and latency histograms. Recording is lock-free (LongAdder, HdrHistogram
 * {@link Recorder}); a snapshot folds the recorders' intervals into cumulative histograms.
 */
final class Metrics {
    /** Values above an hour are clamped; three significant digits keep each histogram small. */
    private static final long HIGHEST_NANOS = Duration.ofHours(1).toNanos();

    final LongAdder submitted = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    private final EnumMap<Failure, LongAdder> failed = new EnumMap<>(Failure.class);
    private final EnumMap<SpawnCause, LongAdder> spawns = new EnumMap<>(SpawnCause.class);
    private final Recorder queueWait = new Recorder(HIGHEST_NANOS, 3);
    private final Recorder runTime = new Recorder(HIGHEST_NANOS, 3);
    private final Histogram queueWaitTotal = new Histogram(HIGHEST_NANOS, 3);
    private final Histogram runTimeTotal = new Histogram(HIGHEST_NANOS, 3);
    private Histogram queueWaitInterval;
    private Histogram runTimeInterval;

    Metrics() {
        for (Failure f : Failure.values()) {
            failed.put(f, new LongAdder());
        }
        for (SpawnCause c : SpawnCause.values()) {
            spawns.put(c, new LongAdder());
        }
    }

    void failed(Failure f) {
        failed.get(f).increment();
    }

    void spawned(SpawnCause c) {
        spawns.get(c).increment();
    }

    void queueWait(long nanos) {
        queueWait.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_NANOS));
    }

    void runTime(long nanos) {
        runTime.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_NANOS));
    }

    synchronized PoolMetrics snapshot(int idle, int busy, int starting, int queueDepth) {
        queueWaitInterval = queueWait.getIntervalHistogram(queueWaitInterval);
        queueWaitTotal.add(queueWaitInterval);
        runTimeInterval = runTime.getIntervalHistogram(runTimeInterval);
        runTimeTotal.add(runTimeInterval);
        Map<Failure, Long> f = new EnumMap<>(Failure.class);
        failed.forEach((k, v) -> f.put(k, v.sum()));
        Map<SpawnCause, Long> s = new EnumMap<>(SpawnCause.class);
        spawns.forEach((k, v) -> s.put(k, v.sum()));
        return new PoolMetrics(idle + busy + starting, idle, busy, starting, queueDepth, submitted.sum(),
                succeeded.sum(), f, s, summary(queueWaitTotal), summary(runTimeTotal));
    }

    private static LatencySummary summary(Histogram h) {
        if (h.getTotalCount() == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(h.getTotalCount(), at(h, 50), at(h, 90), at(h, 99), at(h, 99.9),
                Duration.ofNanos(h.getMaxValue()));
    }

    private static Duration at(Histogram h, double percentile) {
        return Duration.ofNanos(h.getValueAtPercentile(percentile));
    }
}
