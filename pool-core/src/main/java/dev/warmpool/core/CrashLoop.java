package dev.warmpool.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.DoubleSupplier;

/**
 * The pool's memory of failed worker starts: how long to wait before the next start, and whether
 * starts fail so often that the pool is unhealthy.
 *
 * <p>A failure is a start that failed, or a worker that exited on its own while idle, before it
 * answered anything (it came up, but could not stay up: a crash loop all the same). A worker that
 * dies while running a request is not a failure here: the request may be to blame, or whoever
 * killed it. A success is a worker's first answer, to a request or a ping. The delay before the next start doubles with each failure
 * in a row from {@code initial}, is multiplied by a random factor between 0.5 and 1.5 so that
 * pools do not retry in step, and never exceeds {@code max}. Once {@code threshold} failures fall
 * within {@code window}, the pool is unhealthy until the next success.
 *
 * <p>Pure: it reads no clock and starts no thread. The caller passes each instant (nanoseconds on
 * any monotonic scale, as from {@link System#nanoTime()}) and the random source, so every decision
 * is a function of its inputs. Not thread-safe: the pool calls it under its lock.
 */
final class CrashLoop {
    private final long initialNanos;
    private final long maxNanos;
    private final int threshold;
    private final long windowNanos;
    private final DoubleSupplier random;
    /** When the failures within the window happened, oldest first. */
    private final ArrayDeque<Long> failures = new ArrayDeque<>();
    private int inARow;
    private boolean unhealthy;

    /**
     * What one failure decided.
     *
     * @param backoffNanos how long to wait before the next start
     * @param becameUnhealthy whether this failure made the pool unhealthy
     * @param inWindow the failures within the window, this one included
     */
    record Decision(long backoffNanos, boolean becameUnhealthy, int inWindow) {}

    /**
     * @param initial the delay after the first failure in a row
     * @param max the longest delay
     * @param threshold failures within {@code window} that make the pool unhealthy
     * @param window the window
     * @param random values in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}
     */
    CrashLoop(Duration initial, Duration max, int threshold, Duration window, DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.threshold = threshold;
        this.windowNanos = window.toNanos();
        this.random = random;
    }

    /**
     * @param now when the start failed
     * @return how long to wait, and whether the pool just became unhealthy
     */
    Decision failed(long now) {
        inARow++;
        failures.addLast(now);
        prune(now);
        boolean became = !unhealthy && failures.size() >= threshold;
        unhealthy |= became;
        double factor = 0.5 + random.getAsDouble();
        long delay = (long) Math.min((double) maxNanos, step(inARow) * factor);
        return new Decision(delay, became, failures.size());
    }

    /** @return the delay before jitter after {@code n} failures in a row: doubling, capped at max */
    private long step(int n) {
        long d = initialNanos;
        for (int i = 1; i < n && d < maxNanos; i++) {
            d = d > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : d * 2;
        }
        return Math.min(d, maxNanos);
    }

    /**
     * A worker answered for the first time.
     *
     * @return whether the pool was unhealthy until now
     */
    boolean succeeded() {
        inARow = 0;
        boolean was = unhealthy;
        unhealthy = false;
        if (was) {
            failures.clear();
        }
        return was;
    }

    /** @return whether starts keep failing: the pool fails requests fast while no worker is up */
    boolean unhealthy() {
        return unhealthy;
    }

    /**
     * @param now the current instant
     * @return the failures within the window before {@code now}
     */
    int failuresInWindow(long now) {
        prune(now);
        return failures.size();
    }

    private void prune(long now) {
        while (!failures.isEmpty() && now - failures.peekFirst() > windowNanos) {
            failures.pollFirst();
        }
    }
}
