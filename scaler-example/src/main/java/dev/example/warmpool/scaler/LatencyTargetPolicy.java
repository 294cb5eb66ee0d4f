package dev.example.warmpool.scaler;

import dev.warmpool.api.Durations;
import dev.warmpool.api.LatencySummary;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.spi.ScalingContext;
import dev.warmpool.api.spi.ScalingPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Keeps the time requests wait for a worker near a target. At each tick:
 * <ul>
 *   <li>requests are queued and the chosen percentile of their queue wait is above {@code targetWait}:
 *       one more worker;</li>
 *   <li>the queue is empty and more than {@code idleFraction} of the workers are idle: one fewer;</li>
 *   <li>otherwise: the same size.</li>
 * </ul>
 * The answer is clamped to the pool's min..max.
 *
 * <p>{@link PoolMetrics#queueWait()} summarizes every wait since the pool started, so a slow minute long
 * ago can keep the percentile high. That is why growing also needs a queue now: the percentile says waits
 * have been too long, the queue says they still are.
 *
 * <p>Immutable and thread-safe; one instance may serve several pools. {@link #desiredSize} never blocks.
 *
 * @param targetWait the queue wait to aim at; positive
 * @param percentile which percentile of the queue wait to compare with the target
 * @param idleFraction shrink while more than this fraction of the workers are idle, 0..1 (0: whenever one
 *     is idle; 1: never)
 */
public record LatencyTargetPolicy(Duration targetWait, Percentile percentile, double idleFraction)
        implements ScalingPolicy {

    /** Which percentile of {@link LatencySummary} the policy compares with its target. */
    public enum Percentile {
        /** The median. */
        P50("p50", LatencySummary::p50),
        /** The 90th percentile. */
        P90("p90", LatencySummary::p90),
        /** The 99th percentile. */
        P99("p99", LatencySummary::p99),
        /** The 99.9th percentile. */
        P999("p999", LatencySummary::p999);

        private final String settingValue;
        @SuppressWarnings("ImmutableEnumChecker") // a method reference to a record accessor: it has no state
        private final Function<LatencySummary, Duration> read;

        Percentile(String settingValue, Function<LatencySummary, Duration> read) {
            this.settingValue = settingValue;
            this.read = read;
        }

        /** {@return how the {@code percentile} setting spells it} */
        public String settingValue() {
            return settingValue;
        }

        /**
         * Reads this percentile from a summary.
         *
         * @param summary a latency summary
         * @return this percentile of it
         */
        public Duration of(LatencySummary summary) {
            return read.apply(summary);
        }
    }

    /** The defaults: a p99 queue wait of 100 ms, shrinking while more than half the workers are idle. */
    public static final LatencyTargetPolicy DEFAULTS =
            new LatencyTargetPolicy(Duration.ofMillis(100), Percentile.P99, 0.5);

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if {@code targetWait} is not positive or {@code idleFraction} is not
     *     within 0..1
     */
    public LatencyTargetPolicy {
        Objects.requireNonNull(targetWait, "targetWait");
        Objects.requireNonNull(percentile, "percentile");
        if (targetWait.isNegative() || targetWait.isZero()) {
            throw new IllegalArgumentException("targetWait is " + Durations.format(targetWait) + ", but must be positive");
        }
        if (!(idleFraction >= 0 && idleFraction <= 1)) { // written so that NaN fails too
            throw new IllegalArgumentException("idleFraction is " + idleFraction + ", but must be within 0..1");
        }
    }

    @Override
    public int desiredSize(ScalingContext context) {
        PoolMetrics m = context.metrics();
        int size = m.size();
        boolean waitsTooLong = m.queueDepth() > 0
                && m.queueWait().count() > 0
                && percentile.of(m.queueWait()).compareTo(targetWait) > 0;
        boolean tooManyIdle = m.queueDepth() == 0 && m.idle() > idleFraction * size;

        int desired = waitsTooLong ? size + 1 : tooManyIdle ? size - 1 : size;
        return Math.clamp(desired, context.minSize(), context.maxSize());
    }
}
