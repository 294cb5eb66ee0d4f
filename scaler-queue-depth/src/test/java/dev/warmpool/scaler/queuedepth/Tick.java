package dev.warmpool.scaler.queuedepth;

import dev.warmpool.api.LatencySummary;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.spi.ScalingContext;
import java.time.Instant;
import java.util.Map;

/** Builds the {@link ScalingContext} of one tick from the numbers a scaling rule reads. */
final class Tick {
    private Tick() {
    }

    static ScalingContext of(int idle, int busy, int queueDepth, int min, int max, Instant now) {
        return of(idle, busy, 0, queueDepth, min, max, now);
    }

    static ScalingContext of(int idle, int busy, int starting, int queueDepth, int min, int max, Instant now) {
        PoolMetrics metrics = new PoolMetrics(idle + busy + starting, idle, busy, starting, queueDepth,
                0, 0, Map.of(), Map.of(), LatencySummary.EMPTY, LatencySummary.EMPTY);
        return new ScalingContext(metrics, min, max, now);
    }
}
