package dev.warmpool.worker.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The constants of warmpool's JSON-RPC 2.0 wire protocol, shared by the pool side (the
 * {@code jsonrpc} transport) and the worker side ({@link dev.warmpool.worker.WorkerServer}): the
 * protocol version, the method names, the environment variables, the JSON-RPC error codes, and the
 * one place the JSON parser's limits are set. Each is defined here and nowhere else.
 *
 * <p>The protocol, in short (the package documentation has the whole of it):
 * <ul>
 *   <li>frames are newline-delimited UTF-8 JSON by default, or LSP {@code Content-Length} framing
 *       when the transport setting {@value #FRAMING_SETTING} is {@code content-length}; the pool
 *       tells the worker which through the environment variable {@value #FRAMING_ENV};</li>
 *   <li>the pool first sends {@value #INITIALIZE} with {@code {"protocolVersion":1,"workerId":"w-1"}}
 *       and the worker answers {@code {"protocolVersion":1,"capabilities":{"cancel":true,"ping":true},"name":"..."}};</li>
 *   <li>{@value #PING} checks health, {@value #CANCEL_REQUEST} (a notification, as in LSP) cancels
 *       the request whose id it names, which is then answered with {@value #REQUEST_CANCELLED};</li>
 *   <li>while a request runs, the worker may send notifications ({@value #PROGRESS}, {@value #LOG}
 *       or any other method); they reach the request's listener.</li>
 * </ul>
 *
 * <h2>Parser limits</h2>
 * Both sides parse with Jackson {@link StreamReadConstraints} set explicitly rather than
 * inherited from whatever Jackson version is on the class path:
 * <ul>
 *   <li>nesting depth at most {@value #MAX_NESTING_DEPTH} (also enforced when writing);</li>
 *   <li>a number at most {@value #MAX_NUMBER_LENGTH} characters long;</li>
 *   <li>a string, and a whole document, at most {@code maxFrameBytes} long — a frame cannot be longer
 *       anyway, so the frame limit (the pool's {@code maxFrameBytes}) is the one that counts; Jackson's own default of 20 M characters would otherwise cut large frames short.</li>
 * </ul>
 * A frame that breaks one of these is malformed: a protocol violation on the pool side, a
 * {@value #PARSE_ERROR} answer on the worker side.
 *
 * <p>Not instantiable; thread-safe.
 */
public final class JsonRpcProtocol {
    /** The protocol version this library speaks, sent and checked in the {@value #INITIALIZE} handshake. */
    public static final int PROTOCOL_VERSION = 1;

    /** The handshake request the pool sends first. */
    public static final String INITIALIZE = "$/initialize";
    /** The health-check request; any result means healthy. */
    public static final String PING = "$/ping";
    /** The cancellation notification: {@code {"id": <request id>}}. */
    public static final String CANCEL_REQUEST = "$/cancelRequest";
    /** The progress notification: {@code {"id": <request id>, "value": ...}}. */
    public static final String PROGRESS = "$/progress";
    /** The log notification: {@code {"id": <request id>, "level": "info", "message": "..."}}. */
    public static final String LOG = "$/log";

    /** JSON-RPC 2.0: invalid JSON was received. */
    public static final int PARSE_ERROR = -32700;
    /** JSON-RPC 2.0: the JSON sent is not a valid request object. */
    public static final int INVALID_REQUEST = -32600;
    /** JSON-RPC 2.0: the method does not exist. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** JSON-RPC 2.0: invalid method parameters. */
    public static final int INVALID_PARAMS = -32602;
    /** JSON-RPC 2.0: internal error. */
    public static final int INTERNAL_ERROR = -32603;
    /** The request was cancelled (LSP's {@code RequestCancelled}). */
    public static final int REQUEST_CANCELLED = -32800;

    /** The transport setting that selects the framing: {@code newline} (default) or {@code content-length}. */
    public static final String FRAMING_SETTING = "framing";
    /** The environment variable through which the pool tells the worker the framing. */
    public static final String FRAMING_ENV = "WARMPOOL_FRAMING";
    /** The environment variable through which the pool tells the worker the frame limit in bytes. */
    public static final String MAX_FRAME_BYTES_ENV = "WARMPOOL_MAX_FRAME_BYTES";
    /** The frame limit a worker uses when it is not told one: 16 MiB, as the pool's default. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /** The deepest nesting of arrays and objects either side accepts. */
    public static final int MAX_NESTING_DEPTH = 500;
    /** The longest number, in characters, either side accepts. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    private JsonRpcProtocol() {
    }

    /**
     * Makes the parser limits described above for a frame limit.
     *
     * @param maxFrameBytes the largest frame, in bytes
     * @return the read constraints
     * @throws IllegalArgumentException if {@code maxFrameBytes} is not positive
     */
    public static StreamReadConstraints readConstraints(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes is " + maxFrameBytes + ", but must be positive");
        }
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(maxFrameBytes)
                .maxDocumentLength(maxFrameBytes)
                .build();
    }

    /** {@return the write constraints: nesting depth at most {@value #MAX_NESTING_DEPTH}} */
    public static StreamWriteConstraints writeConstraints() {
        return StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build();
    }

    /**
     * Makes an {@link ObjectMapper} with the parser limits for {@code maxFrameBytes}, failing on
     * trailing content after a frame's JSON value.
     *
     * @param maxFrameBytes the largest frame, in bytes
     * @return a new mapper
     */
    public static ObjectMapper newObjectMapper(int maxFrameBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(readConstraints(maxFrameBytes))
                .streamWriteConstraints(writeConstraints())
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * Copies a caller's mapper (with its modules and features) and applies the parser limits to
     * the copy, with trailing content after a frame's value an error and pretty-printing off (a
     * newline-framed frame is one line); the caller's mapper is left as it was.
     *
     * @param mapper the mapper to copy
     * @param maxFrameBytes the largest frame, in bytes
     * @return the constrained copy
     */
    public static ObjectMapper constrain(ObjectMapper mapper, int maxFrameBytes) {
        ObjectMapper copy = mapper.copy();
        copy.getFactory().setStreamReadConstraints(readConstraints(maxFrameBytes));
        copy.getFactory().setStreamWriteConstraints(writeConstraints());
        copy.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // a frame is one line in newline framing: pretty-printing would split it
        copy.disable(SerializationFeature.INDENT_OUTPUT);
        return copy;
    }
}
