package dev.warmpool.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond ticker that moves only when a test says so. */
final class ManualTicker implements LongSupplier {
    // far from zero, and negative, as System.nanoTime() may be: deadlines must not rely on its sign
    private final AtomicLong now = new AtomicLong(-1_000_000_000_000L);

    @Override
    public long getAsLong() {
        return now.get();
    }

    /** @param d how far to move time on */
    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
