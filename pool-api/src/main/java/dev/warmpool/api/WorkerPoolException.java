package dev.warmpool.api;

import java.io.Serial;

/**
 * The root of every failure warmpool reports: a request's future fails with one of its subtypes,
 * never with a bare {@link RuntimeException} from inside the pool.
 *
 * <p>The subtypes are: {@link PoolRejectedException} (not admitted), {@link RequestTimeoutException}
 * (a deadline passed), {@link WorkerCrashedException} (the process died), {@link ProtocolException}
 * (the worker broke the wire contract), {@link WorkerErrorException} (the worker answered with an
 * error), {@link WorkerStartException} (a worker could not be started or never became ready) and
 * {@link ProviderNotFoundException} (a transport or policy was asked for by a name nobody provides).
 */
public class WorkerPoolException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, for a person
     */
    public WorkerPoolException(String message) {
        super(message);
    }

    /**
     * @param message what happened, for a person
     * @param cause the underlying failure
     */
    public WorkerPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
