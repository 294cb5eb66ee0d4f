package dev.warmpool.worker;

import dev.warmpool.worker.wire.JsonRpcProtocol;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a {@link RequestHandler} whose parameters are wrong; answers the request with JSON-RPC
 * error {@value JsonRpcProtocol#INVALID_PARAMS} and this exception's message. A handler may throw
 * {@link IllegalArgumentException} to the same effect.
 */
public class InvalidParamsException extends JsonRpcError {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error for parameters the handler cannot use, answered without {@code data}.
     *
     * @param message what is wrong with the parameters, for the caller
     */
    public InvalidParamsException(String message) {
        super(JsonRpcProtocol.INVALID_PARAMS, message);
    }

    /**
     * Creates the error for parameters the handler cannot use, answered with {@code data} for a program to read
     * (which field, which value).
     *
     * @param message what is wrong with the parameters, for the caller
     * @param data more detail for a program (anything Jackson can write), or {@code null}
     */
    public InvalidParamsException(String message, @Nullable Object data) {
        super(JsonRpcProtocol.INVALID_PARAMS, message, data);
    }
}
