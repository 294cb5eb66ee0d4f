package dev.warmpool.api;

import java.io.Serial;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The worker answered the request with an error (a JSON-RPC error object). The worker is healthy
 * and stays in the pool. {@link #kind()} classifies the code by the JSON-RPC 2.0 ranges.
 */
public final class WorkerErrorException extends WorkerPoolException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * The JSON-RPC 2.0 classes of error codes. This is the one place warmpool defines the reserved codes:
     * a transport or worker library that sends or reads one refers to it here, e.g.
     * {@code Kind.METHOD_NOT_FOUND.code().getAsInt()}.
     */
    public enum Kind {
        /** -32700: the worker could not parse what it was sent. */
        PARSE_ERROR(-32700, -32700),
        /** -32600: the request was not a valid request object. */
        INVALID_REQUEST(-32600, -32600),
        /** -32601: the worker has no such method. */
        METHOD_NOT_FOUND(-32601, -32601),
        /** -32602: the method rejected its parameters. */
        INVALID_PARAMS(-32602, -32602),
        /** -32603: the worker failed inside. */
        INTERNAL_ERROR(-32603, -32603),
        /** -32000 to -32099: a server error defined by the worker's implementation. */
        SERVER_ERROR(-32099, -32000),
        /** -32800: the request was cancelled at the pool's request. */
        REQUEST_CANCELLED(-32800, -32800),
        /** Any other code: an application-defined error. */
        APPLICATION(1, 0); // an empty range: APPLICATION is whatever no other kind matches

        private final int least;
        private final int most;

        Kind(int least, int most) {
            this.least = least;
            this.most = most;
        }

        /**
         * Returns the one code of this kind: empty for {@link #SERVER_ERROR}, a range, and for
         * {@link #APPLICATION}, every code outside the reserved ones.
         *
         * @return the code a sender uses for this kind, if it has exactly one
         */
        public OptionalInt code() {
            return least == most ? OptionalInt.of(least) : OptionalInt.empty();
        }

        /**
         * Classifies a code.
         *
         * @param code a JSON-RPC error code
         * @return its class
         */
        public static Kind of(int code) {
            for (Kind k : values()) {
                if (code >= k.least && code <= k.most) {
                    return k;
                }
            }
            return APPLICATION;
        }
    }

    /** The worker that answered. */
    private final String workerId;
    /** The error code it sent. */
    private final int code;
    private final transient @Nullable Object data;

    /**
     * Creates the failure for an error answer.
     *
     * @param workerId the worker that answered
     * @param code the error code it sent
     * @param message the error message it sent
     * @param data the error's {@code data} member as plain Java values, or {@code null} if absent
     */
    public WorkerErrorException(String workerId, int code, String message, @Nullable Object data) {
        super("worker " + workerId + " answered with error " + code + ": " + message);
        this.workerId = workerId;
        this.code = code;
        this.data = data;
    }

    /** {@return the id of the worker that answered} */
    public String workerId() {
        return workerId;
    }

    /** {@return the error code the worker sent} */
    public int code() {
        return code;
    }

    /** {@return the class of {@link #code()}} */
    public Kind kind() {
        return Kind.of(code);
    }

    /** {@return the error's {@code data} member (maps, lists, strings, numbers, booleans), if any} */
    public Optional<Object> data() {
        return Optional.ofNullable(data);
    }
}
