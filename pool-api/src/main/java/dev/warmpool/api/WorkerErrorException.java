package dev.warmpool.api;

import java.io.Serial;
import java.util.Optional;

/**
 * The worker answered the request with an error (a JSON-RPC error object). The worker is healthy
 * and stays in the pool. {@link #kind()} classifies the code by the JSON-RPC 2.0 ranges.
 */
public class WorkerErrorException extends WorkerPoolException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The JSON-RPC 2.0 classes of error codes. */
    public enum Kind {
        /** -32700: the worker could not parse what it was sent. */
        PARSE_ERROR,
        /** -32600: the request was not a valid request object. */
        INVALID_REQUEST,
        /** -32601: the worker has no such method. */
        METHOD_NOT_FOUND,
        /** -32602: the method rejected its parameters. */
        INVALID_PARAMS,
        /** -32603: the worker failed inside. */
        INTERNAL_ERROR,
        /** -32000 to -32099: a server error defined by the worker's implementation. */
        SERVER_ERROR,
        /** -32800: the request was cancelled at the pool's request. */
        REQUEST_CANCELLED,
        /** Any other code: an application-defined error. */
        APPLICATION;

        /**
         * @param code a JSON-RPC error code
         * @return its class
         */
        public static Kind of(int code) {
            return switch (code) {
                case -32700 -> PARSE_ERROR;
                case -32600 -> INVALID_REQUEST;
                case -32601 -> METHOD_NOT_FOUND;
                case -32602 -> INVALID_PARAMS;
                case -32603 -> INTERNAL_ERROR;
                case -32800 -> REQUEST_CANCELLED;
                default -> code <= -32000 && code >= -32099 ? SERVER_ERROR : APPLICATION;
            };
        }
    }

    private final String workerId;
    private final int code;
    private final transient Object data;

    /**
     * @param workerId the worker that answered
     * @param code the error code it sent
     * @param message the error message it sent
     * @param data the error's {@code data} member as plain Java values, or {@code null} if absent
     */
    public WorkerErrorException(String workerId, int code, String message, Object data) {
        super("worker " + workerId + " answered with error " + code + ": " + message);
        this.workerId = workerId;
        this.code = code;
        this.data = data;
    }

    /** @return the id of the worker that answered */
    public String workerId() {
        return workerId;
    }

    /** @return the error code the worker sent */
    public int code() {
        return code;
    }

    /** @return the class of {@link #code()} */
    public Kind kind() {
        return Kind.of(code);
    }

    /** @return the error's {@code data} member (maps, lists, strings, numbers, booleans), if any */
    public Optional<Object> data() {
        return Optional.ofNullable(data);
    }
}
