package dev.warmpool.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A pool of warm worker processes. Requests go to an idle worker, or wait in a bounded FIFO queue
 * until one is free.
 *
 * <p>Every returned future completes exactly once: with the result, with a
 * {@link WorkerPoolException} subtype, or, for the caller's own mistake, with an
 * {@link IllegalArgumentException}. Nothing is lost and nothing hangs: a run deadline applies to
 * every request, and shutting down fails what it cannot finish. A request is counted in
 * {@link #metrics()} before its future completes.
 *
 * <p><b>Waiting for an answer.</b> {@code join()}, {@code get()} and dependent stages see the same
 * outcome at the same moment: the future is an ordinary {@link CompletableFuture}, completed once,
 * and waiting on it does no work of the pool's. {@code orTimeout}, {@code completeOnTimeout} and
 * {@code cancel} work as documented there; cancelling also asks the worker to cancel the request.
 *
 * <p><b>Which thread runs dependent stages.</b> By default a stage attached without an executor
 * ({@code thenApply}, {@code whenComplete}, ...) runs on the thread that completes the future: for
 * an answer, the transport's thread that read it from the worker (the fastest path), for a deadline
 * or a crash a thread of the pool's. Such a stage must be quick, and must not wait for another
 * request of the same pool: the worker whose reader thread runs it cannot deliver that answer
 * meanwhile, so the wait lasts until the other request's run deadline. Give the pool a
 * {@linkplain PoolConfig#callbackExecutor() callback executor} to run every completion there
 * instead, or attach such stages with the {@code …Async} variants.
 *
 * <p>Thread-safe.
 */
public interface WorkerPool extends AutoCloseable {
    /**
     * Submits a request with plain-value parameters and result. See {@link #submit(Request)}.
     *
     * @param method the method to call
     * @param params the parameters, or {@code null}
     * @return the result as plain Java values (maps, lists, strings, numbers, booleans, or null)
     */
    default CompletableFuture<@Nullable Object> submit(String method, @Nullable Object params) {
        return submit(Request.of(method, params));
    }

    /**
     * Submits a request whose result is converted to {@code resultType}. See {@link #submit(Request)}.
     *
     * @param method the method to call
     * @param params the parameters, or {@code null}
     * @param resultType the type the result is converted to
     * @param <T> the result type
     * @return the result ({@code null} when the worker's result is null)
     */
    default <T> CompletableFuture<@Nullable T> submit(String method, @Nullable Object params, Class<T> resultType) {
        return submit(Request.of(method, params).returning(resultType));
    }

    /**
     * Submits a request.
     *
     * <p>Never waits for a worker, a place in the queue, a worker start or an answer: a full queue,
     * a pool shutting down and an unhealthy pool are rejected at once. When an idle worker takes
     * the request at once, its transport encodes it and writes it to the worker on the calling
     * thread; that write returns as soon as the bytes are in the pipe (64 KiB of buffer on Linux),
     * so it blocks only for a request larger than the pipe's free space, and then only until the
     * worker reads it or is killed at the request's run deadline plus the cancel grace. Queued
     * requests are written later, when a worker frees up: by the thread that read its last answer
     * if its transport promises that this cannot block, else by a thread of the pool's.
     *
     * @param request the request
     * @param <T> the result type
     * @return completes with the result ({@code null} when the worker's result is null), or fails with
     *     {@link PoolRejectedException} (at once) if the queue is full, the pool is shutting down or
     *     unhealthy; later with
     *     {@link RequestTimeoutException}, {@link WorkerCrashedException}, {@link ProtocolException}
     *     or {@link WorkerErrorException}; or with {@link IllegalArgumentException} if the transport
     *     cannot send the params or convert the result to the requested type (the caller's
     *     mistake; the worker is kept)
     */
    <T> CompletableFuture<@Nullable T> submit(Request<T> request);

    /** {@return a snapshot of the pool's state and counters; does not block on workers} */
    PoolMetrics metrics();

    /**
     * Sets the pool's target size by hand. Growing starts workers in the background; shrinking
     * retires idle workers only and never interrupts a request.
     *
     * @param size the new target size
     * @throws IllegalArgumentException if {@code size} is outside the configured min..max
     */
    void scale(int size);

    /**
     * Pings every idle worker now and waits for the answers, each for up to
     * {@link PoolConfig#healthCheckTimeout()}; workers that fail are killed and replaced. Busy
     * workers are reported with the request they run, without a ping.
     *
     * @return one entry per worker
     */
    HealthReport healthCheck();

    /**
     * Adds a listener of the pool's events (workers starting, ready, exited and retired, the target
     * size changing, health lost and regained, shutdown); it receives them on the pool's threads.
     *
     * @param listener receives the pool's events from now on, until removed
     */
    void addListener(PoolListener listener);

    /**
     * Removes a listener added with {@link #addListener}, so it receives no more events.
     *
     * @param listener a listener added before
     * @return whether it was added (and is now removed)
     */
    boolean removeListener(PoolListener listener);

    /**
     * Adds a listener of every worker's notifications (progress, logs), for every request, besides each request's
     * own listener.
     *
     * @param listener receives the notifications every worker sends while it runs a request (in
     *     addition to the request's own listener), until removed
     */
    void addNotificationListener(NotificationListener listener);

    /**
     * Removes a listener added with {@link #addNotificationListener}.
     *
     * @param listener a listener added before
     * @return whether it was added (and is now removed)
     */
    boolean removeNotificationListener(NotificationListener listener);

    /**
     * Reports every request that ends from now on to {@code observer}, with its queue wait, run
     * time and outcome, until it is removed. Adding the same observer twice reports each request
     * to it twice.
     *
     * @param observer what to report to
     */
    void addRequestObserver(RequestObserver observer);

    /**
     * Stops reporting requests to an observer. A request ending at this moment on another thread
     * may still be reported to it once.
     *
     * @param observer an observer added before
     * @return whether it was added (and is now removed, once if it was added twice)
     */
    boolean removeRequestObserver(RequestObserver observer);

    /** {@return the configuration the pool was started with} */
    PoolConfig config();

    /**
     * Stops accepting requests, lets in-flight and queued requests finish within {@code grace},
     * then fails the rest with {@link PoolRejectedException} ({@link PoolRejectedException.Reason#SHUTDOWN}),
     * kills the workers that were still running one, and stops the others politely: their stdin is
     * closed, SIGTERM follows after {@link PoolConfig#stopGrace()} and SIGKILL after another, to each
     * worker and its descendants. Blocks until done, which is within {@code grace} plus twice the
     * stop grace (plus the moments it takes to reap the processes). Idempotent: a second call waits
     * for the first to finish.
     *
     * @param grace how long in-flight and queued work may take to finish
     * @return {@code true} if every request finished within the grace
     */
    boolean shutdown(Duration grace);

    /** Shuts down with {@link PoolConfig#shutdownGrace()}. */
    @Override
    void close();
}
