package dev.warmpool.transport.jsonrpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.Notification;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.transport.stdio.FrameReader;
import dev.warmpool.transport.stdio.FrameTooLargeException;
import dev.warmpool.transport.stdio.FrameWriter;
import dev.warmpool.transport.stdio.Framing;
import dev.warmpool.transport.stdio.MalformedFrameException;
import dev.warmpool.transport.stdio.TruncatedFrameException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process spoken to with warmpool's JSON-RPC 2.0 protocol (see {@link JsonRpcProtocol}).
 * Made by {@link JsonRpcTransport#start}, which returns it only after the {@code $/initialize}
 * handshake succeeded.
 *
 * <p><b>Threads.</b> Requests are written on the caller's thread, one whole frame at a time. Stdout
 * is read by a daemon platform thread of the worker's own ({@code warmpool-<id>-reader}), which
 * completes the calls' futures and delivers notifications to the current call's
 * {@link NotificationListener}. Ids are longs from a counter, starting at 1 with the handshake.
 *
 * <p><b>Outcomes of a call.</b>
 * <ul>
 *   <li>a result: converted to {@link Call#resultType()} by the transport's {@link ObjectMapper}
 *       ({@code Object.class} gives maps, lists, strings, numbers, booleans or {@code null});</li>
 *   <li>an error response: {@link WorkerErrorException} with its code, message and {@code data} as
 *       plain Java values; the worker stays usable. An error response with id {@code null} (the
 *       worker could not tell which request it answers, e.g. because the request exceeded its frame
 *       limit) goes to the call in flight;</li>
 *   <li>the process exits, or closes its stdout, while the call is in flight:
 *       {@link WorkerCrashedException} with the exit status (waited for up to 1 s after end-of-file;
 *       -1 if the process is still running) and the stderr tail. Exit status 0 is a crash too, and
 *       so is a frame cut off by end-of-file: it is never taken for a result. When a descendant keeps
 *       stdout open after the worker died, the call fails 1 s after the exit;</li>
 *   <li>the worker breaks the protocol: {@link ProtocolException}, and the worker is no longer
 *       {@linkplain #isUsable() usable}. Violations are: a frame over {@code maxFrameBytes} (the
 *       message names the size and the limit), a response with both {@code result} and
 *       {@code error} or with neither, a response to an id that is not in flight, a {@code jsonrpc}
 *       member other than {@code "2.0"}, a malformed JSON-RPC message, JSON beyond the parser limits,
 *       a malformed {@code Content-Length} header — and, only with
 *       {@link dev.warmpool.api.spi.WorkerSpec#strictOutput() strictOutput}, any stdout line that is not a
 *       JSON-RPC message. Without it such lines (a banner, a debug print, a structured log line
 *       without a {@code jsonrpc} member) are logged with the worker id and skipped;</li>
 *   <li>a result that does not convert to the result type: {@link ProtocolException}, but the
 *       stream is intact and the worker stays usable;</li>
 *   <li>params that cannot be sent — not writable as JSON, a scalar (JSON-RPC 2.0 wants an object or
 *       array), or a frame over {@code maxFrameBytes}: the future fails with
 *       {@link IllegalArgumentException}, nothing is sent, and the worker stays usable.</li>
 * </ul>
 * A request the worker sends to the pool is answered with -32601 (the pool serves no methods).
 *
 * <p><b>Cancellation.</b> {@link #cancel()} sends {@code $/cancelRequest} for the call in flight;
 * it returns {@code false} only if the worker said in the handshake that it cannot cancel.
 * {@link #ping()} sends {@code $/ping} (or, for a worker that said it cannot be pinged, completes
 * at once while the worker is usable).
 *
 * <p>Thread-safe.
 */
public final class JsonRpcWorker implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcWorker.class);
    /** How long to wait for the exit status after end-of-file on stdout, and for the reader after an exit. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(1);
    /** How long to wait for the rest of stderr once the process exited, so the tail has its last words. */
    private static final Duration STDERR_WAIT = Duration.ofMillis(500);
    private static final byte[] JSONRPC_MEMBER = "\"jsonrpc\"".getBytes(StandardCharsets.US_ASCII);

    private final String id;
    private final WorkerChannel channel;
    private final ObjectMapper mapper;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final int maxFrameBytes;
    private final boolean strict;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending<?>> pending = new ConcurrentHashMap<>();
    private final Map<Class<?>, ObjectReader> resultReaders = new ConcurrentHashMap<>();
    private final AtomicReference<Pending<?>> current = new AtomicReference<>();
    /** Why the worker is no longer usable; set once. */
    private final AtomicReference<WorkerPoolException> broken = new AtomicReference<>();
    private volatile boolean readerDone;
    private volatile boolean stopping;
    private volatile boolean cancelSupported = true;
    private volatile boolean pingSupported = true;
    private volatile String name = "";

    JsonRpcWorker(WorkerChannel channel, ObjectMapper mapper, Framing framing, int maxFrameBytes, boolean strict) {
        this.id = channel.id();
        this.channel = channel;
        this.mapper = mapper;
        this.maxFrameBytes = maxFrameBytes;
        this.strict = strict;
        this.reader = framing.reader(channel.stdout(), maxFrameBytes);
        this.writer = framing.writer(channel.stdin(), maxFrameBytes);
        Thread readerThread = new Thread(this::readLoop, "warmpool-" + id + "-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        channel.onExit().thenRun(() ->
                CompletableFuture.delayedExecutor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS).execute(this::afterExit));
    }

    // ---------------------------------------------------------------- handshake

    /**
     * Sends {@code $/initialize} and waits for the answer. On any failure kills the process and
     * throws.
     *
     * @param startTimeout the spec's start timeout
     * @param startedAt {@link System#nanoTime()} when the start began
     */
    void initialize(Duration startTimeout, long startedAt) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("protocolVersion", JsonRpcProtocol.PROTOCOL_VERSION);
        params.put("workerId", id);
        CompletableFuture<JsonNode> answer =
                send(new Call<>(JsonRpcProtocol.INITIALIZE, params, JsonNode.class, NotificationListener.NONE), false);
        JsonNode result;
        try {
            long left = startTimeout.toNanos() - (System.nanoTime() - startedAt);
            result = answer.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw startFailure("worker " + id + " did not become ready within " + format(startTimeout), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw startFailure("interrupted while waiting for worker " + id + " to become ready", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof WorkerCrashedException crash) {
                channel.kill();
                String how = crash.exitCode() < 0 ? "closed its stdout"
                        : crash.signal().isPresent() ? "was killed by signal " + crash.signal().getAsInt()
                        : "exited with code " + crash.exitCode();
                throw new WorkerStartException("worker " + id + " " + how + " before it became ready",
                        crash.stderrTail(), crash);
            }
            if (c instanceof WorkerErrorException err) {
                throw startFailure("worker " + id + " answered " + JsonRpcProtocol.INITIALIZE + " with error "
                        + err.code() + " (is it a warmpool JSON-RPC worker?): " + err.getMessage(), err);
            }
            if (c instanceof ProtocolException) {
                throw startFailure(c.getMessage(), c); // already says which worker and what it sent
            }
            throw startFailure("worker " + id + " failed before it became ready: " + c, c);
        }
        JsonNode version = result == null ? null : result.get("protocolVersion");
        if (version == null || !version.isIntegralNumber()) {
            throw startFailure("worker " + id + " answered " + JsonRpcProtocol.INITIALIZE
                    + " without a numeric protocolVersion (got " + result + "); this transport speaks version "
                    + JsonRpcProtocol.PROTOCOL_VERSION, null);
        }
        if (version.asLong() != JsonRpcProtocol.PROTOCOL_VERSION) {
            throw startFailure("worker " + id + " speaks protocol version " + version.asText()
                    + ", but this transport speaks version " + JsonRpcProtocol.PROTOCOL_VERSION, null);
        }
        JsonNode caps = result.path("capabilities");
        cancelSupported = caps.path("cancel").asBoolean(false);
        pingSupported = caps.path("ping").asBoolean(false);
        name = result.path("name").asText("");
        LOG.debug("worker {} (pid {}) is ready: name '{}', capabilities {}", id, channel.pid(), name, caps);
    }

    private WorkerStartException startFailure(String message, Throwable cause) {
        channel.kill();
        return new WorkerStartException(message, channel.stderrTail(), cause);
    }

    static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos >= 1_000_000_000L) {
            return trim(nanos / 1e9) + " s";
        }
        if (nanos >= 1_000_000L) {
            return trim(nanos / 1e6) + " ms";
        }
        return trim(nanos / 1e3) + " µs";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    // ---------------------------------------------------------------- Worker

    @Override
    public String id() {
        return id;
    }

    /** @return the name the worker gave in the handshake, e.g. {@code "echo"}; empty if it gave none */
    public String name() {
        return name;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(channel.pid());
    }

    @Override
    public <T> CompletableFuture<T> call(Call<T> call) {
        return send(call, true);
    }

    @Override
    public boolean cancel() {
        if (!cancelSupported) {
            return false;
        }
        Pending<?> p = current.get();
        if (p == null || p.future.isDone()) {
            return true;
        }
        try {
            writer.write(encode(null, JsonRpcProtocol.CANCEL_REQUEST, Map.of("id", p.id)));
        } catch (IOException e) {
            // the worker is going away; the call then fails as a crash
            LOG.debug("worker {}: could not send {} for request {}: {}", id, JsonRpcProtocol.CANCEL_REQUEST, p.id,
                    e.toString());
        }
        return true;
    }

    @Override
    public CompletableFuture<Void> ping() {
        if (!pingSupported) {
            return isUsable() ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(notSent(ids.incrementAndGet()));
        }
        return send(new Call<>(JsonRpcProtocol.PING, null, Void.class, NotificationListener.NONE), false);
    }

    @Override
    public boolean isUsable() {
        return broken.get() == null && !stopping && !readerDone && channel.isAlive();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return channel.onExit();
    }

    @Override
    public CompletableFuture<Integer> stop(Duration grace) {
        stopping = true;
        return channel.stop(grace);
    }

    @Override
    public void kill() {
        stopping = true;
        channel.kill();
    }

    @Override
    public List<String> stderrTail() {
        return channel.stderrTail();
    }

    @Override
    public String toString() {
        return "JsonRpcWorker[" + id + ", pid " + channel.pid() + (name.isEmpty() ? "" : ", " + name) + "]";
    }

    // ---------------------------------------------------------------- sending

    private <T> CompletableFuture<T> send(Call<T> call, boolean isCurrent) {
        long n = ids.incrementAndGet();
        Object params = call.params();
        if (params instanceof JsonNode node && node.isNull()) {
            params = null;
        }
        if (params != null && isScalar(params)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("params of " + call.method()
                    + " must be written as a JSON object or array (JSON-RPC 2.0 section 4.2), but are a "
                    + params.getClass().getSimpleName() + "; wrap the value, e.g. List.of(value) or Map.of(\"value\", value)"));
        }
        byte[] frame;
        try {
            frame = encode(n, call.method(), params);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("params of " + call.method()
                    + " cannot be written as JSON: " + e.getMessage(), e));
        }
        if (frame.length > maxFrameBytes) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("request " + n + " (" + call.method()
                    + ") is " + frame.length + " bytes, more than the frame limit of " + maxFrameBytes
                    + " bytes (maxFrameBytes); it was not sent"));
        }
        Pending<T> p = new Pending<>(n, call.method(), call.resultType(), call.listener());
        if (broken.get() != null || readerDone || stopping) {
            return CompletableFuture.failedFuture(notSent(n));
        }
        pending.put(n, p);
        if (isCurrent) {
            current.set(p);
        }
        if ((broken.get() != null || readerDone) && pending.remove(n, p)) {
            // the reader finished between the check and the put, and will not see this one
            p.future.completeExceptionally(notSent(n));
            return p.future;
        }
        try {
            writer.write(frame);
        } catch (IOException e) {
            writeFailed(p, e);
        }
        return p.future;
    }

    private static boolean isScalar(Object params) {
        return params instanceof CharSequence || params instanceof Number || params instanceof Boolean
                || params instanceof Character || params instanceof Enum<?>
                || (params instanceof JsonNode node && !node.isContainerNode());
    }

    /** @param n the request id, or {@code null} for a notification */
    private byte[] encode(Long n, String method, Object params) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("jsonrpc", "2.0");
            if (n != null) {
                g.writeNumberField("id", n);
            }
            g.writeStringField("method", method);
            if (params != null) {
                g.writeFieldName("params");
                mapper.writeValue(g, params);
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private WorkerPoolException notSent(long n) {
        WorkerPoolException why = broken.get();
        if (why instanceof ProtocolException) {
            return new ProtocolException("worker " + id + " is unusable after a protocol violation; request " + n
                    + " was not sent: " + why.getMessage(), why);
        }
        int code = exitCodeNow();
        String detail = why instanceof WorkerCrashedException || readerDone
                ? (code >= 0 ? "had exited before request " + n + " was sent" : "had closed its stdout before request " + n + " was sent")
                : "was being stopped when request " + n + " was to be sent";
        return new WorkerCrashedException(id, code, detail, channel.stderrTail());
    }

    private void writeFailed(Pending<?> p, IOException e) {
        LOG.debug("worker {}: could not write request {}: {}", id, p.id, e.toString());
        channel.onExit().completeOnTimeout(-1, EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS).thenAccept(code -> {
            if (pending.remove(p.id, p)) {
                WorkerCrashedException crash = new WorkerCrashedException(id, code, code >= 0
                        ? "exited before request " + p.id + " could be sent"
                        : "closed its stdin before request " + p.id + " could be sent", tailAfterExit(code));
                markBroken(crash);
                fail(p, crash);
            }
        });
    }

    // ---------------------------------------------------------------- reading

    /** The reader thread: reads frames until stdout ends. */
    private void readLoop() {
        try {
            while (!readerDone && readOne()) {
                // until the end of the output
            }
        } catch (RuntimeException | Error e) {
            LOG.error("worker {}: the reader thread failed", id, e);
            violation("could not be read: " + e, e);
            outputEnded(" (the reader failed)");
        }
    }

    /**
     * Reads and handles one frame. Only the reader thread calls it.
     *
     * @return {@code false} once stdout has ended (or cannot be read any more)
     */
    private boolean readOne() {
        byte[] frame;
        try {
            frame = reader.read();
        } catch (FrameTooLargeException e) {
            violation("sent a frame too large to accept: " + e.getMessage(), e);
            return true; // the reader skips the rest; keep draining so the worker never blocks on a full pipe
        } catch (TruncatedFrameException e) {
            outputEnded(" after writing a cut-off frame (" + e.getMessage() + ")");
            return false;
        } catch (MalformedFrameException e) {
            violation("sent a malformed frame header: " + e.getMessage(), e);
            readerDone = true;
            drainInBackground();
            outputEnded("");
            return false;
        } catch (IOException e) {
            outputEnded(" (reading its stdout failed: " + e + ")");
            return false;
        } catch (RuntimeException | Error e) {
            LOG.error("worker {}: reading its stdout failed", id, e);
            violation("could not be read: " + e, e);
            outputEnded(" (reading its stdout failed: " + e + ")");
            return false;
        }
        if (frame == null) {
            outputEnded("");
            return false;
        }
        if (broken.get() == null) {
            try {
                handleFrame(frame);
            } catch (RuntimeException | Error e) {
                LOG.error("worker {}: reading its output failed", id, e);
                violation("could not be read: " + e, e);
                outputEnded(" (the reader failed)");
                return false;
            }
        }
        return true;
    }

    /** After a malformed header nothing more is parsed, but the worker must never block on a full pipe. */
    private void drainInBackground() {
        Thread.ofPlatform().daemon().name("warmpool-" + id + "-drain").start(this::drain);
    }

    private void drain() {
        try {
            channel.stdout().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            LOG.trace("worker {}: draining stdout: {}", id, e.toString());
        }
    }

    private void handleFrame(byte[] frame) {
        if (plainResult(frame)) {
            return;
        }
        JsonNode msg;
        try {
            msg = mapper.readTree(frame);
        } catch (StreamConstraintsException e) {
            violation("sent JSON beyond the parser limits: " + e.getOriginalMessage(), e);
            return;
        } catch (IOException e) {
            if (indexOf(frame, JSONRPC_MEMBER) >= 0) {
                violation("sent a malformed JSON-RPC message (" + firstLine(e) + "): " + preview(frame), e);
            } else {
                notAMessage(frame);
            }
            return;
        }
        if (msg == null || msg.isMissingNode()) {
            return;
        }
        if (msg.isArray() && !msg.isEmpty()) {
            for (JsonNode m : msg) {
                if (broken.get() != null) {
                    return;
                }
                if (!m.isObject()) {
                    violation("sent a batch holding something other than an object: " + preview(frame), null);
                    return;
                }
                handleMessage(m, frame);
            }
            return;
        }
        handleMessage(msg, frame);
    }

    private void notAMessage(byte[] frame) {
        if (strict) {
            violation("wrote a line to stdout that is not a JSON-RPC message (strictOutput is on): "
                    + preview(frame), null);
        } else {
            LOG.warn("worker {} wrote a line to stdout that is not a JSON-RPC message; skipped: {}", id, preview(frame));
        }
    }

    private void handleMessage(JsonNode msg, byte[] frame) {
        JsonNode version = msg.isObject() ? msg.get("jsonrpc") : null;
        if (version == null) {
            notAMessage(frame);
            return;
        }
        if (!version.isTextual() || !"2.0".equals(version.textValue())) {
            violation("sent a message with jsonrpc " + version + " instead of \"2.0\": " + preview(frame), null);
            return;
        }
        JsonNode method = msg.get("method");
        if (method != null) {
            if (!method.isTextual()) {
                violation("sent a message whose method is not a string: " + preview(frame), null);
            } else if (msg.has("id")) {
                refuseRequest(msg.get("id"), method.textValue());
            } else {
                notification(method.textValue(), msg.get("params"));
            }
            return;
        }
        boolean hasResult = msg.has("result");
        boolean hasError = msg.has("error");
        if (hasResult && hasError) {
            violation("sent a response with both result and error: " + preview(frame), null);
            return;
        }
        if (!hasResult && !hasError) {
            violation("sent a message with neither result, error nor method: " + preview(frame), null);
            return;
        }
        JsonNode idNode = msg.get("id");
        if (idNode == null || idNode.isNull()) {
            if (hasResult) {
                violation("sent a result without an id: " + preview(frame), null);
            } else {
                errorWithoutId(msg.get("error"), frame);
            }
            return;
        }
        Pending<?> p = idNode.isIntegralNumber() && idNode.canConvertToLong() ? pending.remove(idNode.longValue()) : null;
        if (p == null) {
            violation("answered request " + idNode + ", which is not in flight: " + preview(frame), null);
            return;
        }
        if (hasError) {
            WorkerErrorException err = workerError(msg.get("error"), frame);
            fail(p, err != null ? err : broken.get());
        } else {
            completeFromTree(p, msg.get("result"));
        }
    }

    /**
     * The common frame in one streaming pass, straight into the result type: an object of exactly
     * {@code "jsonrpc":"2.0"}, an integer {@code id} in flight and, after it, a {@code result}. Any
     * other frame, or one this pass cannot read or convert, returns {@code false} having changed
     * nothing, and takes the general path, which reports what is wrong with it.
     *
     * @return whether the frame answered a request
     */
    private boolean plainResult(byte[] frame) {
        Pending<?> p = null;
        Object value = null;
        try (JsonParser parser = mapper.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean version = false;
            boolean hasResult = false;
            String field;
            while ((field = parser.nextFieldName()) != null) {
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "jsonrpc" -> {
                        if (version || token != JsonToken.VALUE_STRING || !"2.0".equals(parser.getText())) {
                            return false;
                        }
                        version = true;
                    }
                    case "id" -> {
                        if (p != null || token != JsonToken.VALUE_NUMBER_INT
                                || parser.getNumberType() != JsonParser.NumberType.INT
                                        && parser.getNumberType() != JsonParser.NumberType.LONG) {
                            return false;
                        }
                        p = pending.get(parser.getLongValue());
                        if (p == null) {
                            return false;
                        }
                    }
                    case "result" -> {
                        if (hasResult || p == null) {
                            return false;
                        }
                        hasResult = true;
                        if (p.type == Void.class) {
                            parser.skipChildren();
                        } else {
                            value = resultReader(p.type).readValue(parser); // null too: the type decides
                        }
                    }
                    default -> {
                        return false; // error, method, or a member of its own: the general path
                    }
                }
            }
            if (!version || !hasResult || parser.nextToken() != null) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (!pending.remove(p.id, p)) {
            return true; // it ended another way meanwhile (a deadline, the process's exit)
        }
        complete(p, value);
        return true;
    }

    /** @return a reader that binds a value in the middle of a message to {@code type} */
    private ObjectReader resultReader(Class<?> type) {
        return resultReaders.computeIfAbsent(type,
                t -> mapper.readerFor(t).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
    }

    private void errorWithoutId(JsonNode error, byte[] frame) {
        Pending<?> p = current.get();
        if (p == null || p.future.isDone()) {
            p = pending.size() == 1 ? pending.values().iterator().next() : null;
        }
        WorkerErrorException err = workerError(error, frame);
        if (err == null) {
            return;
        }
        if (p != null && pending.remove(p.id, p)) {
            fail(p, err);
        } else {
            LOG.warn("worker {} sent an error for no request in flight; skipped: {}", id, err.getMessage());
        }
    }

    /** @return the error, or {@code null} after reporting a malformed error object as a violation */
    private WorkerErrorException workerError(JsonNode error, byte[] frame) {
        JsonNode code = error == null ? null : error.get("code");
        if (code == null || !code.isIntegralNumber() || !code.canConvertToInt()) {
            violation("sent an error without an integer code: " + preview(frame), null);
            return null;
        }
        JsonNode message = error.get("message");
        String text = message == null || message.isNull() ? "" : message.isTextual() ? message.textValue() : message.toString();
        return new WorkerErrorException(id, code.intValue(), text, plain(error.get("data")));
    }

    private void refuseRequest(JsonNode requestId, String method) {
        LOG.warn("worker {} sent request {} ({}); the pool serves no methods and answers -32601", id, requestId, method);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            try (JsonGenerator g = mapper.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("jsonrpc", "2.0");
                g.writeFieldName("id");
                mapper.writeTree(g, requestId);
                g.writeObjectFieldStart("error");
                g.writeNumberField("code", JsonRpcProtocol.METHOD_NOT_FOUND);
                g.writeStringField("message", "Method not found");
                g.writeEndObject();
                g.writeEndObject();
            }
            writer.write(out.toByteArray());
        } catch (IOException e) {
            LOG.debug("worker {}: could not answer its request: {}", id, e.toString());
        }
    }

    private void notification(String method, JsonNode params) {
        Pending<?> p = current.get();
        JsonNode about = params == null ? null : params.get("id");
        if (p == null || p.future.isDone()
                || (about != null && about.isIntegralNumber() && about.asLong() != p.id)) {
            if (JsonRpcProtocol.LOG.equals(method) && params != null) {
                LOG.info("worker {} [{}]: {}", id, params.path("level").asText("info"), params.path("message").asText(""));
            } else {
                LOG.debug("worker {} sent {} while no request of its was in flight; dropped", id, method);
            }
            return;
        }
        Notification n;
        try {
            n = new Notification(id, method, plain(params));
        } catch (RuntimeException e) {
            LOG.warn("worker {}: could not convert notification {}: {}", id, method, e.toString());
            return;
        }
        try {
            p.listener.onNotification(n);
        } catch (RuntimeException e) {
            LOG.warn("worker {}: the notification listener of request {} failed on {}", id, p.id, method, e);
        }
    }

    private Object plain(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return mapper.treeToValue(node, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> void completeFromTree(Pending<T> p, JsonNode result) {
        T value;
        try {
            value = p.type == Void.class ? null : mapper.treeToValue(result, p.type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            fail(p, new ProtocolException("worker " + id + " answered request " + p.id + " (" + p.method
                    + ") with a result that cannot be converted to " + p.type.getName() + ": " + firstLine(e), e));
            return;
        }
        complete(p, value);
    }

    /** @param value already of {@code p}'s result type */
    @SuppressWarnings("unchecked")
    private <T> void complete(Pending<T> p, Object value) {
        current.compareAndSet(p, null);
        p.future.complete((T) value);
    }

    private void fail(Pending<?> p, Throwable t) {
        current.compareAndSet(p, null);
        p.future.completeExceptionally(t);
    }

    /** The worker broke the protocol: it is unusable, and every request in flight fails. */
    private void violation(String what, Throwable cause) {
        String message = "worker " + id + " " + what;
        if (broken.compareAndSet(null, new ProtocolException(message, cause))) {
            LOG.warn("{}; the worker is unusable", message);
        }
        for (Pending<?> p : pending.values()) {
            if (pending.remove(p.id, p)) {
                fail(p, new ProtocolException(message + " (while request " + p.id + " (" + p.method + ") was in flight)",
                        cause));
            }
        }
    }

    private void markBroken(WorkerPoolException why) {
        broken.compareAndSet(null, why);
    }

    /** Stdout reached end-of-file (or failed): every request in flight fails as a crash. */
    private void outputEnded(String why) {
        readerDone = true;
        if (pending.isEmpty()) {
            if (!stopping && broken.get() == null) {
                LOG.debug("worker {} closed its stdout{}", id, why);
            }
            return;
        }
        int code = awaitExitCode();
        crashAll(code, why);
    }

    /** Runs 1 s after the process exited: if the reader has not seen end-of-file, something else holds stdout. */
    private void afterExit() {
        if (!readerDone && !pending.isEmpty()) {
            crashAll(exitCodeNow(), " (a process it started still holds its stdout)");
        }
    }

    private void crashAll(int code, String why) {
        List<String> tail = tailAfterExit(code);
        for (Pending<?> p : pending.values()) {
            if (!pending.remove(p.id, p)) {
                continue;
            }
            String detail;
            if (JsonRpcProtocol.INITIALIZE.equals(p.method)) {
                detail = (code >= 0 ? "exited" : "closed its stdout") + " before it became ready" + why;
            } else {
                detail = (code >= 0 ? "exited" : "closed its stdout") + " while running request " + p.id + why;
            }
            WorkerCrashedException crash = new WorkerCrashedException(id, code, detail, tail);
            markBroken(crash);
            fail(p, crash);
        }
    }

    private int awaitExitCode() {
        try {
            return channel.onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return exitCodeNow();
        } catch (ExecutionException e) {
            return -1;
        }
    }

    private int exitCodeNow() {
        return channel.onExit().getNow(-1);
    }

    private List<String> tailAfterExit(int code) {
        if (code >= 0) {
            try {
                channel.awaitStderrClosed(STDERR_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return channel.stderrTail();
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String preview(byte[] frame) {
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

    /** A request in flight. */
    private static final class Pending<T> {
        final long id;
        final String method;
        final Class<T> type;
        final NotificationListener listener;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Pending(long id, String method, Class<T> type, NotificationListener listener) {
            this.id = id;
            this.method = method;
            this.type = type;
            this.listener = listener;
        }
    }
}
