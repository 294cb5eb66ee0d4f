package dev.warmpool.api;

/**
 * Receives the pool's {@link PoolEvent}s, e.g. to export them as metrics or logs. Added with
 * {@link WorkerPool#addListener} and removed with {@link WorkerPool#removeListener}.
 *
 * <p>Called synchronously on the pool's internal threads (the housekeeper, a worker's reader or
 * start thread), never while the pool holds its lock: an implementation must be quick and must not
 * block or wait for a request of the pool; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface PoolListener {
    /**
     * Receives one event, on the pool thread that caused it; must return quickly (see above).
     *
     * @param event what happened
     */
    void onEvent(PoolEvent event);
}
