package dev.warmpool.scaler.queuedepth;

import dev.warmpool.api.spi.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool reduced to what scaling sees: a number of outstanding requests (the demand) spread over the
 * workers, the rest queued. Each tick asks the policy and takes its answer at once (new workers are ready
 * by the next tick), and advances a clock the test owns: the policy never sees the wall clock.
 */
final class SimulatedPool {
    private final ScalingPolicy policy;
    private final int min;
    private final int max;
    private final Duration interval;
    private final List<Integer> sizes = new ArrayList<>();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private int size;

    SimulatedPool(ScalingPolicy policy, int size, int min, int max, Duration interval) {
        this.policy = policy;
        this.size = size;
        this.min = min;
        this.max = max;
        this.interval = interval;
    }

    /** Runs one tick with this many outstanding requests. @return the size after the tick */
    int tick(int demand) {
        int busy = Math.min(demand, size);
        size = policy.desiredSize(Tick.of(size - busy, busy, demand - busy, min, max, now));
        sizes.add(size);
        now = now.plus(interval);
        return size;
    }

    /** Runs a tick per demand. @return the size after each */
    List<Integer> run(int... demands) {
        List<Integer> out = new ArrayList<>();
        for (int d : demands) {
            out.add(tick(d));
        }
        return out;
    }

    /** @return how many ticks changed the size */
    int changes(int initialSize) {
        int n = 0;
        int previous = initialSize;
        for (int s : sizes) {
            if (s != previous) {
                n++;
            }
            previous = s;
        }
        return n;
    }
}
