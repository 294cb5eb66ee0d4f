package dev.warmpool.handler;

import dev.warmpool.handler.HandlerResult.Failure;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a {@link HandlerPool}'s counters: events by how they were served, results by
 * failure, and the {@code auto} mode's switches. Immutable.
 *
 * @param serving how new events are served now
 * @param warm events that ended, sent to the warm pool (those it turned away included, unless {@code auto} then ran them cold)
 * @param cold events that ended, served by a cold {@code claude -p} (in {@code spawn} mode, or as {@code auto}'s fallback)
 * @param fallback of the cold events, those {@code auto} served cold because the warm pool could not
 * @param coldRunning cold processes running now (at most {@code HANDLER_POOL_MAX})
 * @param switchesToCold how often {@code auto} switched from warm to cold (a failed first start counts)
 * @param switchesToWarm how often {@code auto} switched back to warm
 * @param succeeded events whose result was a success
 * @param failed results by failure, every {@link Failure} but {@link Failure#NONE} present
 */
public record HandlerMetrics(Serving serving, long warm, long cold, long fallback, int coldRunning,
                             long switchesToCold, long switchesToWarm, long succeeded, Map<Failure, Long> failed) {
    /** Copies the map, filling in zero for the failures not given. */
    public HandlerMetrics {
        Objects.requireNonNull(serving, "serving");
        EnumMap<Failure, Long> m = new EnumMap<>(Failure.class);
        for (Failure f : Failure.values()) {
            if (f != Failure.NONE) {
                m.put(f, failed.getOrDefault(f, 0L));
            }
        }
        failed = Collections.unmodifiableMap(m);
    }

    /**
     * {@return the number of events that ended: every result handed out, those rejected before they were sent
     *     warm or cold included}
     */
    public long completed() {
        return succeeded + failed.values().stream().mapToLong(Long::longValue).sum();
    }
}
