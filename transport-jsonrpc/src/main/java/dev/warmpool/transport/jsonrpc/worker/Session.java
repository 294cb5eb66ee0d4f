package dev.warmpool.transport.jsonrpc.worker;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warmpool.transport.jsonrpc.JsonRpcProtocol;
import dev.warmpool.transport.stdio.FrameReader;
import dev.warmpool.transport.stdio.FrameTooLargeException;
import dev.warmpool.transport.stdio.FrameWriter;
import dev.warmpool.transport.stdio.MalformedFrameException;
import dev.warmpool.transport.stdio.TruncatedFrameException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * One run of {@link WorkerServer#serve(java.io.InputStream, java.io.OutputStream)}: the read loop on
 * the calling thread, handlers on the executor, responses through the thread-safe frame writer.
 */
final class Session {
    private static final System.Logger LOG = WorkerServer.log();
    private static final byte[] NO_RESPONSE = null;

    private final WorkerServer server;
    private final ObjectMapper mapper;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final int maxFrameBytes;
    private final ExecutorService executor;
    /** Requests (with an id) whose handler has not finished, by id exactly as received. */
    private final Map<JsonNode, RequestState> running = new ConcurrentHashMap<>();
    /** Work that will write a response: awaited at end-of-file. */
    private final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();
    private volatile boolean outputBroken;

    Session(WorkerServer server, ObjectMapper mapper, FrameReader reader, FrameWriter writer, int maxFrameBytes,
            ExecutorService executor) {
        this.server = server;
        this.mapper = mapper;
        this.reader = reader;
        this.writer = writer;
        this.maxFrameBytes = maxFrameBytes;
        this.executor = executor;
    }

    void run() throws IOException {
        try {
            while (true) {
                byte[] frame;
                try {
                    frame = reader.read();
                } catch (FrameTooLargeException e) {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("size", e.size());
                    data.put("limit", e.limit());
                    LOG.log(WARNING, "skipped a request: " + e.getMessage());
                    write(error(NullNode.instance, JsonRpcProtocol.INVALID_REQUEST, "Invalid Request", data));
                    continue;
                } catch (TruncatedFrameException e) {
                    LOG.log(WARNING, "stdin ended in the middle of a frame: " + e.getMessage());
                    return;
                } catch (MalformedFrameException e) {
                    // Content-Length framing cannot find the next frame after this: say why, then stop
                    write(error(NullNode.instance, JsonRpcProtocol.PARSE_ERROR, "Parse error", e.getMessage()));
                    throw e;
                }
                if (frame == null) {
                    return;
                }
                handleFrame(frame);
            }
        } finally {
            awaitOutstanding();
        }
    }

    private void awaitOutstanding() {
        while (!outstanding.isEmpty()) {
            try {
                CompletableFuture.allOf(outstanding.toArray(CompletableFuture<?>[]::new)).join();
            } catch (RuntimeException e) {
                // each piece handles its own failures; this only waits
            }
        }
    }

    private void handleFrame(byte[] frame) {
        JsonNode root;
        try {
            root = mapper.readTree(frame);
        } catch (IOException e) {
            LOG.log(DEBUG, "request is not JSON: " + e.getMessage());
            write(error(NullNode.instance, JsonRpcProtocol.PARSE_ERROR, "Parse error", null));
            return;
        }
        if (root == null || root.isMissingNode()) {
            return; // a blank frame: nothing was asked
        }
        if (root.isArray()) {
            handleBatch(root);
            return;
        }
        CompletableFuture<byte[]> response = dispatch(root);
        if (response.isDone()) {
            write(response.join());
        } else {
            track(response.thenAccept(this::write));
        }
    }

    private void handleBatch(JsonNode batch) {
        if (batch.isEmpty()) {
            write(error(NullNode.instance, JsonRpcProtocol.INVALID_REQUEST, "Invalid Request", null));
            return;
        }
        List<CompletableFuture<byte[]>> parts = new ArrayList<>(batch.size());
        for (JsonNode element : batch) {
            parts.add(dispatch(element));
        }
        track(CompletableFuture.allOf(parts.toArray(CompletableFuture<?>[]::new)).thenRun(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('[');
            boolean any = false;
            for (CompletableFuture<byte[]> part : parts) {
                byte[] response = part.join();
                if (response != null) {
                    if (any) {
                        out.write(',');
                    }
                    out.writeBytes(response);
                    any = true;
                }
            }
            out.write(']');
            if (any) {
                byte[] frame = out.toByteArray();
                if (frame.length > maxFrameBytes) {
                    frame = error(NullNode.instance, JsonRpcProtocol.INTERNAL_ERROR, "the batch response is "
                            + frame.length + " bytes, more than the frame limit of " + maxFrameBytes + " bytes", null);
                }
                write(frame);
            }
        }));
    }

    private void track(CompletableFuture<?> f) {
        outstanding.add(f);
        f.whenComplete((v, t) -> {
            outstanding.remove(f);
            if (t != null) {
                LOG.log(WARNING, "failed to answer a request", t);
            }
        });
    }

    /** @return the encoded response, or {@code null} for none; never fails */
    private CompletableFuture<byte[]> dispatch(JsonNode msg) {
        JsonNode method = msg.get("method");
        JsonNode params = msg.get("params");
        JsonNode id = msg.get("id");
        JsonNode version = msg.get("jsonrpc");
        if (!msg.isObject()
                || version == null || !version.isTextual() || !"2.0".equals(version.textValue())
                || method == null || !method.isTextual()
                || (params != null && !params.isContainerNode() && !params.isNull())
                || (id != null && !id.isTextual() && !id.isNumber() && !id.isNull())) {
            return CompletableFuture.completedFuture(
                    error(NullNode.instance, JsonRpcProtocol.INVALID_REQUEST, "Invalid Request", null));
        }
        String name = method.textValue();
        JsonNode p = params == null ? NullNode.instance : params;
        switch (name) {
            case JsonRpcProtocol.INITIALIZE -> {
                ObjectNode r = mapper.createObjectNode();
                r.put("protocolVersion", JsonRpcProtocol.PROTOCOL_VERSION);
                r.putObject("capabilities").put("cancel", true).put("ping", true);
                r.put("name", server.name());
                return CompletableFuture.completedFuture(id == null ? NO_RESPONSE : result(id, r));
            }
            case JsonRpcProtocol.PING -> {
                return CompletableFuture.completedFuture(
                        id == null ? NO_RESPONSE : result(id, mapper.createObjectNode()));
            }
            case JsonRpcProtocol.CANCEL_REQUEST -> {
                RequestState target = running.get(p.path("id"));
                if (target != null) {
                    target.cancel();
                }
                return CompletableFuture.completedFuture(id == null ? NO_RESPONSE : result(id, null));
            }
            default -> {
                // handled below
            }
        }
        RequestHandler handler = server.handler(name);
        if (handler == null) {
            if (id == null) {
                LOG.log(DEBUG, "ignored a notification of unknown method " + name);
                return CompletableFuture.completedFuture(NO_RESPONSE);
            }
            return CompletableFuture.completedFuture(
                    error(id, JsonRpcProtocol.METHOD_NOT_FOUND, "Method not found", null));
        }
        RequestState state = new RequestState(this, name, id, server.interruptOnCancel());
        if (id != null) {
            running.put(id, state);
        }
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        executor.execute(() -> response.complete(run(state, handler, p)));
        return response;
    }

    private byte[] run(RequestState state, RequestHandler handler, JsonNode params) {
        Object value = null;
        Throwable failure = null;
        state.begin();
        try {
            value = handler.handle(params, state);
        } catch (Throwable t) {
            failure = t;
        }
        boolean cancelled = state.finish();
        if (Thread.interrupted()) {
            // an interrupt meant for this request must not reach the executor's next task
            LOG.log(DEBUG, "cleared the interrupt of request " + state.method());
        }
        JsonNode id = state.rawId();
        if (id == null) {
            if (failure != null) {
                LOG.log(WARNING, "notification " + state.method() + " failed", failure);
            }
            return NO_RESPONSE;
        }
        running.remove(id, state);
        if (cancelled) {
            return error(id, JsonRpcProtocol.REQUEST_CANCELLED, "request cancelled", null);
        }
        if (failure != null) {
            return errorFor(id, state.method(), failure);
        }
        return result(id, value);
    }

    private byte[] errorFor(JsonNode id, String method, Throwable failure) {
        if (failure instanceof JsonRpcError e) {
            return error(id, e.code(), String.valueOf(e.getMessage()), e.data().orElse(null));
        }
        if (failure instanceof IllegalArgumentException) {
            return error(id, JsonRpcProtocol.INVALID_PARAMS, messageOf(failure), null);
        }
        LOG.log(WARNING, "request " + id + " (" + method + ") failed", failure);
        return error(id, JsonRpcProtocol.INTERNAL_ERROR, messageOf(failure),
                Map.of("exception", failure.getClass().getName()));
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : m;
    }

    /** @return {@code {"jsonrpc":"2.0","id":id,"result":value}}, or an error if it cannot be written or is too large */
    byte[] result(JsonNode id, Object value) {
        byte[] frame;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            try (JsonGenerator g = mapper.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("jsonrpc", "2.0");
                g.writeFieldName("id");
                mapper.writeTree(g, id);
                g.writeFieldName("result");
                mapper.writeValue(g, value);
                g.writeEndObject();
            }
            frame = out.toByteArray();
        } catch (IOException | RuntimeException e) {
            LOG.log(WARNING, "could not write the result of request " + id + " as JSON", e);
            return error(id, JsonRpcProtocol.INTERNAL_ERROR, "could not write the result as JSON: " + messageOf(e),
                    null);
        }
        if (frame.length > maxFrameBytes) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("size", frame.length);
            data.put("limit", maxFrameBytes);
            return error(id, JsonRpcProtocol.INTERNAL_ERROR, "the result is " + frame.length
                    + " bytes, more than the frame limit of " + maxFrameBytes + " bytes", data);
        }
        return frame;
    }

    /** @return {@code {"jsonrpc":"2.0","id":id,"error":{"code":..,"message":..,"data":..}}} */
    byte[] error(JsonNode id, int code, String message, Object data) {
        try {
            byte[] frame = encodeError(id, code, message, data);
            if (frame.length > maxFrameBytes && data != null) {
                return encodeError(id, code, message, null); // the data is the part that can go
            }
            return frame;
        } catch (IOException | RuntimeException e) {
            LOG.log(WARNING, "could not write the data of error " + code + " as JSON; sent without it", e);
            try {
                return encodeError(id, code, message, null);
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    private byte[] encodeError(JsonNode id, int code, String message, Object data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("jsonrpc", "2.0");
            g.writeFieldName("id");
            mapper.writeTree(g, id);
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", code);
            g.writeStringField("message", message);
            if (data != null) {
                g.writeFieldName("data");
                mapper.writeValue(g, data);
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Writes a notification {@code {"jsonrpc":"2.0","method":method,"params":params}}. */
    void notify(String method, Object params) {
        byte[] frame;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            try (JsonGenerator g = mapper.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("jsonrpc", "2.0");
                g.writeStringField("method", method);
                if (params != null) {
                    g.writeFieldName("params");
                    mapper.writeValue(g, params);
                }
                g.writeEndObject();
            }
            frame = out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot write the params of notification " + method + " as JSON: "
                    + messageOf(e), e);
        }
        if (frame.length > maxFrameBytes) {
            throw new IllegalArgumentException("notification " + method + " is " + frame.length
                    + " bytes, more than the frame limit of " + maxFrameBytes + " bytes");
        }
        write(frame);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    private void write(byte[] frame) {
        if (frame == null || outputBroken) {
            return;
        }
        try {
            writer.write(frame);
        } catch (FrameTooLargeException e) {
            LOG.log(WARNING, "dropped a frame the pool would refuse: " + e.getMessage());
        } catch (IOException e) {
            // stdout is gone (the pool closed it or died): nobody can read answers any more
            outputBroken = true;
            LOG.log(WARNING, "cannot write to stdout any more; answers are dropped: " + e);
        }
    }
}
