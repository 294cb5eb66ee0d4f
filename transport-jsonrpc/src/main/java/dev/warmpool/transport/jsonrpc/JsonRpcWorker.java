package dev.warmpool.transport.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.transport.stdio.FrameReader;
import dev.warmpool.transport.stdio.FrameTooLargeException;
import dev.warmpool.transport.stdio.FrameWriter;
import dev.warmpool.transport.stdio.Framing;
import dev.warmpool.transport.stdio.MalformedFrameException;
import dev.warmpool.transport.stdio.TruncatedFrameException;
import dev.warmpool.worker.wire.JsonRpcEncoder;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import dev.warmpool.worker.wire.ModuleAccess;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process spoken to with warmpool's JSON-RPC 2.0 protocol (see {@link JsonRpcProtocol}).
 * Made by {@link JsonRpcTransport#start}, which returns it only after the {@code $/initialize}
 * handshake succeeded.
 *
 * <p><b>Threads.</b> Requests are written on the caller's thread, one whole frame at a time. Stdout
 * is read by one daemon platform thread of the worker's own ({@code warmpool-<id>-reader}), which
 * decodes each frame with the shared codec ({@link ResponseDecoder}), completes the calls' futures
 * and delivers notifications to the current call's {@link NotificationListener}. Ids are longs from
 * a counter, starting at 1 with the handshake.
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
 *   <li>a result that does not convert to the result type the caller asked for: the caller's
 *       mistake, so {@link IllegalArgumentException} saying what to change (for a type Jackson
 *       cannot reach on the module path, the {@code opens} line to add); the stream is intact and
 *       the worker stays usable;</li>
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

    private final String id;
    private final WorkerChannel channel;
    private final ObjectMapper mapper;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final int maxFrameBytes;
    private final AtomicLong ids = new AtomicLong();
    private final InFlight pending = new InFlight();
    private final ResponseDecoder decoder;
    /** Encodes requests; a sender that finds it busy encodes with one of its own. */
    private final JsonRpcEncoder encoder;
    private final ReentrantLock encoding = new ReentrantLock();
    /** Why the worker is no longer usable; set once. */
    private final AtomicReference<WorkerPoolException> broken = new AtomicReference<>();
    private volatile boolean readerDone;
    private volatile boolean stopping;
    private volatile boolean cancelSupported = true;
    private volatile boolean pingSupported = true;
    private volatile String name = "";

    JsonRpcWorker(WorkerChannel channel, ObjectMapper mapper, Framing framing, int maxFrameBytes, boolean strict) {
        this(channel, mapper, framing, maxFrameBytes, strict, ResponseDecoder.newReaderCache());
    }

    JsonRpcWorker(WorkerChannel channel, ObjectMapper mapper, Framing framing, int maxFrameBytes, boolean strict,
            Map<Class<?>, ObjectReader> resultReaders) {
        this.id = channel.id();
        this.channel = channel;
        this.mapper = mapper;
        this.maxFrameBytes = maxFrameBytes;
        this.reader = framing.reader(channel.stdout(), maxFrameBytes);
        this.writer = framing.writer(channel.stdin(), maxFrameBytes);
        this.encoder = new JsonRpcEncoder(mapper);
        this.decoder = new ResponseDecoder(id, mapper, strict, pending, new ResponseDecoder.Owner() {
            @Override
            public void violation(String what, Throwable cause) {
                JsonRpcWorker.this.violation(what, cause);
            }

            @Override
            public boolean broken() {
                return broken.get() != null;
            }

            @Override
            public void send(byte[] frame) {
                try {
                    writer.write(frame);
                } catch (IOException e) {
                    LOG.debug("worker {}: could not answer its request: {}", id, e.toString());
                }
            }
        }, resultReaders);
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
        CompletableFuture<JsonNode> answer = initializeRequest();
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
        InFlight.Pending<?> p = pending.call().orElse(null);
        if (p == null) {
            return true;
        }
        try {
            writer.write(new JsonRpcEncoder(mapper).cancelRequest(p.id).toByteArray());
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

    private CompletableFuture<JsonNode> initializeRequest() {
        long n = ids.incrementAndGet();
        byte[] frame;
        try {
            frame = new JsonRpcEncoder(mapper).initialize(n, id).toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing the handshake failed: " + e.getMessage(), e);
        }
        return dispatch(new InFlight.Pending<>(n, JsonRpcProtocol.INITIALIZE, JsonNode.class, NotificationListener.NONE),
                false, frame);
    }

    private <T> CompletableFuture<T> send(Call<T> call, boolean isCall) {
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
            String fix = ModuleAccess.advice(e).map(a -> "; " + a).orElse("");
            return CompletableFuture.failedFuture(new IllegalArgumentException("params of " + call.method()
                    + " cannot be written as JSON: " + e.getMessage() + fix, e));
        }
        if (frame.length > maxFrameBytes) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("request " + n + " (" + call.method()
                    + ") is " + frame.length + " bytes, more than the frame limit of " + maxFrameBytes
                    + " bytes (maxFrameBytes); it was not sent"));
        }
        return dispatch(new InFlight.Pending<>(n, call.method(), call.resultType(), call.listener()), isCall, frame);
    }

    private <T> CompletableFuture<T> dispatch(InFlight.Pending<T> p, boolean isCall, byte[] frame) {
        if (broken.get() != null || readerDone || stopping) {
            return CompletableFuture.failedFuture(notSent(p.id));
        }
        pending.add(p, isCall);
        if (broken.get() != null || readerDone) {
            // the reader finished between the check and the add, and will not see this one
            pending.fail(p, notSent(p.id));
            return p.future;
        }
        try {
            writer.write(frame);
        } catch (IOException e) {
            writeFailed(p, e);
        }
        return p.future;
    }

    /** Encodes with the worker's encoder, or with one of its own if another thread is using it. */
    private byte[] encode(long n, String method, Object params) throws IOException {
        if (!encoding.tryLock()) {
            return new JsonRpcEncoder(mapper).request(n, method, params).toByteArray();
        }
        try {
            return encoder.request(n, method, params).toByteArray();
        } finally {
            encoding.unlock();
        }
    }

    private static boolean isScalar(Object params) {
        return params instanceof CharSequence || params instanceof Number || params instanceof Boolean
                || params instanceof Character || params instanceof Enum<?>
                || (params instanceof JsonNode node && !node.isContainerNode());
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

    private void writeFailed(InFlight.Pending<?> p, IOException e) {
        LOG.debug("worker {}: could not write request {}: {}", id, p.id, e.toString());
        channel.onExit().completeOnTimeout(-1, EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS).thenAccept(code -> {
            WorkerCrashedException crash = new WorkerCrashedException(id, code, code >= 0
                    ? "exited before request " + p.id + " could be sent"
                    : "closed its stdin before request " + p.id + " could be sent", tailAfterExit(code));
            if (pending.fail(p, crash)) {
                markBroken(crash);
            }
        });
    }

    // ---------------------------------------------------------------- reading

    /** The reader thread: reads frames until stdout ends, and hands each to the decoder. */
    private void readLoop() {
        try {
            while (readOne()) {
                // until the end of the output
            }
        } catch (RuntimeException | Error e) {
            LOG.error("worker {}: the reader thread failed", id, e);
            violation("could not be read: " + e, e);
            outputEnded(" (the reader failed)");
        }
    }

    /** @return {@code false} once stdout has ended (or cannot be read any more) */
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
        }
        if (frame == null) {
            outputEnded("");
            return false;
        }
        if (broken.get() == null) {
            decoder.onFrame(frame);
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

    /** The worker broke the protocol: it is unusable, and every request in flight fails. */
    private void violation(String what, Throwable cause) {
        String message = "worker " + id + " " + what;
        if (broken.compareAndSet(null, new ProtocolException(message, cause))) {
            LOG.warn("{}; the worker is unusable", message);
        }
        for (InFlight.Pending<?> p : pending.all()) {
            pending.fail(p, new ProtocolException(message + " (while " + p.describe() + " was in flight)", cause));
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
        for (InFlight.Pending<?> p : pending.all()) {
            String detail;
            if (JsonRpcProtocol.INITIALIZE.equals(p.method)) {
                detail = (code >= 0 ? "exited" : "closed its stdout") + " before it became ready" + why;
            } else {
                detail = (code >= 0 ? "exited" : "closed its stdout") + " while running request " + p.id + why;
            }
            WorkerCrashedException crash = new WorkerCrashedException(id, code, detail, tail);
            if (pending.fail(p, crash)) {
                markBroken(crash);
            }
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
}
