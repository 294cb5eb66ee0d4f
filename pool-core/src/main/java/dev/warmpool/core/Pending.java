package dev.warmpool.core;

import dev.warmpool.api.Request;
import java.util.concurrent.CompletableFuture;

/**
 * A submitted request and the future its caller holds. The future completes exactly once
 * (CompletableFuture's own guarantee); whoever completes it first counts it in the metrics.
 */
final class Pending<T> {
    final Request<T> request;
    final PoolFuture<T> future;
    final long submittedNanos;
    /** When the queue-wait deadline passes, or 0 for none. Guarded by the pool's lock. */
    long queueDeadlineNanos;
    /** When a worker took it, or 0 while queued. Guarded by the pool's lock. */
    long startedNanos;
    /** The slot running it, or null. Guarded by the pool's lock. */
    Slot slot;

    Pending(Request<T> request, PoolFuture<T> future, long submittedNanos) {
        this.request = request;
        this.future = future;
        this.submittedNanos = submittedNanos;
    }

    /** The caller's future: cancelling it asks the pool to cancel the request on its worker. */
    static final class PoolFuture<T> extends CompletableFuture<T> {
        private final WarmPool pool;
        Pending<T> pending;

        PoolFuture(WarmPool pool) {
            this.pool = pool;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                pool.cancelled(pending);
            }
            return cancelled;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }
}
