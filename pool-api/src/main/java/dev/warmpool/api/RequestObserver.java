package dev.warmpool.api;

/**
 * Sees each request of a pool end, with its times: what a metrics library needs to record a timer
 * per request. Added with {@link WorkerPool#addRequestObserver} and removed with
 * {@link WorkerPool#removeRequestObserver}.
 *
 * <p>Each request that ends while an observer is added is reported to it exactly once, by
 * {@link #succeeded} or {@link #failed}, in the same outcome that {@link WorkerPool#metrics()}
 * counts, and before the request's future completes (so a caller who has its answer finds it
 * recorded). The arguments are the method name and primitives: nothing is allocated for the call.
 *
 * <p>Called on the thread that ends the request (a transport's reader, a thread of the pool's, or
 * the submitting or cancelling caller), never while the pool holds its lock, and possibly on
 * several threads at once: an implementation must be thread-safe, quick, and must not block or wait
 * for a request of the pool; an exception it throws is logged and otherwise ignored. A pool with no
 * observer pays one volatile read per request for this.
 */
public interface RequestObserver {
    /** The value of {@code runNanos} for a request that no worker took (rejected, or ended while queued). */
    long NOT_RUN = -1;

    /**
     * Reports a request that ended with its result.
     *
     * @param method the request's method
     * @param queueWaitNanos how long it waited for a worker, from submit until a worker took it
     * @param runNanos how long the worker took, from then until the request ended
     */
    void succeeded(String method, long queueWaitNanos, long runNanos);

    /**
     * Reports a request that failed, whichever way.
     *
     * @param method the request's method
     * @param queueWaitNanos how long it waited for a worker: from submit until a worker took it, or
     *     until it ended if none did (about 0 for a request rejected at submit)
     * @param runNanos how long the worker had it until it ended, or {@link #NOT_RUN} if no worker took it
     * @param failure how it failed: the bucket {@link PoolMetrics#failed()} counts it in
     */
    void failed(String method, long queueWaitNanos, long runNanos, PoolMetrics.Failure failure);
}
