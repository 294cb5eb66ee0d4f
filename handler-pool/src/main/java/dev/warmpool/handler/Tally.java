package dev.warmpool.handler;

import dev.warmpool.handler.HandlerResult.Failure;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/** The event counters behind {@link HandlerMetrics}: each result is counted once, as it is handed out. Thread-safe. */
final class Tally {
    private final LongAdder warm = new LongAdder();
    private final LongAdder cold = new LongAdder();
    private final LongAdder fallback = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final EnumMap<Failure, LongAdder> failed = new EnumMap<>(Failure.class);

    Tally() {
        for (Failure f : Failure.values()) {
            failed.put(f, new LongAdder());
        }
    }

    /**
     * @param result the event's result
     * @param asFallback whether {@code auto} served it cold because the warm pool could not
     * @return {@code result}
     */
    HandlerResult count(HandlerResult result, boolean asFallback) {
        (result.servedBy() == Serving.WARM ? warm : cold).increment();
        if (asFallback) {
            fallback.increment();
        }
        return outcome(result);
    }

    /** Counts the result of an event turned away before it was sent warm or cold (by failure only). */
    HandlerResult countUnserved(HandlerResult result) {
        return outcome(result);
    }

    private HandlerResult outcome(HandlerResult result) {
        if (result.success()) {
            succeeded.increment();
        } else {
            // the constructor put a counter for every Failure
            Objects.requireNonNull(failed.get(result.failure()), "a failure's counter").increment();
        }
        return result;
    }

    HandlerMetrics snapshot(ServingSwitch serving, int coldRunning) {
        Map<Failure, Long> f = new EnumMap<>(Failure.class);
        failed.forEach((k, v) -> f.put(k, v.sum()));
        return new HandlerMetrics(serving.serving(), warm.sum(), cold.sum(), fallback.sum(), coldRunning,
                serving.switchesToCold(), serving.switchesToWarm(), succeeded.sum(), f);
    }
}
