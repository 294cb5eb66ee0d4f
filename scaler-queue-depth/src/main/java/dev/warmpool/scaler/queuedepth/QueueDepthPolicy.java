package dev.warmpool.scaler.queuedepth;

import dev.warmpool.api.Durations;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.spi.PluginSettings;
import dev.warmpool.api.spi.ScalingContext;
import dev.warmpool.api.spi.ScalingPolicy;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sizes the pool by its queue: more workers while requests wait, fewer once the queue is empty.
 *
 * <p>Each tick runs four steps:
 * <ol>
 *   <li><b>Recommend</b> a size from the metrics. In {@link Mode#STEP step} mode (the default): a queue
 *       deeper than {@code scale-up-threshold} recommends {@code max-step} more workers, an empty queue
 *       {@code max-step} fewer, anything else the current size. In {@link Mode#PROPORTIONAL proportional}
 *       mode (KEDA's rule): {@code busy + ceil(queueDepth / target-per-worker)}.</li>
 *   <li><b>Stabilize</b> a scale-down (HPA's {@code stabilizationWindowSeconds}): the pool shrinks only to
 *       the highest size recommended within the last {@code scale-down-stabilization}, measured with
 *       {@link ScalingContext#now()}.</li>
 *   <li><b>Limit</b> the change to {@code max-step} workers per tick, up or down. A scale-down happens only
 *       when {@code scale-down-when} allows it (by default: the queue is empty), and never goes below the
 *       number of busy workers, since only idle workers are retired.</li>
 *   <li><b>Clamp</b> to {@link ScalingContext#minSize()}..{@link ScalingContext#maxSize()}.</li>
 * </ol>
 *
 * <p>With no settings the policy is warmpool's original rule: queue depth above 10 and size below max adds
 * one worker; an empty queue and size above min retires one idle worker; otherwise the size stays.
 *
 * <p>A KEDA-like policy, built directly and passed to the pool (the same as the settings
 * {@code mode=proportional}, {@code target-per-worker=5}, {@code max-step=4},
 * {@code scale-down-stabilization=2m}):
 * {@snippet :
 * QueueDepthPolicy.Builder policy = QueueDepthPolicy.builder()
 *         .mode(QueueDepthPolicy.Mode.PROPORTIONAL)
 *         .targetPerWorker(5)                            // one more worker per 5 queued requests
 *         .maxStep(4)                                    // at most 4 workers more or fewer per tick
 *         .scaleDownStabilization(Duration.ofMinutes(2)); // shrink only after 2 minutes of less load
 * PoolConfig config = PoolConfig.builder().command("handler")
 *         .scalingPolicy(policy::build)                  // a new policy for each pool
 *         .build();
 * }
 *
 * <p>Not thread-safe: the policy remembers recent recommendations for its stabilization window, so each
 * pool needs its own instance. The pool calls it from one thread at a time, as {@link ScalingPolicy}
 * promises. {@link #desiredSize} never blocks.
 */
public final class QueueDepthPolicy implements ScalingPolicy {
    /** The queue depth above which step mode grows the pool, unless {@code scale-up-threshold} is set. */
    public static final int DEFAULT_SCALE_UP_THRESHOLD = 10;
    /** The queued requests one new worker is for in proportional mode, unless {@code target-per-worker} is set. */
    public static final int DEFAULT_TARGET_PER_WORKER = 1;
    /** The stabilization window of proportional mode unless set: HPA's default of five minutes. */
    public static final Duration DEFAULT_PROPORTIONAL_STABILIZATION = Duration.ofMinutes(5);

    /** How the policy turns metrics into a recommended size. */
    public enum Mode {
        /** Grow or shrink by {@code max-step} (default 1) when the queue passes a threshold or empties. */
        STEP("step"),
        /** Recommend {@code busy + ceil(queueDepth / target-per-worker)} workers. */
        PROPORTIONAL("proportional");

        private final String settingValue;

        Mode(String settingValue) {
            this.settingValue = settingValue;
        }

        /** {@return how the {@code mode} setting spells this mode} */
        public String settingValue() {
            return settingValue;
        }
    }

    /** When the policy may shrink the pool. */
    public enum ScaleDownWhen {
        /** Only while no request waits: the original rule. */
        QUEUE_EMPTY("queue-empty"),
        /** Never: the pool only grows (HPA's {@code selectPolicy: Disabled}); shrink it with min/max. */
        NEVER("never");

        private final String settingValue;

        ScaleDownWhen(String settingValue) {
            this.settingValue = settingValue;
        }

        /** {@return how the {@code scale-down-when} setting spells this value} */
        public String settingValue() {
            return settingValue;
        }
    }

    /** {@code maxStep} when there is no limit. */
    static final int UNLIMITED = Integer.MAX_VALUE;

    private final Mode mode;
    private final int scaleUpThreshold;
    private final int targetPerWorker;
    private final int maxStep;
    private final Duration scaleDownStabilization;
    private final ScaleDownWhen scaleDownWhen;
    private final RecommendationWindow window;

    private QueueDepthPolicy(Builder b) {
        mode = b.mode;
        scaleUpThreshold = b.scaleUpThreshold;
        targetPerWorker = b.targetPerWorker;
        maxStep = b.maxStep != 0 ? b.maxStep : mode == Mode.STEP ? 1 : UNLIMITED;
        scaleDownStabilization = b.scaleDownStabilization != null ? b.scaleDownStabilization
                : mode == Mode.STEP ? Duration.ZERO : DEFAULT_PROPORTIONAL_STABILIZATION;
        scaleDownWhen = b.scaleDownWhen;
        window = new RecommendationWindow(scaleDownStabilization);
    }

    /** {@return a builder; {@code builder().build()} is the original rule} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes a policy from name=value settings, as {@link QueueDepthPolicyProvider} does. The names:
     * {@code mode} ({@code step} or {@code proportional}), {@code scale-up-threshold},
     * {@code target-per-worker}, {@code max-step} (a whole number or {@code unlimited}),
     * {@code scale-down-stabilization} (a duration: {@code 500ms}, {@code 300s}, {@code 5m}, {@code 1h},
     * seconds alone, or ISO-8601 such as {@code PT30S}; see {@link PluginSettings#parseDuration}) and {@code scale-down-when} ({@code queue-empty} or
     * {@code never}).
     *
     * @param settings name to value; empty for the original rule
     * @return a new policy
     * @throws IllegalArgumentException if a name is unknown, a value is bad, or a setting does not apply to
     *     the mode; the message names the setting and echoes the value
     */
    public static QueueDepthPolicy fromSettings(Map<String, String> settings) {
        return QueueDepthSettings.parse(settings);
    }

    @Override
    public int desiredSize(ScalingContext context) {
        PoolMetrics m = context.metrics();
        int current = m.size();
        int recommended = clamp(recommend(m), context.minSize(), context.maxSize());
        int highestInWindow = window.record(context.now(), recommended);

        long desired = current;
        if (recommended > current) {
            desired = Math.min(recommended, (long) current + maxStep);
        } else if (recommended < current && mayScaleDown(m)) {
            int stabilized = Math.min(current, highestInWindow);
            desired = Math.max(stabilized, Math.max((long) current - maxStep, m.busy()));
        }
        return clamp(desired, context.minSize(), context.maxSize());
    }

    private long recommend(PoolMetrics m) {
        return switch (mode) {
            case STEP -> m.queueDepth() > scaleUpThreshold ? (long) m.size() + maxStep
                    : m.queueDepth() == 0 ? (long) m.size() - maxStep
                    : m.size();
            case PROPORTIONAL -> (long) m.busy() + Math.ceilDiv(m.queueDepth(), targetPerWorker);
        };
    }

    private boolean mayScaleDown(PoolMetrics m) {
        return switch (scaleDownWhen) {
            case QUEUE_EMPTY -> m.queueDepth() == 0;
            case NEVER -> false;
        };
    }

    private static int clamp(long n, int min, int max) {
        return (int) Math.max(min, Math.min(max, n));
    }

    /** {@return how this policy recommends a size} */
    public Mode mode() {
        return mode;
    }

    /** {@return the queue depth above which step mode grows the pool (not used in proportional mode)} */
    public int scaleUpThreshold() {
        return scaleUpThreshold;
    }

    /** {@return the queued requests one new worker is for in proportional mode (not used in step mode)} */
    public int targetPerWorker() {
        return targetPerWorker;
    }

    /** {@return the most workers one tick adds or retires; empty if there is no limit} */
    public OptionalInt maxStep() {
        return maxStep == UNLIMITED ? OptionalInt.empty() : OptionalInt.of(maxStep);
    }

    /** {@return how long a scale-down waits for the recommendations to stay low; zero for none} */
    public Duration scaleDownStabilization() {
        return scaleDownStabilization;
    }

    /** {@return when the policy may shrink the pool} */
    public ScaleDownWhen scaleDownWhen() {
        return scaleDownWhen;
    }

    /** {@return the settings, in the form {@link #fromSettings} reads} */
    @Override
    public String toString() {
        return QueueDepthPolicyProvider.NAME + "[mode=" + mode.settingValue()
                + (mode == Mode.STEP ? ", scale-up-threshold=" + scaleUpThreshold
                                     : ", target-per-worker=" + targetPerWorker)
                + ", max-step=" + (maxStep == UNLIMITED ? "unlimited" : String.valueOf(maxStep))
                + ", scale-down-stabilization=" + Durations.format(scaleDownStabilization)
                + ", scale-down-when=" + scaleDownWhen.settingValue() + "]";
    }

    /**
     * Builds a {@link QueueDepthPolicy}. Each option may be set once; a bad value fails at once with
     * {@link IllegalArgumentException}, an option that does not apply to the mode fails in {@link #build()}
     * with {@link IllegalStateException}. Not thread-safe; {@link #build()} may be called again for
     * another pool.
     */
    public static final class Builder {
        private final Set<String> explicit = new HashSet<>();
        private Mode mode = Mode.STEP;
        private int scaleUpThreshold = DEFAULT_SCALE_UP_THRESHOLD;
        private int targetPerWorker = DEFAULT_TARGET_PER_WORKER;
        private int maxStep; // 0: the mode's default
        private @Nullable Duration scaleDownStabilization; // null: the mode's default
        private ScaleDownWhen scaleDownWhen = ScaleDownWhen.QUEUE_EMPTY;

        private Builder() {
        }

        /**
         * Sets how the policy recommends a size.
         *
         * @param mode how to recommend a size (default {@link Mode#STEP})
         * @return this builder
         */
        public Builder mode(Mode mode) {
            once("mode", this.mode);
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Sets the queue depth above which step mode grows the pool.
         *
         * @param depth step mode grows the pool when more requests than this wait (default 10)
         * @return this builder
         */
        public Builder scaleUpThreshold(int depth) {
            once("scaleUpThreshold", scaleUpThreshold);
            if (depth < 0) {
                throw new IllegalArgumentException("scaleUpThreshold is " + depth + ", but must be ≥ 0");
            }
            scaleUpThreshold = depth;
            return this;
        }

        /**
         * Sets the queued requests one new worker is for in proportional mode.
         *
         * @param requests proportional mode wants one worker per this many queued requests (default 1)
         * @return this builder
         */
        public Builder targetPerWorker(int requests) {
            once("targetPerWorker", targetPerWorker);
            if (requests < 1) {
                throw new IllegalArgumentException("targetPerWorker is " + requests + ", but must be ≥ 1");
            }
            targetPerWorker = requests;
            return this;
        }

        /**
         * Limits how many workers one tick may add or retire.
         *
         * @param workers the most workers one tick may add or retire (default 1 in step mode, no limit in
         *     proportional mode)
         * @return this builder
         */
        public Builder maxStep(int workers) {
            once("maxStep", maxStep == 0 ? "the mode's default" : maxStep);
            if (workers < 1) {
                throw new IllegalArgumentException("maxStep is " + workers + ", but must be ≥ 1");
            }
            maxStep = workers;
            return this;
        }

        /**
         * Lets one tick move the pool any distance (the default in proportional mode).
         *
         * @return this builder
         */
        public Builder unlimitedStep() {
            once("maxStep", maxStep == 0 ? "the mode's default" : maxStep);
            maxStep = UNLIMITED;
            return this;
        }

        /**
         * Sets the scale-down stabilization window.
         *
         * @param window shrink only to the highest size recommended within this window (default zero in
         *     step mode, five minutes in proportional mode)
         * @return this builder
         */
        public Builder scaleDownStabilization(Duration window) {
            once("scaleDownStabilization", scaleDownStabilization);
            Objects.requireNonNull(window, "scaleDownStabilization");
            if (window.isNegative()) {
                throw new IllegalArgumentException("scaleDownStabilization is " + Durations.format(window) + ", but must be ≥ 0");
            }
            scaleDownStabilization = window;
            return this;
        }

        /**
         * Sets when the policy may shrink the pool.
         *
         * @param when when the policy may shrink the pool (default {@link ScaleDownWhen#QUEUE_EMPTY})
         * @return this builder
         */
        public Builder scaleDownWhen(ScaleDownWhen when) {
            once("scaleDownWhen", scaleDownWhen);
            scaleDownWhen = Objects.requireNonNull(when, "scaleDownWhen");
            return this;
        }

        /**
         * Builds the policy; may be called again for another pool.
         *
         * @return a new policy with its own stabilization window
         * @throws IllegalStateException if an option was set that the mode does not use
         */
        public QueueDepthPolicy build() {
            if (mode == Mode.PROPORTIONAL && explicit.contains("scaleUpThreshold")) {
                throw new IllegalStateException("scaleUpThreshold (" + scaleUpThreshold
                        + ") applies to mode STEP only, but mode is PROPORTIONAL; use targetPerWorker");
            }
            if (mode == Mode.STEP && explicit.contains("targetPerWorker")) {
                throw new IllegalStateException("targetPerWorker (" + targetPerWorker
                        + ") applies to mode PROPORTIONAL only, but mode is STEP; use scaleUpThreshold");
            }
            return new QueueDepthPolicy(this);
        }

        private void once(String option, @Nullable Object current) {
            if (!explicit.add(option)) {
                throw new IllegalStateException(option + " was already set to " + current);
            }
        }
    }
}
