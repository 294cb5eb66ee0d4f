package dev.warmpool.core;

import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.spi.Worker;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One place in the pool and the worker in it. Every field is guarded by the pool's lock (see
 * {@link SlotTable}), except {@link #worker}, which is written once, under the lock, before the
 * slot leaves {@link State#STARTING}, and read afterwards by whoever holds the slot.
 */
final class Slot {
    /**
     * Where the slot stands. STARTING: its worker is being started. IDLE: in the idle set. BUSY:
     * taken out of the idle set, by a request ({@link #current}), a ping ({@link #pinging}) or its
     * killing ({@link #retiring}). RETIRING: out of the idle set while its worker is stopped
     * politely (recycled, scaled down). DEAD: out of the pool.
     */
    enum State { STARTING, IDLE, BUSY, RETIRING, DEAD }

    final String id;
    final SpawnCause spawnCause;
    /** The slot this one replaces once it is ready (recycling), or null. */
    final @Nullable Slot replaces;
    State state = State.STARTING;
    /** Set once its start succeeded, before the slot is idle or busy; null while it starts (Shutdown checks). */
    @SuppressWarnings("NullAway.Init")
    volatile Worker worker;
    /** The worker's process id, read once it is ready (so that nobody asks the transport under the lock). */
    volatile OptionalLong pid = OptionalLong.empty();
    /** The worker's host ({@link Worker#host()}), read once it is ready, as {@link #pid} is. */
    volatile Optional<String> host = Optional.empty();
    @Nullable Thread starter;
    long readyNanos;
    long lastUsedNanos;
    int served;
    int recycleAfter;
    /** Whether its worker has answered anything (a request or a ping): it works. */
    boolean proven;
    /** The request the worker is running, or null. */
    @Nullable Pending<?> current;
    /** Whether the worker is being pinged. */
    boolean pinging;
    long runDeadlineNanos;
    long runLimitNanos;
    /** Whether its worker was asked to cancel (the run deadline passed, or the caller cancelled). */
    boolean cancelling;
    /** When the cancel grace ends and the worker is killed, if it is {@link #cancelling}. */
    long cancelDeadlineNanos;
    /** Whether the housekeeper has killed it. */
    boolean killed;
    /** Leaving the pool on purpose; not counted toward the target size. */
    boolean retiring;
    /** Its request failed because the worker died, while nobody was stopping it: it left by accident. */
    boolean crashed;
    /** A replacement is being started; not counted toward the target size. */
    boolean recyclePending;
    /** Retire as soon as the current request completes. */
    boolean retireAfterCall;
    /** Why the worker is being retired; decides the spawn cause of its replacement. */
    @Nullable SpawnCause retireCause;
    /** Completes once the pool has dealt with its worker's exit (the request it held ended, its replacement asked for). */
    final CompletableFuture<Void> gone = new CompletableFuture<>();

    Slot(String id, SpawnCause spawnCause, @Nullable Slot replaces) {
        this.id = id;
        this.spawnCause = spawnCause;
        this.replaces = replaces;
    }

    /** @return whether the slot counts toward the target size */
    boolean counts() {
        return state != State.DEAD && !retiring && !recyclePending;
    }

    /** @return the worker's process id, once it has a worker that is a process */
    OptionalLong pid() {
        return pid;
    }

    /** @return the slot for a log line or message: {@code "w-3 (pid 1234)"}, or {@code "w-3"} */
    String describe() {
        OptionalLong pid = pid();
        return pid.isPresent() ? id + " (pid " + pid.getAsLong() + ")" : id;
    }

    @Override
    public String toString() {
        return id;
    }
}
