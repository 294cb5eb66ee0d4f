package dev.warmpool.transport.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.transport.stdio.Framing;
import dev.warmpool.transport.stdio.ProcessWorker;
import dev.warmpool.transport.stdio.WorkerChannel;
import dev.warmpool.transport.stdio.WorkerFailure;
import dev.warmpool.worker.wire.JsonRpcEncoder;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import dev.warmpool.worker.wire.ModuleAccess;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A worker process spoken to with warmpool's JSON-RPC 2.0 protocol (see
 * {@link JsonRpcProtocol}). Made by {@link JsonRpcTransport#start}, which returns it only after the
 * {@code $/initialize} handshake succeeded.
 *
 * <p><b>Threads.</b> The process is {@link ProcessWorker}'s: one reader thread per worker reads
 * stdout, and this class decodes each frame with the codec the worker SDK shares
 * ({@link ResponseDecoder}), completes the calls' futures and hands notifications to the current
 * call's {@link NotificationListener} on that thread. Frames go out as the base sends them: never
 * blocking the caller, so a cancellation never waits behind a stuck write. Ids are longs from a
 * counter, starting at 1 with the handshake.
 *
 * <p><b>Outcomes of a call.</b>
 * <ul>
 *   <li>a result: converted to {@link Call#resultType()} by the transport's {@link ObjectMapper},
 *       straight from the parser when the response names its id before its result
 *       ({@code Object.class} gives maps, lists, strings, numbers, booleans or {@code null});</li>
 *   <li>an error response: {@link dev.warmpool.api.WorkerErrorException} with its code, message and
 *       {@code data} as plain Java values; the worker stays usable. An error response with id
 *       {@code null} (the worker could not tell which request it answers, e.g. because the request
 *       exceeded its frame limit) goes to the call in flight;</li>
 *   <li>the process exits, or closes its stdout, while the call is in flight:
 *       {@link dev.warmpool.api.WorkerCrashedException} with the exit status and the stderr tail, as
 *       the base words it (its timings: {@link ProcessWorker#EXIT_WAIT},
 *       {@link ProcessWorker#AFTER_EXIT_GRACE}). Exit status 0 is a crash too, and so is a frame cut
 *       off by end-of-file: it is never taken for a result;</li>
 *   <li>the worker breaks the protocol: {@link dev.warmpool.api.ProtocolException}, and the worker
 *       is no longer {@linkplain #isUsable() usable}. Violations are: a frame over
 *       {@code maxFrameBytes} (the message names the size and the limit), a response with both
 *       {@code result} and {@code error} or with neither, a response to an id that is not in flight,
 *       a {@code jsonrpc} member other than {@code "2.0"}, a malformed JSON-RPC message, JSON beyond
 *       the parser limits, a malformed {@code Content-Length} header — and, only with
 *       {@link WorkerSpec#strictOutput() strictOutput}, any stdout line that is not a JSON-RPC
 *       message. Without it such lines (a banner, a debug print, a structured log line without a
 *       {@code jsonrpc} member) are logged with the worker id and skipped;</li>
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
public final class JsonRpcWorker extends ProcessWorker {
    private final ObjectMapper mapper;
    private final int maxFrameBytes;
    private final AtomicLong ids = new AtomicLong();
    private final InFlight inFlight = new InFlight();
    private final ResponseDecoder decoder;
    /** Encodes what callers send; a sender that finds it busy encodes with one of its own. */
    private final JsonRpcEncoder encoder;
    private final ReentrantLock encoding = new ReentrantLock();
    private volatile Handshake.Peer peer = Handshake.Peer.ASSUMED;

    /**
     * @param channel the worker's pipes and process
     * @param spec what it was started from (its frame limit and strictness count here)
     * @param mapper writes params and reads results, with the parser limits for the spec's frame limit
     * @param framing how frames are cut and put
     * @param resultReaders one reader per result type, shared by a transport's workers
     */
    JsonRpcWorker(WorkerChannel channel, WorkerSpec spec, ObjectMapper mapper, Framing framing,
            Map<Class<?>, ObjectReader> resultReaders) {
        super(JsonRpcTransport.NAME, channel, spec, framing);
        this.mapper = mapper;
        this.maxFrameBytes = spec.maxFrameBytes();
        this.encoder = JsonRpcEncoder.releasing(mapper); // an idle worker keeps no generator buffer
        this.decoder = new ResponseDecoder(spec.id(), mapper, spec.strictOutput(), inFlight, new ResponseDecoder.Owner() {
            @Override
            public void violation(String what, @Nullable Throwable cause) {
                protocolViolation(what, cause);
            }

            @Override
            public boolean broken() {
                return failure().filter(f -> f.kind() == WorkerFailure.Kind.PROTOCOL).isPresent();
            }

            @Override
            public void send(byte[] frame) {
                JsonRpcWorker.this.send(frame);
            }
        }, resultReaders);
    }

    /**
     * Starts reading and shakes hands: sends {@code $/initialize} and waits for the answer within
     * the spec's start timeout.
     *
     * @throws dev.warmpool.api.WorkerStartException if the worker exits, breaks the protocol,
     *     answers with another protocol version or an error, or does not answer in time; it is
     *     killed then
     */
    void open() {
        startReading();
        long n = ids.incrementAndGet();
        byte[] frame = encode(e -> e.initialize(n, id()));
        InFlight.Pending<JsonNode> p = new InFlight.Pending<>(n, JsonRpcProtocol.INITIALIZE, JsonNode.class,
                NotificationListener.NONE);
        CompletableFuture<Handshake.Peer> ready = Handshake.check(id(), dispatch(p, false, frame, "the handshake"));
        awaitReady(ready, Readiness.BECOME_READY);
        peer = ready.join();
    }

    /** {@return the name the worker gave in the handshake, e.g. {@code "echo"}; empty if it gave none} */
    public String name() {
        return peer.name();
    }

    @Override
    public <T> CompletableFuture<@Nullable T> call(Call<T> call) {
        return request(call.method(), call.params(), call.resultType(), call.listener(), true);
    }

    @Override
    public boolean cancel() {
        if (!peer.cancel()) {
            return false;
        }
        inFlight.call().ifPresent(p -> {
            if (refusal("the cancellation").isEmpty()) {
                send(encode(e -> e.cancelRequest(p.id)));
            }
        });
        return true;
    }

    @Override
    @SuppressWarnings("NullAway") // request's CompletableFuture<@Nullable Void> is a CompletableFuture<Void>: a Void is null
    public CompletableFuture<Void> ping() {
        if (!peer.ping()) {
            Optional<WorkerPoolException> refused = refusal("the health check");
            return refused.isPresent() ? CompletableFuture.failedFuture(refused.get())
                    : CompletableFuture.completedFuture(null);
        }
        return request(JsonRpcProtocol.PING, null, Void.class, NotificationListener.NONE, false);
    }

    @Override
    protected void onFrame(byte[] frame) {
        decoder.onFrame(frame);
    }

    @Override
    protected boolean hasInFlight() {
        return !inFlight.isEmpty();
    }

    @Override
    protected void failInFlight(WorkerFailure failure) {
        for (InFlight.Pending<?> p : inFlight.all()) {
            String activity = switch (p.method) {
                case JsonRpcProtocol.INITIALIZE -> "starting";
                case JsonRpcProtocol.PING -> "answering a health check";
                default -> "running request " + p.id;
            };
            inFlight.fail(p, failure.during(activity));
        }
    }

    private <T> CompletableFuture<@Nullable T> request(String method, @Nullable Object params, Class<T> type, NotificationListener listener,
            boolean isCall) {
        long n = ids.incrementAndGet();
        Object p = params instanceof JsonNode node && node.isNull() ? null : params;
        if (p != null && isScalar(p)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("params of " + method
                    + " must be written as a JSON object or array (JSON-RPC 2.0 section 4.2), but are a "
                    + p.getClass().getSimpleName() + "; wrap the value, e.g. List.of(value) or Map.of(\"value\", value)"));
        }
        byte[] frame;
        try {
            frame = encode(e -> e.request(n, method, p));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("params of " + method
                    + " cannot be written as JSON: " + e.getMessage(), e.getCause()));
        }
        if (frame.length > maxFrameBytes) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("request " + n + " (" + method + ") is "
                    + frame.length + " bytes, more than the frame limit of " + maxFrameBytes
                    + " bytes (maxFrameBytes); it was not sent"));
        }
        return dispatch(new InFlight.Pending<>(n, method, type, listener), isCall, frame, "request " + n);
    }

    /** Registers the request and sends its frame, unless the worker has already failed. */
    private <T> CompletableFuture<@Nullable T> dispatch(InFlight.Pending<T> p, boolean isCall, byte[] frame, String what) {
        Optional<WorkerPoolException> refused = refusal(what);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(refused.get());
        }
        inFlight.add(p, isCall);
        // the worker may have failed just before the request was registered: failInFlight then did not see it
        refusal(what).ifPresent(late -> inFlight.fail(p, late));
        if (!p.future.isDone()) {
            try {
                send(frame);
            } catch (IllegalArgumentException e) {
                // newline framing and a value its serializer wrote raw, with a line break in it
                inFlight.fail(p, new IllegalArgumentException("request " + p.id + " (" + p.method + ") cannot be sent: "
                        + e.getMessage(), e));
            }
        }
        return p.future;
    }

    private static boolean isScalar(Object params) {
        return params instanceof CharSequence || params instanceof Number || params instanceof Boolean
                || params instanceof Character || params instanceof Enum<?>
                || (params instanceof JsonNode node && !node.isContainerNode());
    }

    /** Something to encode with an encoder. */
    @FunctionalInterface
    private interface Envelope {
        JsonRpcEncoder write(JsonRpcEncoder e) throws IOException;
    }

    /**
     * Encodes with the worker's encoder, or with one of its own when another thread holds it (a
     * cancellation while a call is being encoded), so no sender waits for another's serializers.
     *
     * @throws IllegalArgumentException if a value cannot be written as JSON; its message says what
     *     to change when Jackson cannot reach a type on the module path
     */
    private byte[] encode(Envelope envelope) {
        boolean own = encoding.tryLock();
        try {
            return envelope.write(own ? encoder : JsonRpcEncoder.releasing(mapper)).toByteArray();
        } catch (IOException | RuntimeException e) {
            String fix = ModuleAccess.advice(e).map(a -> "; " + a).orElse("");
            throw new IllegalArgumentException(e.getMessage() + fix, e);
        } finally {
            if (own) {
                encoding.unlock();
            }
        }
    }
}
