package dev.warmpool.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to the pool or one of its workers, for a {@link PoolListener}.
 *
 * @param type what happened
 * @param workerId the worker concerned, or the empty string for pool-wide events
 * @param pid the worker's process id, or -1 if unknown
 * @param detail a short description: the cause, the exit code, the new size
 * @param time when it happened
 */
public record PoolEvent(Type type, String workerId, long pid, String detail, Instant time) {
    /** What happened. */
    public enum Type {
        /** A worker process is being started. */
        WORKER_STARTING,
        /** A worker answered its readiness exchange and takes requests. */
        WORKER_READY,
        /** A worker could not be started or did not become ready. */
        WORKER_START_FAILED,
        /** A worker process exited (for any reason). */
        WORKER_EXITED,
        /** A worker is being retired (recycled, scaled down, unhealthy, timed out). */
        WORKER_RETIRED,
        /** The pool's target size changed. */
        POOL_SCALED,
        /** Workers keep failing to start; new requests fail fast. */
        POOL_UNHEALTHY,
        /** A start succeeded after the pool was unhealthy. */
        POOL_RECOVERED,
        /** The pool began shutting down. */
        POOL_SHUTDOWN
    }

    /** Checks the components. */
    public PoolEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(time, "time");
    }
}
