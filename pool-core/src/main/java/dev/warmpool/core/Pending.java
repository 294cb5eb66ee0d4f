package dev.warmpool.core;

import dev.warmpool.api.Request;
import dev.warmpool.api.spi.Worker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
    /** When the queue-wait deadline passes, or 0 for none. Guarded by the pool's lock. */
    long queueDeadlineNanos;
    /** When a worker took it, or 0 while queued. Guarded by the pool's lock. */
    long startedNanos;
    /** The slot running it, or null. Guarded by the pool's lock. */
    Slot slot;
    /** The worker it was sent to, and the worker's future for it; set together once it was sent. */
    private volatile Sent sent;

    @SuppressWarnings("unused") // through ENDED
    private volatile boolean ended;

    Pending(Request<T> request, PoolFuture<T> future, long submittedNanos) {
        this.request = request;
        this.future = future;
        this.submittedNanos = submittedNanos;
    }

    /** Records where the request went, so that a caller waiting in {@code join()} can read its answer. */
    void sent(Worker worker, CompletableFuture<?> call) {
        sent = new Sent(worker, call);
    }

    /** @return whether the request has ended (its future may still be completing) */
    boolean ended() {
        return ended;
    }

    /** @return {@code true} for the one caller that ends this request */
    boolean end() {
        return ENDED.compareAndSet(this, false, true);
    }

    private record Sent(Worker worker, CompletableFuture<?> call) {}

    /**
     * The caller's future: cancelling it asks the pool to cancel the request on its worker, and
     * {@link #join()} on a platform thread lets the worker's transport read the answer on the
     * waiting thread ({@link Worker#readUntilDone}), which spares a thread hand-off. Not after
     * {@link #orTimeout} or {@link #completeOnTimeout}: a thread in {@code read()} could not return
     * at that timeout.
     */
    static final class PoolFuture<T> extends CompletableFuture<T> {
        private final WarmPool pool;
        Pending<T> pending;
        /** Whether a timeout of the caller's own may complete it: then join() must not sit in read(). */
        private volatile boolean timed;

        PoolFuture(WarmPool pool) {
            this.pool = pool;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (!pending.end()) {
                return false;
            }
            pool.cancelledByCaller();
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            pool.cancelled(pending);
            return cancelled;
        }

        @Override
        public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
            timed = true;
            return super.orTimeout(timeout, unit);
        }

        @Override
        public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
            timed = true;
            return super.completeOnTimeout(value, timeout, unit);
        }

        @Override
        public T join() {
            Sent s = isDone() || timed ? null : pending.sent;
            if (s != null && !s.call.isDone()) {
                s.worker.readUntilDone(s.call);
            }
            return super.join();
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }
}
