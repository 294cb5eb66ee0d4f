package dev.warmpool.worker;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warmpool.worker.wire.JsonRpcDecoder;
import dev.warmpool.worker.wire.JsonRpcEncoder;
import dev.warmpool.worker.wire.JsonRpcMessage;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import dev.warmpool.worker.wire.ResultBinding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the server answers, and how: the protocol's own methods, invalid requests, handlers' results
 * and errors, batches, and the frame limit on everything it sends. Every answer is encoded into the
 * given encoder by {@link JsonRpcEncoder}; the {@link Session} decides when and on which thread.
 *
 * <p>Thread-safe (no state of its own beyond the session's); each encoder is used by one thread.
 */
final class Requests {
    private static final System.Logger LOG = WorkerServer.log();
    /** The result of {@code $/ping}; only ever written. */
    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

    private final Session session;
    private final JsonRpcDecoder decoder;
    private final int maxFrameBytes;

    Requests(Session session, JsonRpcDecoder decoder, int maxFrameBytes) {
        this.session = session;
        this.decoder = decoder;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Answers a decoded message that needs no handler into {@code lane}'s encoder, or makes the work
     * for one that does.
     *
     * @return {@link Session.Done#ANSWERED}, {@link Session.Done#SILENT}, or the work to run
     */
    Session.Work dispatch(JsonRpcMessage m, Lane lane) {
        JsonRpcEncoder e = lane.encoder;
        return switch (m.kind()) {
            case EMPTY -> Session.Done.SILENT; // a blank frame: nothing was asked
            case BATCH -> {
                if (m.batch().isEmpty()) {
                    invalidRequest(e);
                    yield Session.Done.ANSWERED;
                }
                yield new Session.Batch(m.batch());
            }
            case REQUEST, NOTIFICATION -> request(m, e);
            default -> {
                invalidRequest(e);
                yield Session.Done.ANSWERED;
            }
        };
    }

    private Session.Work request(JsonRpcMessage m, JsonRpcEncoder e) {
        String method = m.method();
        JsonNode id = m.id();
        boolean notification = id.isMissingNode();
        switch (method) {
            case JsonRpcProtocol.INITIALIZE -> {
                if (notification) {
                    return Session.Done.SILENT;
                }
                encode(() -> e.initializeResult(id, session.server.name()));
                return Session.Done.ANSWERED;
            }
            case JsonRpcProtocol.PING -> {
                return notification ? Session.Done.SILENT : result(e, id, EMPTY);
            }
            case JsonRpcProtocol.CANCEL_REQUEST -> {
                session.cancel(m.params().path("id"));
                return notification ? Session.Done.SILENT : result(e, id, null);
            }
            default -> {
                // a handler's request, below
            }
        }
        RequestHandler handler = session.server.handler(method);
        if (handler == null) {
            if (notification) {
                LOG.log(DEBUG, () -> "ignored a notification of unknown method " + method);
                return Session.Done.SILENT;
            }
            encode(() -> e.error(id, JsonRpcProtocol.METHOD_NOT_FOUND, "Method not found"));
            return Session.Done.ANSWERED;
        }
        JsonNode params = m.params().isMissingNode() ? NullNode.getInstance() : m.params();
        return new RequestState(session, method, id, handler, params, session.server.interruptOnCancel());
    }

    /**
     * Runs the request's handler on this thread and encodes its answer into the lane's encoder.
     *
     * @return {@link Session.Done#ANSWERED}, or {@link Session.Done#SILENT} for a notification
     */
    Session.Done answer(RequestState s, Lane lane) {
        @Nullable Object value = null;
        @Nullable Throwable failure = null;
        s.begin(lane);
        try {
            value = s.handler.handle(s.params, s);
        } catch (Throwable t) {
            failure = t;
        }
        boolean cancelled = s.finish();
        lane.current = null;
        if (Thread.interrupted()) {
            // an interrupt meant for this request must not reach what the thread does next
            LOG.log(DEBUG, () -> "cleared the interrupt of request " + s.method);
        }
        if (s.isNotification()) {
            if (failure != null) {
                LOG.log(WARNING, "notification " + s.method + " failed", failure);
            }
            return Session.Done.SILENT;
        }
        JsonRpcEncoder e = lane.encoder;
        if (cancelled) {
            encode(() -> e.error(s.id, JsonRpcProtocol.REQUEST_CANCELLED, "request cancelled"));
        } else if (failure != null) {
            failed(e, s, failure);
        } else {
            result(e, s.id, value);
        }
        return Session.Done.ANSWERED;
    }

    /**
     * Answers the elements of a batch one after another on this thread, and encodes the array of
     * answers into the lane's encoder.
     *
     * @return whether there is anything to send (not for a batch of notifications only)
     */
    boolean answerBatch(Session.Batch batch, Lane lane) {
        List<byte[]> answers = new ArrayList<>(batch.elements().size());
        for (JsonNode element : batch.elements()) {
            decoder.decode(element, lane.message, ResultBinding.NONE);
            Session.Work w = dispatch(lane.message, lane);
            if (w instanceof RequestState s) {
                lane.current = s;
                w = answer(s, lane);
            }
            if (w == Session.Done.ANSWERED) {
                answers.add(lane.encoder.toByteArray());
            }
        }
        if (answers.isEmpty()) {
            return false;
        }
        JsonRpcEncoder e = lane.encoder;
        encode(() -> e.batch(answers));
        if (e.length() > maxFrameBytes) {
            internalError(e, NullNode.getInstance(), "the batch response is " + e.length()
                    + " bytes, more than the frame limit of " + maxFrameBytes + " bytes");
        }
        return true;
    }

    private void failed(JsonRpcEncoder e, RequestState s, Throwable failure) {
        if (failure instanceof JsonRpcError err) {
            error(e, s.id, err.code(), String.valueOf(err.getMessage()), err.data().orElse(null));
        } else if (failure instanceof IllegalArgumentException) {
            error(e, s.id, JsonRpcProtocol.INVALID_PARAMS, messageOf(failure), null);
        } else {
            LOG.log(WARNING, "request " + s.id + " (" + s.method + ") failed", failure);
            error(e, s.id, JsonRpcProtocol.INTERNAL_ERROR, messageOf(failure),
                    Map.of("exception", failure.getClass().getName()));
        }
    }

    /** Encodes a result, or the error that says why it cannot be sent. */
    private Session.Done result(JsonRpcEncoder e, JsonNode id, @Nullable Object value) {
        try {
            e.result(id, value);
        } catch (IOException | RuntimeException ex) {
            LOG.log(WARNING, "could not write the result of request " + id + " as JSON", ex);
            internalError(e, id, "could not write the result as JSON: " + messageOf(ex));
            return Session.Done.ANSWERED;
        }
        if (e.length() > maxFrameBytes) {
            int size = e.length();
            error(e, id, JsonRpcProtocol.INTERNAL_ERROR, "the result is " + size + " bytes, more than the frame limit of "
                    + maxFrameBytes + " bytes", sizeAndLimit(size, maxFrameBytes));
        }
        return Session.Done.ANSWERED;
    }

    /** Encodes an error; without its data if the data cannot be written or does not fit a frame. */
    private void error(JsonRpcEncoder e, JsonNode id, int code, String message, @Nullable Object data) {
        try {
            e.error(id, code, message, data);
            if (e.length() <= maxFrameBytes || data == null) {
                return;
            }
        } catch (IOException | RuntimeException ex) {
            LOG.log(WARNING, "could not write the data of error " + code + " as JSON; sent without it", ex);
        }
        encode(() -> e.error(id, code, message));
        if (e.length() > maxFrameBytes) {
            internalError(e, id, "the error message is " + message.length()
                    + " characters, more than the frame limit of " + maxFrameBytes + " bytes allows");
        }
    }

    void internalError(JsonRpcEncoder e, JsonNode id, String message) {
        encode(() -> e.error(id, JsonRpcProtocol.INTERNAL_ERROR, message));
    }

    void parseError(JsonRpcEncoder e, @Nullable String detail) {
        encode(() -> e.error(NullNode.getInstance(), JsonRpcProtocol.PARSE_ERROR, "Parse error", detail));
    }

    void frameTooLarge(JsonRpcEncoder e, long size, int limit) {
        encode(() -> e.error(NullNode.getInstance(), JsonRpcProtocol.INVALID_REQUEST, "Invalid Request",
                sizeAndLimit(size, limit)));
    }

    private static void invalidRequest(JsonRpcEncoder e) {
        encode(() -> e.error(NullNode.getInstance(), JsonRpcProtocol.INVALID_REQUEST, "Invalid Request"));
    }

    /**
     * Encodes a handler's notification.
     *
     * @throws IllegalArgumentException if its params cannot be written as JSON or it does not fit a frame
     */
    void notification(JsonRpcEncoder e, Session.Notification kind, JsonNode id, @Nullable String name,
            @Nullable Object value, @Nullable String text) {
        String method = switch (kind) {
            case PROGRESS -> JsonRpcProtocol.PROGRESS;
            case LOG -> JsonRpcProtocol.LOG;
            case OTHER -> name;
        };
        try {
            switch (kind) {
                case PROGRESS -> e.progress(id, value);
                // RequestState checked them: a log has a level and a message, any other notification a method
                case LOG -> e.log(id, Objects.requireNonNull(name, "level"), Objects.requireNonNull(text, "message"));
                case OTHER -> e.notification(Objects.requireNonNull(name, "method"), value);
            }
        } catch (IOException | RuntimeException ex) {
            throw new IllegalArgumentException("cannot write the params of notification " + method + " as JSON: "
                    + messageOf(ex), ex);
        }
        if (e.length() > maxFrameBytes) {
            throw new IllegalArgumentException("notification " + method + " is " + e.length()
                    + " bytes, more than the frame limit of " + maxFrameBytes + " bytes");
        }
    }

    private static Map<String, Object> sizeAndLimit(long size, int limit) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("size", size);
        data.put("limit", limit);
        return data;
    }

    static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : m;
    }

    /** Something the encoder writes that involves no value of the caller's. */
    @FunctionalInterface
    private interface Envelope {
        void write() throws IOException;
    }

    /** Encodes an envelope made of strings, numbers and trees only, which cannot fail to be written. */
    private static void encode(Envelope envelope) {
        try {
            envelope.write();
        } catch (IOException ex) {
            throw new IllegalStateException("writing a JSON-RPC envelope failed: " + ex.getMessage(), ex);
        }
    }
}
