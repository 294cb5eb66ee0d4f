package dev.warmpool.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A pool of warm worker processes. Requests go to an idle worker, or wait in a bounded FIFO queue
 * until one is free.
 *
 * <p>Every returned future completes exactly once: with the result, or with a
 * {@link WorkerPoolException} subtype. Nothing is lost and nothing hangs: a run deadline applies
 * to every request, and shutting down fails what it cannot finish.
 *
 * <p>Thread-safe; {@code submit} never blocks (a full queue is rejected at once).
 */
public interface WorkerPool extends AutoCloseable {
    /**
     * Submits a request with plain-value parameters and result.
     *
     * @param method the method to call
     * @param params the parameters, or {@code null}
     * @return the result as plain Java values (maps, lists, strings, numbers, booleans, or null)
     */
    default CompletableFuture<@Nullable Object> submit(String method, @Nullable Object params) {
        return submit(Request.of(method, params));
    }

    /**
     * Submits a request whose result is converted to {@code resultType}.
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
     * @param request the request
     * @param <T> the result type
     * @return completes with the result ({@code null} when the worker's result is null), or fails with a
     *     {@link WorkerPoolException}:
     *     {@link PoolRejectedException} at once if the queue is full, the pool is shutting down or
     *     unhealthy; {@link RequestTimeoutException}, {@link WorkerCrashedException},
     *     {@link ProtocolException} or {@link WorkerErrorException} later. Cancelling the future
     *     asks the worker to cancel the request.
     */
    <T> CompletableFuture<@Nullable T> submit(Request<T> request);

    /** @return a snapshot of the pool's state and counters */
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
     * Pings every idle worker now and waits for the answers; workers that fail are replaced.
     *
     * @return one entry per worker
     */
    HealthReport healthCheck();

    /** @param listener receives the pool's events from now on */
    void addListener(PoolListener listener);

    /**
     * @param listener receives the notifications every worker sends while it runs a request (in
     *     addition to the request's own listener)
     */
    void addNotificationListener(NotificationListener listener);

    /** @return the configuration the pool was started with */
    PoolConfig config();

    /**
     * Stops accepting requests, lets in-flight and queued requests finish within {@code grace},
     * fails the rest with {@link PoolRejectedException} ({@link PoolRejectedException.Reason#SHUTDOWN}),
     * then stops every worker and its descendants. Blocks until done. Idempotent.
     *
     * @param grace how long in-flight and queued work may take to finish
     * @return {@code true} if every request finished within the grace
     */
    boolean shutdown(Duration grace);

    /** Shuts down with {@link PoolConfig#shutdownGrace()}. */
    @Override
    void close();
}
