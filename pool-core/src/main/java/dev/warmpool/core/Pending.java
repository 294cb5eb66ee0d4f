package dev.warmpool.core;

import dev.warmpool.api.Request;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
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
     * its worker to cancel, and that a caller waiting alone spins briefly before it parks
     * ({@link #spinWhileAlone}). Dependent stages are plain futures.
     */
    static final class PoolFuture<T> extends CompletableFuture<@Nullable T> {
        /** Threads blocked in {@code join()}/{@code get()} on any pool's future, spinning or parked. */
        private static final AtomicInteger WAITERS = new AtomicInteger();
        /**
         * How long a caller waiting alone spins before it parks: longer than a warm round trip on an
         * idle machine (about 30 µs here). {@code -Dwarmpool.waitSpinMicros=0} turns spinning off
         * (the benchmarks compare both in one run). Spinning needs a second CPU: on one, it only
         * delays the thread that would complete the future.
         */
        private static final long SPIN_NANOS = Runtime.getRuntime().availableProcessors() > 1
                ? Long.getLong("warmpool.waitSpinMicros", 50) * 1_000 : 0;
        /** The most waits that park at once after spins that did not pay: one spin in 1,024 waits. */
        private static final int MAX_BACKOFF = 1023;
        /** Waits that park at once before a spin is tried again. Racy on purpose: it only steers. */
        private static volatile int skipsLeft;
        /** What the next spin that does not pay adds to {@link #skipsLeft}; 0 after one that paid. */
        private static volatile int backoff;

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
        public @Nullable T join() {
            WAITERS.incrementAndGet();
            try {
                spinWhileAlone();
                return super.join();
            } finally {
                WAITERS.decrementAndGet();
            }
        }

        @Override
        public @Nullable T get() throws InterruptedException, ExecutionException {
            WAITERS.incrementAndGet();
            try {
                spinWhileAlone();
                return super.get();
            } finally {
                WAITERS.decrementAndGet();
            }
        }

        /**
         * A caller waiting alone spins for up to {@link #SPIN_NANOS} before it parks, so that the
         * answer reaches it without a wake-up. On an idle machine a wake-up is the most expensive part
         * of a warm request: its CPU has gone to sleep, and waking it costs more than the pipe, the
         * worker and the JSON together (warm {@code jsonrpc} p50 70 µs parked, 30 µs spinning, against
         * a 66 µs pipe floor; {@code LatencyBenchmark}). A spin that ends without the answer (a long
         * request, or a busy machine where it takes the CPU the worker needs) is not tried again for
         * the next 1, 3, 7 … 1,023 waits; one that pays resets that. With other callers waiting the
         * CPU is worth more to the threads that produce answers, so it parks at once.
         */
        private void spinWhileAlone() {
            if (SPIN_NANOS == 0 || isDone() || WAITERS.get() != 1) {
                return;
            }
            int skips = skipsLeft;
            if (skips > 0) {
                skipsLeft = skips - 1;
                return;
            }
            long start = System.nanoTime();
            do {
                for (int i = 0; i < 32; i++) {
                    if (isDone()) {
                        backoff = 0;
                        return;
                    }
                    Thread.onSpinWait();
                }
            } while (System.nanoTime() - start < SPIN_NANOS && WAITERS.get() == 1);
            int b = Math.min(backoff * 2 + 1, MAX_BACKOFF);
            backoff = b;
            skipsLeft = b;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }
}
