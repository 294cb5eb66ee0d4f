package dev.warmpool.core;

import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.spi.Worker;

/**
 * One place in the pool and the worker in it. Every field is guarded by the pool's lock, except
 * {@link #worker}, which is written once (under the lock) before the slot becomes idle.
 */
final class Slot {
    enum State { STARTING, IDLE, BUSY, DEAD }

    final String id;
    final SpawnCause spawnCause;
    /** The slot this one replaces when it is ready (recycling), or null. */
    final Slot replaces;
    State state = State.STARTING;
    Worker worker;
    Thread starter;
    long readyNanos;
    long lastUsedNanos;
    int served;
    int recycleAfter;
    /** The request the worker is running, or null (also null during a health ping). */
    Pending<?> current;
    long runDeadlineNanos;
    long runLimitNanos;
    /** Set once the run deadline passed: when the cancel grace ends, the worker is killed. */
    long cancelDeadlineNanos;
    /** Leaving the pool on purpose; not counted toward the target size. */
    boolean retiring;
    /** A replacement is being started; not counted toward the target size. */
    boolean recyclePending;
    /** Retire as soon as the current request completes. */
    boolean retireAfterCall;
    /** Why the worker is being retired; decides the spawn cause of its replacement. */
    SpawnCause retireCause;

    Slot(String id, SpawnCause spawnCause, Slot replaces) {
        this.id = id;
        this.spawnCause = spawnCause;
        this.replaces = replaces;
    }

    /** @return whether the slot counts toward the target size */
    boolean counts() {
        return state != State.DEAD && !retiring && !recyclePending;
    }

    long pid() {
        Worker w = worker;
        return w == null ? -1 : w.pid().orElse(-1);
    }

    @Override
    public String toString() {
        return id;
    }
}
