package dev.warmpool.core;

import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pool's counters and latency histograms. Recording is lock-free ({@link LongAdder},
 * {@link LatencyHistogram}); a snapshot reads them without stopping anyone. Thread-safe.
 */
final class Metrics {
    final LongAdder submitted = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    private final EnumMap<Failure, LongAdder> failed = new EnumMap<>(Failure.class);
    private final EnumMap<SpawnCause, LongAdder> spawns = new EnumMap<>(SpawnCause.class);
    private final LatencyHistogram queueWait = new LatencyHistogram();
    private final LatencyHistogram runTime = new LatencyHistogram();

    Metrics() {
        for (Failure f : Failure.values()) {
            failed.put(f, new LongAdder());
        }
        for (SpawnCause c : SpawnCause.values()) {
            spawns.put(c, new LongAdder());
        }
    }

    void failed(Failure f) {
        Objects.requireNonNull(failed.get(f), "adder").increment(); // the constructor made one per constant
    }

    void spawned(SpawnCause c) {
        Objects.requireNonNull(spawns.get(c), "adder").increment(); // the constructor made one per constant
    }

    void queueWait(long nanos) {
        queueWait.record(nanos);
    }

    void runTime(long nanos) {
        runTime.record(nanos);
    }

    PoolMetrics snapshot(int idle, int busy, int starting, int queueDepth, Map<String, Integer> byHost) {
        Map<Failure, Long> f = new EnumMap<>(Failure.class);
        failed.forEach((k, v) -> f.put(k, v.sum()));
        Map<SpawnCause, Long> s = new EnumMap<>(SpawnCause.class);
        spawns.forEach((k, v) -> s.put(k, v.sum()));
        return new PoolMetrics(idle + busy + starting, idle, busy, starting, queueDepth, submitted.sum(),
                succeeded.sum(), f, s, queueWait.summary(), runTime.summary(), byHost);
    }
}
