package dev.warmpool.api;

import java.io.Serial;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A worker could not be started, or did not become ready within the start timeout. Carries the
 * last lines of its stderr. The pool retries with backoff; once starts keep failing the pool turns
 * {@linkplain PoolRejectedException.Reason#UNHEALTHY unhealthy} and this exception is the cause of
 * its rejections.
 */
public final class WorkerStartException extends WorkerPoolException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The last stderr lines of the worker, oldest first. */
    private final List<String> stderrTail;

    /**
     * Creates the failure for a worker that could not start.
     *
     * @param message what failed, e.g. "worker w-3 did not become ready within 30 s"
     * @param stderrTail the last lines of the worker's stderr, oldest first
     * @param cause the underlying failure, or {@code null}
     */
    public WorkerStartException(String message, List<String> stderrTail, @Nullable Throwable cause) {
        super(message + StderrTail.describe(stderrTail), cause);
        this.stderrTail = List.copyOf(stderrTail);
    }

    /** {@return the last lines the worker wrote to stderr before it failed, oldest first} */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
