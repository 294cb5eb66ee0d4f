package dev.warmpool.api.spi;

import dev.warmpool.api.PoolConfig;

/**
 * Decides how many workers the pool should have. The pool asks at every scaling tick
 * ({@link PoolConfig#scalingInterval()}) and moves toward the answer, clamped to
 * {@link ScalingContext#minSize()}..{@link ScalingContext#maxSize()}; scaling down only retires
 * idle workers.
 *
 * <p>Called from one thread at a time (the pool's monitor), so an implementation may keep state
 * between calls (a stabilization window, say) without locking. It must not block. Each pool gets an
 * instance of its own when the policy comes from a provider or from
 * {@link PoolConfig.Builder#scalingPolicy(java.util.function.Supplier)}; an instance given with
 * {@link PoolConfig.Builder#scalingPolicy(ScalingPolicy)} is shared by every pool started from that
 * configuration, so it should keep no state.
 */
@FunctionalInterface
public interface ScalingPolicy {
    /**
     * Tells the pool how many workers it should have now.
     *
     * @param context the pool's metrics, limits and the time of this tick
     * @return the desired number of workers; values outside min..max are clamped by the pool
     */
    int desiredSize(ScalingContext context);
}
