package dev.warmpool.api.spi;

import dev.warmpool.api.PoolMetrics;
import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link ScalingPolicy} sees at a tick.
 *
 * @param metrics the pool's metrics at this tick
 * @param minSize the smallest size the pool may have
 * @param maxSize the largest size the pool may have
 * @param now the time of this tick (from the pool's clock, so tests can control it)
 */
public record ScalingContext(PoolMetrics metrics, int minSize, int maxSize, Instant now) {
    /** Checks the components. */
    public ScalingContext {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(now, "now");
        if (minSize > maxSize) {
            throw new IllegalArgumentException("minSize " + minSize + " is above maxSize " + maxSize);
        }
    }

    /** {@return the current number of workers (idle, busy and starting)} */
    public int currentSize() {
        return metrics.size();
    }
}
