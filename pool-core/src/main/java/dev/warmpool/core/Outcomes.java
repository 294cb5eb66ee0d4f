package dev.warmpool.core;

import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerPoolException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Ends requests: claims each one once ({@link Pending#end()}), counts it, reports it to the JDK
 * Flight Recorder and the {@link RequestObservers}, then completes its future. Also types what a
 * transport failed a call with, and names the metrics bucket of a failure.
 *
 * <p>Where a future is completed decides where the caller's dependent stages run. With a callback
 * executor (a {@link dev.warmpool.api.PoolConfig} option), always there. Without one, a completion
 * runs on the thread that ends the request ({@link #succeed}, {@link #fail(Pending, Throwable)}), except
 * that the housekeeper hands its completions to another thread ({@link #failOffThread}) so that no
 * caller's callback can hold up the deadlines of the whole pool. Thread-safe.
 */
final class Outcomes {
    private final Metrics metrics;
    private final JfrEvents jfr;
    private final RequestObservers observers;
    /** Runs completions: the callback executor, or null for the calling thread. */
    private final @Nullable Executor callbacks;
    /** Runs completions that must leave the calling thread: the callback executor, or a new thread. */
    private final Executor offThread;

    /**
     * @param callbacks the callback executor, or null to complete on the thread that ends a request
     * @param offThread completes what must leave the ending thread
     */
    Outcomes(Metrics metrics, JfrEvents jfr, RequestObservers observers, @Nullable Executor callbacks, Executor offThread) {
        this.metrics = metrics;
        this.jfr = jfr;
        this.observers = observers;
        this.callbacks = callbacks;
        this.offThread = offThread;
    }

    /** Ends {@code p} with its result, unless it already ended. */
    <T> void succeed(Pending<T> p, @Nullable T value) {
        if (p.end()) {
            metrics.succeeded.increment();
            if (JfrEvents.requestsOn()) {
                jfr.request(p, null, null);
            }
            observers.ended(p, null);
            if (callbacks == null) {
                p.future.complete(value); // the common path: no hand-off, no allocation
            } else {
                run(callbacks, () -> p.future.complete(value));
            }
        }
    }

    /** Ends {@code p} with {@code cause}, counted as {@link #classify classified}, unless it already ended. */
    void fail(Pending<?> p, Throwable cause) {
        fail(p, cause, classify(cause), callbacks);
    }

    /** Ends {@code p} with {@code cause}, counted as {@code kind}, unless it already ended. */
    void fail(Pending<?> p, Throwable cause, Failure kind) {
        fail(p, cause, kind, callbacks);
    }

    /** Like {@link #fail(Pending, Throwable, Failure)}, but completes on this thread, whatever the callback executor. */
    void failNow(Pending<?> p, Throwable cause, Failure kind) {
        fail(p, cause, kind, null);
    }

    /** Like {@link #fail(Pending, Throwable, Failure)}, but never runs the caller's callbacks on this thread. */
    void failOffThread(Pending<?> p, Throwable cause, Failure kind) {
        fail(p, cause, kind, offThread);
    }

    private void fail(Pending<?> p, Throwable cause, Failure kind, @Nullable Executor where) {
        if (p.end()) {
            metrics.failed(kind);
            if (JfrEvents.requestsOn()) {
                jfr.request(p, cause, kind);
            }
            observers.ended(p, kind);
            run(where, () -> p.future.completeExceptionally(cause));
        }
    }

    private static void run(@Nullable Executor where, Runnable completion) {
        if (where == null) {
            completion.run();
            return;
        }
        try {
            where.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run(); // an executor that was shut down: the request still ends
        }
    }

    /**
     * Keeps the promise that a request fails with a {@link WorkerPoolException}, or with the
     * caller's own {@link IllegalArgumentException}: wraps anything else a transport failed with.
     *
     * @param workerId the worker that ran the request
     * @param error what the transport's future failed with
     * @return what the caller's future fails with
     */
    static Throwable typed(String workerId, Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof WorkerPoolException || t instanceof IllegalArgumentException
                || t instanceof CancellationException) {
            return t;
        }
        String what = t.getMessage() == null ? t.toString() : t.getMessage();
        return new WorkerPoolException("worker " + workerId + " could not complete the request: " + what, t);
    }

    /**
     * @param t a failure, as {@link #typed} returns it
     * @return the metrics bucket it is counted in
     */
    static Failure classify(Throwable t) {
        return switch (t) {
            case WorkerErrorException e -> Failure.WORKER_ERROR;
            case WorkerCrashedException e -> Failure.CRASHED;
            case ProtocolException e -> Failure.PROTOCOL;
            case RequestTimeoutException e ->
                    e.phase() == RequestTimeoutException.Phase.QUEUE ? Failure.QUEUE_TIMEOUT : Failure.RUN_TIMEOUT;
            case PoolRejectedException e -> Failure.REJECTED;
            case IllegalArgumentException e -> Failure.INVALID_REQUEST;
            default -> Failure.ABORTED;
        };
    }

    /** @return {@code t} without the {@link CompletionException} or {@link ExecutionException} around it */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
