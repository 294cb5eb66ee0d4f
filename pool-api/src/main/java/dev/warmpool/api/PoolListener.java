package dev.warmpool.api;

/**
 * Receives the pool's {@link PoolEvent}s, e.g. to export them as metrics or logs.
 *
 * <p>Called synchronously on the pool's internal threads: an implementation must be quick and must
 * not block or call back into the pool; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface PoolListener {
    /** @param event what happened */
    void onEvent(PoolEvent event);
}
