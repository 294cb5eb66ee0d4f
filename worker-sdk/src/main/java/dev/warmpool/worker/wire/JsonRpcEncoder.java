package dev.warmpool.worker.wire;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes warmpool's JSON-RPC envelopes, each into one reusable buffer with Jackson's streaming API:
 * the pool's requests, notifications and cancellations, and the worker's results, errors, progress
 * and log notifications. This is the one place either end writes an envelope.
 *
 * <p>Each method encodes one envelope, replacing the previous one; the bytes are in
 * {@link #buffer()} from {@link #offset()} for {@link #length()} bytes until the next call. Before
 * them the buffer keeps {@value #HEADROOM} free bytes, so a framing header (LSP's
 * {@code Content-Length}) can be put in front without copying the envelope, and after them there is
 * room for at least one more byte (a newline). The buffer and its generator are reused from one
 * envelope to the next; a buffer grown past {@value #KEEP_BYTES} bytes for one large envelope is
 * dropped afterwards.
 *
 * <p>Values (params, results, error data) are written by the mapper given at construction, so it
 * decides how Java objects look in JSON. If writing one fails, the exception propagates and the
 * envelope is abandoned: the buffer holds nothing usable until the next envelope, which starts
 * afresh with a new generator (the failed one may have stopped in the middle of an object).
 *
 * <p>Not thread-safe: one encoder per thread (or per lock holder).
 */
public final class JsonRpcEncoder {
    /** The free bytes kept in front of every envelope for a framing header. */
    public static final int HEADROOM = 32;
    /** A buffer larger than this is dropped after its envelope instead of kept for the next. */
    static final int KEEP_BYTES = 1 << 20;
    private static final int INITIAL_BYTES = 512;

    private final ObjectMapper mapper;
    /** Whether the generator is kept from one envelope to the next. */
    private final boolean keep;
    private final Buffer out = new Buffer();
    private @Nullable JsonGenerator generator;
    /** Whether an envelope was begun and not ended: writing it failed, so its generator is not to be trusted. */
    private boolean open;

    /**
     * Creates an encoder that writes params, results and error data with {@code mapper} and keeps its generator (and
     * the generator's buffer) from one envelope to the next; {@link #releasing} does not.
     *
     * @param mapper writes the values inside the envelopes; typically one from
     *     {@link JsonRpcProtocol#newObjectMapper(int)} or {@link JsonRpcProtocol#constrain}
     */
    public JsonRpcEncoder(ObjectMapper mapper) {
        this(mapper, true);
    }

    private JsonRpcEncoder(ObjectMapper mapper, boolean keep) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.keep = keep;
    }

    /**
     * An encoder that gives its generator (and the generator's 8 KB buffer) back to Jackson after
     * each envelope instead of keeping it: for an encoder that mostly waits, as one per pooled
     * worker does, where a kept buffer would weigh on every idle worker. It makes a generator per
     * envelope instead.
     *
     * @param mapper as for {@link #JsonRpcEncoder(ObjectMapper)}
     * @return the encoder
     */
    public static JsonRpcEncoder releasing(ObjectMapper mapper) {
        return new JsonRpcEncoder(mapper, false);
    }

    /**
     * {@code {"jsonrpc":"2.0","id":id,"method":method,"params":params}}; without {@code params} when
     * they are {@code null}.
     *
     * @param id the request id
     * @param method the method
     * @param params the params (anything the mapper can write), or {@code null} for none
     * @return this encoder, holding the envelope
     * @throws IOException if the params cannot be written; the message is Jackson's
     * @throws RuntimeException as the mapper throws it for a value it cannot write
     */
    public JsonRpcEncoder request(long id, String method, @Nullable Object params) throws IOException {
        JsonGenerator g = begin();
        g.writeNumberField("id", id);
        g.writeStringField("method", method);
        optionalValue(g, "params", params);
        return end(g);
    }

    /**
     * {@code {"jsonrpc":"2.0","method":method,"params":params}}; without {@code params} when they
     * are {@code null}.
     *
     * @param method the method
     * @param params the params (anything the mapper can write), or {@code null} for none
     * @return this encoder, holding the envelope
     * @throws IOException if the params cannot be written
     */
    public JsonRpcEncoder notification(String method, @Nullable Object params) throws IOException {
        JsonGenerator g = begin();
        g.writeStringField("method", method);
        optionalValue(g, "params", params);
        return end(g);
    }

    /**
     * The pool's handshake: {@value JsonRpcProtocol#INITIALIZE} with
     * {@code {"protocolVersion":1,"workerId":workerId}}.
     *
     * @param id the request id
     * @param workerId the worker's id, e.g. {@code "w-1"}
     * @return this encoder, holding the envelope
     * @throws IOException only if the generator fails
     */
    public JsonRpcEncoder initialize(long id, String workerId) throws IOException {
        JsonGenerator g = begin();
        g.writeNumberField("id", id);
        g.writeStringField("method", JsonRpcProtocol.INITIALIZE);
        g.writeObjectFieldStart("params");
        g.writeNumberField("protocolVersion", JsonRpcProtocol.PROTOCOL_VERSION);
        g.writeStringField("workerId", workerId);
        g.writeEndObject();
        return end(g);
    }

    /**
     * The pool's cancellation: the notification {@value JsonRpcProtocol#CANCEL_REQUEST} with
     * {@code {"id":id}}.
     *
     * @param id the id of the request to cancel
     * @return this encoder, holding the envelope
     * @throws IOException only if the generator fails
     */
    public JsonRpcEncoder cancelRequest(long id) throws IOException {
        JsonGenerator g = begin();
        g.writeStringField("method", JsonRpcProtocol.CANCEL_REQUEST);
        g.writeObjectFieldStart("params");
        g.writeNumberField("id", id);
        g.writeEndObject();
        return end(g);
    }

    /**
     * {@code {"jsonrpc":"2.0","id":id,"result":result}}.
     *
     * @param id the request's id exactly as received (a {@code NullNode} for {@code null})
     * @param result the result (anything the mapper can write), or {@code null}
     * @return this encoder, holding the envelope
     * @throws IOException if the result cannot be written
     */
    public JsonRpcEncoder result(JsonNode id, @Nullable Object result) throws IOException {
        JsonGenerator g = begin();
        g.writeFieldName("id");
        g.writeTree(id);
        g.writeFieldName("result");
        value(g, result);
        return end(g);
    }

    /**
     * The worker's answer to the handshake: {@code {"protocolVersion":1,"capabilities":{"cancel":true,
     * "ping":true},"name":name}} as the result of request {@code id}.
     *
     * @param id the handshake's id exactly as received
     * @param name the worker's name
     * @return this encoder, holding the envelope
     * @throws IOException only if the generator fails
     */
    public JsonRpcEncoder initializeResult(JsonNode id, String name) throws IOException {
        JsonGenerator g = begin();
        g.writeFieldName("id");
        g.writeTree(id);
        g.writeObjectFieldStart("result");
        g.writeNumberField("protocolVersion", JsonRpcProtocol.PROTOCOL_VERSION);
        g.writeObjectFieldStart("capabilities");
        g.writeBooleanField("cancel", true);
        g.writeBooleanField("ping", true);
        g.writeEndObject();
        g.writeStringField("name", name);
        g.writeEndObject();
        return end(g);
    }

    /**
     * {@code {"jsonrpc":"2.0","id":id,"error":{"code":code,"message":message}}}.
     *
     * @param id the request's id exactly as received, or a {@code NullNode} when it is not known
     * @param code the error code, e.g. {@link JsonRpcProtocol#METHOD_NOT_FOUND}
     * @param message the error message
     * @return this encoder, holding the envelope
     * @throws IOException only if the generator fails
     */
    public JsonRpcEncoder error(JsonNode id, int code, String message) throws IOException {
        return error(id, code, message, null);
    }

    /**
     * {@code {"jsonrpc":"2.0","id":id,"error":{"code":code,"message":message,"data":data}}}; without
     * {@code data} when it is {@code null}.
     *
     * @param id the request's id exactly as received, or a {@code NullNode} when it is not known
     * @param code the error code
     * @param message the error message
     * @param data the error's data (anything the mapper can write), or {@code null} for none
     * @return this encoder, holding the envelope
     * @throws IOException if the data cannot be written
     */
    public JsonRpcEncoder error(JsonNode id, int code, String message, @Nullable Object data) throws IOException {
        JsonGenerator g = begin();
        g.writeFieldName("id");
        g.writeTree(id);
        g.writeObjectFieldStart("error");
        g.writeNumberField("code", code);
        g.writeStringField("message", message);
        optionalValue(g, "data", data);
        g.writeEndObject();
        return end(g);
    }

    /**
     * The worker's {@value JsonRpcProtocol#PROGRESS} notification: {@code {"id":id,"value":value}}.
     *
     * @param id the id of the request it is about; a {@code MissingNode} to leave {@code id} out
     * @param value anything the mapper can write
     * @return this encoder, holding the envelope
     * @throws IOException if the value cannot be written
     */
    public JsonRpcEncoder progress(JsonNode id, @Nullable Object value) throws IOException {
        JsonGenerator g = begin();
        g.writeStringField("method", JsonRpcProtocol.PROGRESS);
        g.writeObjectFieldStart("params");
        aboutRequest(g, id);
        g.writeFieldName("value");
        value(g, value);
        g.writeEndObject();
        return end(g);
    }

    /**
     * The worker's {@value JsonRpcProtocol#LOG} notification:
     * {@code {"id":id,"level":level,"message":message}}.
     *
     * @param id the id of the request it is about; a {@code MissingNode} to leave {@code id} out
     * @param level e.g. {@code "info"}
     * @param message the text
     * @return this encoder, holding the envelope
     * @throws IOException only if the generator fails
     */
    public JsonRpcEncoder log(JsonNode id, String level, String message) throws IOException {
        JsonGenerator g = begin();
        g.writeStringField("method", JsonRpcProtocol.LOG);
        g.writeObjectFieldStart("params");
        aboutRequest(g, id);
        g.writeStringField("level", level);
        g.writeStringField("message", message);
        g.writeEndObject();
        return end(g);
    }

    /**
     * A batch response: the given responses, each already encoded by an encoder, in one array.
     *
     * @param responses the encoded responses, at least one
     * @return this encoder, holding the array
     * @throws IllegalArgumentException if there are none (JSON-RPC 2.0 sends nothing then)
     */
    public JsonRpcEncoder batch(List<byte[]> responses) {
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("a batch response holds at least one response, but there are none");
        }
        if (open) {
            abandon();
        }
        out.reset();
        out.write('[');
        for (int i = 0; i < responses.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            byte[] r = responses.get(i);
            out.write(r, 0, r.length);
        }
        out.write(']');
        out.ensureSpare(1);
        return this;
    }

    /** {@return the buffer holding the last envelope; valid until the next call} */
    public byte[] buffer() {
        return out.bytes;
    }

    /** {@return the offset where the last envelope starts in {@link #buffer()}: always {@value #HEADROOM}} */
    public int offset() {
        return HEADROOM;
    }

    /** {@return the length of the last envelope in bytes} */
    public int length() {
        return out.count - HEADROOM;
    }

    /** {@return a copy of the last envelope's bytes} */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(out.bytes, HEADROOM, out.count);
    }

    /** @return the last envelope as text, for messages and tests */
    @Override
    public String toString() {
        return new String(out.bytes, HEADROOM, out.count - HEADROOM, StandardCharsets.UTF_8);
    }

    /** Starts an envelope: an empty buffer and {@code {"jsonrpc":"2.0"}} written up to its first member. */
    private JsonGenerator begin() throws IOException {
        if (open) {
            abandon();
        }
        open = true;
        out.reset();
        JsonGenerator g = generator;
        if (g == null) {
            g = mapper.createGenerator(out, JsonEncoding.UTF8);
            // one generator writes envelope after envelope into the same buffer: nothing between them
            g.setRootValueSeparator(null);
            generator = g;
        }
        g.writeStartObject();
        g.writeStringField("jsonrpc", "2.0");
        return g;
    }

    private JsonRpcEncoder end(JsonGenerator g) throws IOException {
        g.writeEndObject();
        if (keep) {
            g.flush();
        } else {
            g.close(); // flushes, and returns its buffer to Jackson's recycler
            generator = null;
        }
        out.ensureSpare(1);
        open = false;
        return this;
    }

    /** Drops the generator of an envelope that failed, which may be in the middle of an object. */
    private void abandon() {
        JsonGenerator g = generator;
        generator = null;
        open = false;
        try {
            if (g != null) {
                g.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // it is being dropped because it failed; its state does not matter
        }
        out.reset();
    }

    private void value(JsonGenerator g, @Nullable Object value) throws IOException {
        if (value instanceof JsonNode node) {
            g.writeTree(node);
        } else {
            mapper.writeValue(g, value);
        }
    }

    private void optionalValue(JsonGenerator g, String field, @Nullable Object value) throws IOException {
        if (value != null) {
            g.writeFieldName(field);
            value(g, value);
        }
    }

    private static void aboutRequest(JsonGenerator g, JsonNode id) throws IOException {
        if (!id.isMissingNode()) {
            g.writeFieldName("id");
            g.writeTree(id);
        }
    }

    /** A byte array output stream that starts after the headroom and can be reset without a copy. */
    private static final class Buffer extends OutputStream {
        byte[] bytes = new byte[INITIAL_BYTES];
        int count = HEADROOM;

        void reset() {
            if (bytes.length > KEEP_BYTES) {
                bytes = new byte[INITIAL_BYTES];
            }
            count = HEADROOM;
        }

        void ensureSpare(int n) {
            if (bytes.length - count < n) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + n));
            }
        }

        @Override
        public void write(int b) {
            ensureSpare(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensureSpare(len);
            System.arraycopy(b, off, bytes, count, len);
            count += len;
        }
    }
}
