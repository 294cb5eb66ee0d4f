package dev.warmpool.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The root of every failure warmpool reports: a request's future fails with one of its subtypes,
 * never with a bare {@link RuntimeException} from inside the pool.
 *
 * <p>The subtypes are: {@link PoolRejectedException} (not admitted), {@link RequestTimeoutException}
 * (a deadline passed), {@link WorkerCrashedException} (the process died), {@link ProtocolException}
 * (the worker broke the wire contract), {@link WorkerErrorException} (the worker answered with an
 * error), {@link WorkerStartException} (a worker could not be started or never became ready) and
 * {@link ProviderNotFoundException} (a transport or policy was asked for by a name nobody provides).
 * The family is sealed, so a {@code switch} over a failure can name every case; a bare
 * {@code WorkerPoolException} is a failure inside the pool that fits none of them.
 *
 * <p>Like every exception, safe to hand between threads once thrown.
 */
public sealed class WorkerPoolException extends RuntimeException
        permits PoolRejectedException, RequestTimeoutException, WorkerCrashedException, ProtocolException,
        WorkerErrorException, WorkerStartException, ProviderNotFoundException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates a failure with a message.
     *
     * @param message what happened, for a person
     */
    public WorkerPoolException(String message) {
        super(message);
    }

    /**
     * Creates a failure with a message and its cause.
     *
     * @param message what happened, for a person
     * @param cause the underlying failure, or {@code null} if there is none (as for {@link Throwable})
     */
    public WorkerPoolException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
