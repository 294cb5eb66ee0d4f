package dev.warmpool.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** A request was not admitted to the pool; it never reached a worker. */
public final class PoolRejectedException extends WorkerPoolException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Why a request was turned away. */
    public enum Reason {
        /** The bounded queue was full ({@link PoolConfig#maxQueueSize()}). */
        QUEUE_FULL,
        /** The pool is shutting down or closed. */
        SHUTDOWN,
        /** Workers keep failing to start; the pool fails fast until a start succeeds. */
        UNHEALTHY
    }

    /** Why the request was turned away. */
    private final Reason reason;

    /**
     * Creates the failure for a request that was turned away.
     *
     * @param reason why the request was turned away
     * @param message a message that says what limit or state caused it
     */
    public PoolRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Creates the failure for a request that was turned away.
     *
     * @param reason why the request was turned away
     * @param message a message that says what limit or state caused it
     * @param cause the failure behind an {@link Reason#UNHEALTHY} rejection, or {@code null} for none
     */
    public PoolRejectedException(Reason reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** {@return why the request was turned away} */
    public Reason reason() {
        return reason;
    }
}
