package dev.warmpool.core;

import dev.warmpool.api.Request;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A submitted request and the future its caller holds. Whoever ends the request first (a result, a
 * failure, a deadline, the caller's cancel) claims it with {@link #end()}, counts it in the metrics,
 * and only then completes the future: each request is counted exactly once, before its caller sees it.
 */
final class Pending<T> {
    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(Pending.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Request<T> request;
    final PoolFuture<T> future;
    final long submittedNanos;
    /** When a worker took it, or 0 while queued. Guarded by the pool's lock. */
    long startedNanos;
    /** The slot running it, or null. Guarded by the pool's lock. */
    @Nullable Slot slot;

    @SuppressWarnings("unused") // through ENDED
    private volatile boolean ended;

    Pending(Request<T> request, Cancellation onCancel, long submittedNanos) {
        this.request = request;
        this.future = new PoolFuture<>(this, onCancel);
        this.submittedNanos = submittedNanos;
    }

    /** @return whether the request has ended (its future may still be completing) */
    boolean ended() {
        return ended;
    }

    /** @return {@code true} for the one caller that ends this request */
    boolean end() {
        return ENDED.compareAndSet(this, false, true);
    }

    /** What the pool does when a caller cancels a request it has claimed. */
    interface Cancellation {
        /** @param p the request, already ended; count it, then take it out of the queue or ask its worker to stop */
        void cancelled(Pending<?> p);
    }

    /**
     * The caller's future: an ordinary {@link CompletableFuture} (so {@code join()} is
     * {@code get()}), except that cancelling it ends the request in the pool, counts it, and asks
     * its worker to cancel. Dependent stages are plain futures.
     */
    static final class PoolFuture<T> extends CompletableFuture<@Nullable T> {
        private final Pending<T> pending;
        private final Cancellation onCancel;

        private PoolFuture(Pending<T> pending, Cancellation onCancel) {
            this.pending = pending;
            this.onCancel = onCancel;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (!pending.end()) {
                return false;
            }
            onCancel.cancelled(pending); // counted before the caller can see the cancellation
            return super.cancel(mayInterruptIfRunning);
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }
}
