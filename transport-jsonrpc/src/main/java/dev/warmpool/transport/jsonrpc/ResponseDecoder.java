package dev.warmpool.transport.jsonrpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.warmpool.api.Notification;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.worker.wire.JsonRpcDecoder;
import dev.warmpool.worker.wire.JsonRpcEncoder;
import dev.warmpool.worker.wire.JsonRpcMessage;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import dev.warmpool.worker.wire.ModuleAccess;
import dev.warmpool.worker.wire.ResultBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pool makes of each frame a {@code jsonrpc} worker writes: decoded by the shared
 * {@link JsonRpcDecoder} in one pass (a result bound straight into its call's type), then a result or
 * error for a request in flight, a notification for the current call's listener, a request the pool
 * refuses, a line that is not a message, or a protocol violation, as {@link JsonRpcWorker} lists them.
 *
 * <p>Runs on the worker's reader thread only; not thread-safe.
 */
final class ResponseDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcWorker.class);
    private static final byte[] JSONRPC_MEMBER = "\"jsonrpc\"".getBytes(StandardCharsets.US_ASCII);

    /** What the decoder needs of its worker. */
    interface Owner {
        /** The worker broke the protocol: it is unusable, and every request in flight fails. */
        void violation(String what, @Nullable Throwable cause);

        /** @return whether the worker is unusable after a violation, so frames are no longer looked at */
        boolean broken();

        /** Sends a frame to the worker, never blocking the reader. */
        void send(byte[] frame);
    }

    private final String workerId;
    private final ObjectMapper mapper;
    private final boolean strict;
    private final InFlight inFlight;
    private final Owner owner;
    private final JsonRpcDecoder decoder;
    private final JsonRpcEncoder encoder;
    private final JsonRpcMessage message = new JsonRpcMessage();
    private final JsonRpcMessage element = new JsonRpcMessage();
    /** Shared by a transport's workers: one reader per result type. */
    private final Map<Class<?>, ObjectReader> readers;
    /** The value the binding took for the response being decoded, and for which request. */
    private @Nullable Object bound;
    private InFlight.@Nullable Pending<?> boundFor;
    private final ResultBinding binding = this::bind;

    ResponseDecoder(String workerId, ObjectMapper mapper, boolean strict, InFlight inFlight, Owner owner,
            Map<Class<?>, ObjectReader> readers) {
        this.workerId = workerId;
        this.mapper = mapper;
        this.strict = strict;
        this.inFlight = inFlight;
        this.owner = owner;
        this.decoder = new JsonRpcDecoder(mapper);
        this.encoder = JsonRpcEncoder.releasing(mapper);
        this.readers = readers;
    }

    /** @return a map for {@link #ResponseDecoder}'s {@code readers}, to share among a transport's workers */
    static Map<Class<?>, ObjectReader> newReaderCache() {
        return new ConcurrentHashMap<>();
    }

    void onFrame(byte[] frame) {
        boundFor = null;
        try {
            decoder.decode(frame, message, binding);
        } catch (StreamConstraintsException e) {
            owner.violation("sent JSON beyond the parser limits: " + e.getOriginalMessage(), e);
            return;
        } catch (IOException e) {
            if (indexOf(frame, JSONRPC_MEMBER) >= 0) {
                owner.violation("sent a malformed JSON-RPC message (" + firstLine(e) + "): " + preview(frame), e);
            } else {
                notAMessage(frame);
            }
            return;
        }
        switch (message.kind()) {
            case EMPTY -> {
                // blanks: nothing was said
            }
            case BATCH -> batch(message, frame);
            case INVALID -> {
                if (message.problem() == JsonRpcMessage.Problem.NO_VERSION
                        || message.problem() == JsonRpcMessage.Problem.NOT_AN_OBJECT) {
                    notAMessage(frame);
                } else {
                    owner.violation("sent " + message.describeProblem() + ": " + preview(frame), null);
                }
            }
            default -> handle(message, frame);
        }
    }

    private void batch(JsonRpcMessage m, byte[] frame) {
        if (m.batch().isEmpty()) {
            notAMessage(frame);
            return;
        }
        for (JsonNode e : m.batch()) {
            if (owner.broken()) {
                return;
            }
            if (!e.isObject()) {
                owner.violation("sent a batch holding something other than an object: " + preview(frame), null);
                return;
            }
            boundFor = null;
            decoder.decode(e, element, binding);
            if (element.kind() == JsonRpcMessage.Kind.INVALID) {
                owner.violation("sent " + element.describeProblem() + ": " + preview(frame), null);
                return;
            }
            handle(element, frame);
        }
    }

    private void handle(JsonRpcMessage m, byte[] frame) {
        switch (m.kind()) {
            case REQUEST -> refuse(m.id(), m.method());
            case NOTIFICATION -> notification(m.method(), m.params());
            case RESULT, ERROR -> response(m, frame);
            default -> throw new IllegalStateException("not a message to handle: " + m);
        }
    }

    private void response(JsonRpcMessage m, byte[] frame) {
        boolean error = m.kind() == JsonRpcMessage.Kind.ERROR;
        if (!m.idIsLong() && (m.id().isMissingNode() || m.id().isNull())) {
            if (error) {
                errorWithoutId(m.error(), frame);
            } else {
                owner.violation("sent a result without an id: " + preview(frame), null);
            }
            return;
        }
        InFlight.Pending<?> p = m.idIsLong() ? inFlight.get(m.longId()) : null;
        if (p == null) {
            owner.violation("answered request " + m.id() + ", which is not in flight: " + preview(frame), null);
            return;
        }
        if (error) {
            WorkerErrorException err = workerError(m.error(), frame);
            if (err != null) {
                inFlight.fail(p, err);
            }
        } else if (m.resultBound() && boundFor == p) {
            inFlight.complete(p, bound);
        } else {
            completeFromTree(p, m.result());
        }
        bound = null;
    }

    /**
     * The {@link ResultBinding}: reads the result of a call in flight straight into its type. A
     * result that does not bind makes the decoder read it again as a tree, which
     * {@link #completeFromTree} then reports.
     */
    private boolean bind(long id, JsonParser parser) throws IOException {
        InFlight.Pending<?> p = inFlight.get(id);
        if (p == null) {
            return false;
        }
        if (p.type == Void.class) {
            parser.skipChildren();
            bound = null;
        } else {
            bound = readers.computeIfAbsent(p.type,
                    t -> mapper.readerFor(t).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)).readValue(parser);
        }
        boundFor = p;
        return true;
    }

    private <T> void completeFromTree(InFlight.Pending<T> p, JsonNode result) {
        @Nullable T value;
        try {
            value = p.type == Void.class ? null : mapper.treeToValue(result, p.type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            inFlight.fail(p, unconvertible(p, e));
            return;
        }
        inFlight.complete(p, value);
    }

    /** The result is fine JSON that the caller asked to have as a type it does not fit: the caller's mistake. */
    private IllegalArgumentException unconvertible(InFlight.Pending<?> p, Exception e) {
        String fix = ModuleAccess.advice(e).orElse("ask for a type that fits it, or Object.class for plain maps, "
                + "lists, strings, numbers and booleans");
        return new IllegalArgumentException("worker " + workerId + " answered " + p.describe()
                + " with a result that cannot be converted to " + p.type.getName() + " (" + firstLine(e) + "); " + fix,
                e);
    }

    private void errorWithoutId(JsonNode error, byte[] frame) {
        WorkerErrorException err = workerError(error, frame);
        if (err == null) {
            return;
        }
        InFlight.Pending<?> p = inFlight.currentOrOnly().orElse(null);
        if (p == null || !inFlight.fail(p, err)) {
            LOG.warn("worker {} sent an error for no request in flight; skipped: {}", workerId, err.getMessage());
        }
    }

    /** @return the error, or {@code null} after reporting a malformed error object as a violation */
    private @Nullable WorkerErrorException workerError(JsonNode error, byte[] frame) {
        JsonNode code = error.get("code");
        if (code == null || !code.isIntegralNumber() || !code.canConvertToInt()) {
            owner.violation("sent an error without an integer code: " + preview(frame), null);
            return null;
        }
        JsonNode message = error.get("message");
        String text = message == null || message.isNull() ? "" : message.isTextual() ? message.textValue() : message.toString();
        return new WorkerErrorException(workerId, code.intValue(), text, plain(error.get("data")));
    }

    private void refuse(JsonNode requestId, String method) {
        LOG.warn("worker {} sent request {} ({}); the pool serves no methods and answers {}", workerId, requestId, method,
                JsonRpcProtocol.METHOD_NOT_FOUND);
        try {
            owner.send(encoder.error(requestId, JsonRpcProtocol.METHOD_NOT_FOUND, "Method not found").toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("writing a JSON-RPC error failed: " + e.getMessage(), e);
        }
    }

    private void notification(String method, JsonNode params) {
        InFlight.Pending<?> p = inFlight.call().orElse(null);
        JsonNode about = params.get("id");
        if (p == null || (about != null && about.isIntegralNumber() && about.asLong() != p.id)) {
            if (JsonRpcProtocol.LOG.equals(method) && !params.isMissingNode()) {
                LOG.info("worker {} [{}]: {}", workerId, params.path("level").asText("info"), params.path("message").asText(""));
            } else {
                LOG.debug("worker {} sent {} while no request of its was in flight; dropped", workerId, method);
            }
            return;
        }
        Notification n;
        try {
            n = new Notification(workerId, method, plain(params));
        } catch (RuntimeException e) {
            LOG.warn("worker {}: could not convert notification {}: {}", workerId, method, e.toString());
            return;
        }
        try {
            p.listener.onNotification(n);
        } catch (RuntimeException e) {
            LOG.warn("worker {}: the notification listener of {} failed on {}", workerId, p.describe(), method, e);
        }
    }

    private void notAMessage(byte[] frame) {
        if (strict) {
            owner.violation("wrote a line to stdout that is not a JSON-RPC message (strictOutput is on): "
                    + preview(frame), null);
        } else {
            LOG.warn("worker {} wrote a line to stdout that is not a JSON-RPC message; skipped: {}", workerId,
                    preview(frame));
        }
    }

    private @Nullable Object plain(@Nullable JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return mapper.treeToValue(node, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String firstLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static String preview(byte[] frame) {
        int n = Math.min(frame.length, 200);
        String s = new String(frame, 0, n, StandardCharsets.UTF_8);
        return "'" + s + (frame.length > n ? "...' (" + frame.length + " bytes)" : "'");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
