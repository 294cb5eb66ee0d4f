package dev.warmpool.api;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The worker broke the wire contract: a malformed or oversize frame, a response to an unknown
 * request, a response with both {@code result} and {@code error}, a truncated frame. The worker
 * that did it is replaced.
 */
public final class ProtocolException extends WorkerPoolException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the failure for a worker that broke the wire contract.
     *
     * @param message what the worker sent and why it is not acceptable
     */
    public ProtocolException(String message) {
        super(message);
    }

    /**
     * Creates the failure for a worker that broke the wire contract.
     *
     * @param message what the worker sent and why it is not acceptable
     * @param cause the parser's failure, or {@code null} when nothing failed but the worker's output
     *     itself (a line while no request ran, an answer to no request)
     */
    public ProtocolException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
