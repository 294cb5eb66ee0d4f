package dev.warmpool.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Something that happened to the pool or one of its workers, for a {@link PoolListener}. Immutable.
 *
 * @param type what happened
 * @param workerId the worker concerned; empty for pool-wide events
 * @param pid the worker's process id, when it has one
 * @param detail a short description for a person: the cause, the exit status, the new size
 * @param time when it happened, by the clock the pool was started with
 */
public record PoolEvent(Type type, Optional<String> workerId, OptionalLong pid, String detail, Instant time) {
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
        /** A worker answered after the pool was unhealthy. */
        POOL_RECOVERED,
        /** The pool began shutting down. */
        POOL_SHUTDOWN
    }

    /** Checks the components. */
    public PoolEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(time, "time");
    }
}
