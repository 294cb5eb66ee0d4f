package dev.warmpool.metrics.micrometer;

import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.RequestObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Records each request of a pool in two Timers of one registry, tagged by outcome: the queue wait
 * of every request, and the run time of each one a worker took.
 *
 * <p>Each timer publishes a percentile histogram (buckets from {@link #MIN} to {@link #MAX}), so a
 * Prometheus or OTLP backend can compute percentiles over any window and across pods. That is
 * about 70 buckets a series, so the {@code success} timers are registered at once, and a failure's
 * only when a request first fails that way. Holds the registry, never the pool. Thread-safe.
 */
final class RequestTimers implements RequestObserver {
    static final String QUEUE_WAIT = "warmpool.request.queue.wait";
    static final String RUN = "warmpool.request.run";
    /** The smallest latency the histograms tell apart: a warm request takes about 10 µs. */
    static final Duration MIN = Duration.ofNanos(1_000);
    /** The largest: the default run timeout ({@code HANDLER_REQUEST_TIMEOUT}, 300 s). */
    static final Duration MAX = Duration.ofMinutes(5);

    private static final Failure[] FAILURES = Failure.values();

    private final MeterRegistry registry;
    private final Tags tags;
    /** Index 0 is success, 1 + ordinal a failure; filled as outcomes first happen. */
    private final AtomicReferenceArray<@Nullable Timer> waits = new AtomicReferenceArray<>(FAILURES.length + 1);
    private final AtomicReferenceArray<@Nullable Timer> runs = new AtomicReferenceArray<>(FAILURES.length + 1);

    /**
     * Registers the {@code success} timers now.
     *
     * @param registry where the timers are
     * @param tags the binder's tags, {@code pool} included
     */
    RequestTimers(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        timer(true, 0);
        timer(false, 0);
    }

    @Override
    public void succeeded(String method, long queueWaitNanos, long runNanos) {
        record(0, queueWaitNanos, runNanos);
    }

    @Override
    @SuppressWarnings("EnumOrdinal") // the index into the two arrays above, as an EnumMap's; FAILURES is values()
    public void failed(String method, long queueWaitNanos, long runNanos, Failure failure) {
        record(1 + failure.ordinal(), queueWaitNanos, runNanos);
    }

    private void record(int outcome, long queueWaitNanos, long runNanos) {
        timer(true, outcome).record(queueWaitNanos, TimeUnit.NANOSECONDS);
        if (runNanos != NOT_RUN) {
            timer(false, outcome).record(runNanos, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(boolean wait, int outcome) {
        AtomicReferenceArray<@Nullable Timer> timers = wait ? waits : runs;
        Timer t = timers.get(outcome);
        if (t == null) {
            // two threads may both get here; Micrometer's register returns the one meter to both
            t = register(wait, outcome == 0 ? "success" : WarmPoolMetrics.tagValue(FAILURES[outcome - 1]));
            timers.set(outcome, t);
        }
        return t;
    }

    private Timer register(boolean wait, String outcome) {
        return Timer.builder(wait ? QUEUE_WAIT : RUN)
                .description(wait
                        ? "How long requests waited for a worker (until they ended, if none took them), by outcome"
                        : "How long workers took to answer, or to fail, by outcome")
                .tags(tags).tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(MIN)
                .maximumExpectedValue(MAX)
                .register(registry);
    }
}
