package dev.warmpool.worker;

import dev.warmpool.worker.wire.JsonRpcProtocol;
import java.io.Serial;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a {@link RequestHandler} to answer its request with a JSON-RPC error of its choosing:
 * {@code {"code": code, "message": message, "data": data}}. On the pool side it arrives as a
 * {@code WorkerErrorException} with the same code, message and data, and the worker
 * stays in the pool.
 *
 * <p>Codes from -32768 to -32000 are reserved by JSON-RPC 2.0; use your own outside that range, or
 * the reserved ones for what they mean ({@link InvalidParamsException} for -32602,
 * {@link JsonRpcProtocol#REQUEST_CANCELLED} for a cancelled request).
 */
public class JsonRpcError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The JSON-RPC error code the answer carries. */
    private final int code;
    /** Any value Jackson can write; transient because it need not be serializable. */
    private final transient @Nullable Object data;

    /**
     * Creates an error answered with this code and message and no {@code data}.
     *
     * @param code the error code
     * @param message the error message
     */
    public JsonRpcError(int code, String message) {
        this(code, message, null);
    }

    /**
     * Creates an error answered with this code, message and {@code data}.
     *
     * @param code the error code
     * @param message the error message
     * @param data the error's {@code data} member (anything Jackson can write), or {@code null} for none
     */
    public JsonRpcError(int code, String message, @Nullable Object data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    /** {@return a {@value JsonRpcProtocol#REQUEST_CANCELLED} "request cancelled" error} */
    public static JsonRpcError requestCancelled() {
        return new JsonRpcError(JsonRpcProtocol.REQUEST_CANCELLED, "request cancelled");
    }

    /** {@return the JSON-RPC error code the answer carries, e.g. {@code -32602}} */
    public int code() {
        return code;
    }

    /** {@return the error's {@code data} member, if any} */
    public Optional<Object> data() {
        return Optional.ofNullable(data);
    }
}
