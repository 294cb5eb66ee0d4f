package dev.warmpool.scaler.queuedepth;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The highest size recommended within the last {@code length}, in the manner of the HPA's scale-down
 * stabilization window.
 *
 * <p>Kept as a monotonic queue: a recommendation is dropped once a newer one is at least as high, since it
 * can never again be the highest. So each call costs O(1) amortized, and the queue holds at most one entry
 * per distinct falling value, however often the pool ticks.
 *
 * <p>Times come from {@link dev.warmpool.api.spi.ScalingContext#now()} and are expected not to go backwards; if
 * they do, a recommendation "from the future" is simply kept until the clock passes it again. Not
 * thread-safe.
 */
final class RecommendationWindow {
    private record Entry(Instant at, int size) {
    }

    private final Duration length;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    RecommendationWindow(Duration length) {
        this.length = length;
    }

    /**
     * @param now the time of this recommendation
     * @param size the recommended size
     * @return the highest size recommended in {@code [now - length, now]}, this one included; with a
     *     window of zero, just {@code size}, even if an earlier call had the same {@code now}
     */
    int record(Instant now, int size) {
        if (length.isZero()) {
            return size;
        }
        while (!entries.isEmpty() && entries.peekLast().size() <= size) {
            entries.pollLast();
        }
        entries.addLast(new Entry(now, size));
        Instant oldest;
        try {
            oldest = now.minus(length);
        } catch (DateTimeException | ArithmeticException windowReachesBeforeInstantMin) {
            oldest = Instant.MIN;
        }
        // Stops at the entry just added at the latest, because now - length <= now.
        while (entries.peekFirst().at().isBefore(oldest)) {
            entries.pollFirst();
        }
        return entries.peekFirst().size();
    }

    /** @return how many recommendations are kept (for tests) */
    int retained() {
        return entries.size();
    }
}
