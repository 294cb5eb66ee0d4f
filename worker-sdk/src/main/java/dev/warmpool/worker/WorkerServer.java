package dev.warmpool.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import dev.warmpool.worker.wire.ModuleAccess;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The worker side of warmpool's JSON-RPC protocol: reads requests from stdin, runs the registered
 * {@link RequestHandler}s, writes responses to stdout. A worker program is a {@code main} that
 * builds one and calls {@link #serve()}:
 *
 * {@snippet :
 * public static void main(String[] args) throws IOException {
 *     WorkerServer.builder()
 *             .name("echo")
 *             .method("echo", (params, ctx) -> params)
 *             .build()
 *             .serve();
 * }
 * }
 *
 * <p>What the server does by itself:
 * <ul>
 *   <li>answers {@code $/initialize} (protocol version, capabilities {@code cancel} and {@code ping},
 *       the name), {@code $/ping} (with {@code {}}) and {@code $/cancelRequest} (marks the request
 *       cancelled, runs its {@linkplain RequestContext#onCancel cancel hooks} and, unless turned off,
 *       interrupts its thread; the request is then answered with -32800 "request cancelled");</li>
 *   <li>runs each handler on the thread that read its request and writes the answer from there:
 *       no other thread is woken for a request. Once a handler has run for 5 ms another thread
 *       takes over reading stdin, so {@code $/cancelRequest} and {@code $/ping} are answered
 *       while a handler runs long, and requests that arrive together run at once, each on its own
 *       thread (see {@link Builder#executor} to run handlers on threads of your own instead);
 *       responses are written whole, one at a time;</li>
 *   <li>follows JSON-RPC 2.0: ids are echoed exactly as received (string {@code "1"} stays a string,
 *       number {@code 1} a number), notifications are never answered, an unknown method gets -32601,
 *       a batch gets one array of responses (none at all if it held only notifications; its elements
 *       run one after another, in order), an empty batch a single -32600, unparseable JSON a single
 *       -32700 with id {@code null}, an invalid request object -32600 with id {@code null};</li>
 *   <li>answers an incoming frame larger than the frame limit with -32600 "Invalid Request" with id
 *       {@code null} and {@code data} {@code {"size": n, "limit": m}} (the id cannot be known without
 *       reading the frame, which the limit forbids), skips the frame and keeps serving; the pool
 *       side hands that error to the request in flight;</li>
 *   <li>answers a result too large for one frame with -32603 instead of sending it.</li>
 * </ul>
 *
 * <p>The framing is {@link Framing#NEWLINE} unless the builder says otherwise or the environment
 * variable {@value JsonRpcProtocol#FRAMING_ENV} (set by the pool) names another; the frame limit
 * comes from the builder, else {@value JsonRpcProtocol#MAX_FRAME_BYTES_ENV}, else
 * {@value JsonRpcProtocol#DEFAULT_MAX_FRAME_BYTES} bytes. Frames are parsed with the limits
 * described in {@link JsonRpcProtocol}.
 *
 * <p>The server logs through {@link System.Logger} (to stderr by default, which the pool collects)
 * rather than SLF4J: a worker program usually has no SLF4J backend, and its warnings would be lost.
 *
 * <p>The server needs only the JDK and Jackson: a worker program runs with this module's jar and
 * Jackson's.
 *
 * <p>Immutable and thread-safe; {@link #serve(InputStream, OutputStream)} may run several times,
 * even at once, on different streams.
 */
public final class WorkerServer {
    private static final System.Logger LOG = System.getLogger(WorkerServer.class.getName());

    private final String name;
    private final Map<String, RequestHandler> methods;
    /** Null: the one the environment names, read when the server starts. */
    private final @Nullable Framing framing;
    private final int maxFrameBytes;
    private final ObjectMapper mapper;
    private final @Nullable ExecutorService executor;
    private final boolean interruptOnCancel;
    private final Duration relayDelay;

    private WorkerServer(Builder b) {
        name = b.name == null ? "java-worker" : b.name;
        mapper = b.mapper == null
                ? JsonRpcProtocol.newObjectMapper(JsonRpcProtocol.DEFAULT_MAX_FRAME_BYTES)
                : JsonRpcProtocol.constrain(b.mapper, JsonRpcProtocol.DEFAULT_MAX_FRAME_BYTES);
        Map<String, RequestHandler> m = new LinkedHashMap<>();
        b.methods.forEach((method, handler) -> m.put(method, handler.bind(mapper)));
        methods = Map.copyOf(m);
        framing = b.framing;
        maxFrameBytes = b.maxFrameBytes;
        executor = b.executor;
        interruptOnCancel = b.interruptOnCancel == null || b.interruptOnCancel;
        relayDelay = b.relayDelay;
    }

    /** {@return a builder for a server with no methods of its own} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the name the server gives in its {@code $/initialize} answer} */
    public String name() {
        return name;
    }

    /**
     * Serves on this process's stdin and stdout until stdin reaches end-of-file, then waits for the
     * requests still running and returns. The server reads and writes file descriptors 0 and 1
     * itself, whole frames at a time; while it serves, {@link System#out} is pointed at
     * {@link System#err}, so a stray {@code System.out.println} cannot corrupt the frames; it is
     * restored afterwards.
     *
     * @throws IOException if stdin fails (not at end-of-file), or its framing is beyond repair
     * @throws IllegalArgumentException if {@value JsonRpcProtocol#FRAMING_ENV} or
     *     {@value JsonRpcProtocol#MAX_FRAME_BYTES_ENV} holds a bad value
     */
    public void serve() throws IOException {
        PrintStream original = System.out;
        original.flush();
        // frames go straight to file descriptor 1, each in one write, not through System.out, which
        // now leads to stderr; requests are read from descriptor 0 into the server's own buffer
        OutputStream frames = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        try {
            serve(new FileInputStream(FileDescriptor.in), frames);
        } finally {
            System.setOut(original);
        }
    }

    /**
     * Serves on the given streams until {@code in} reaches end-of-file, then waits for the requests
     * still running and returns. Neither stream is closed.
     *
     * @param in where requests come from; read in bulk into the server's own buffer, so it need not
     *     be buffered
     * @param out where responses go; each frame is written whole in one call, then flushed
     * @throws IOException if {@code in} fails (not at end-of-file), or its framing is beyond repair
     * @throws IllegalArgumentException if {@value JsonRpcProtocol#FRAMING_ENV} or
     *     {@value JsonRpcProtocol#MAX_FRAME_BYTES_ENV} holds a bad value
     */
    public void serve(InputStream in, OutputStream out) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Framing f = framing != null ? framing : framingFromEnvironment();
        int max = maxFrameBytes > 0 ? maxFrameBytes : maxFrameBytesFromEnvironment();
        WorkerServer s = max == JsonRpcProtocol.DEFAULT_MAX_FRAME_BYTES ? this : withMapper(JsonRpcProtocol.constrain(mapper, max));
        new Session(s, new FrameInput(in, f, max), new FrameOutput(out, f), max, executor).run();
    }

    private WorkerServer(WorkerServer base, ObjectMapper mapper) {
        name = base.name;
        methods = base.methods;
        framing = base.framing;
        maxFrameBytes = base.maxFrameBytes;
        this.mapper = mapper;
        executor = base.executor;
        interruptOnCancel = base.interruptOnCancel;
        relayDelay = base.relayDelay;
    }

    private WorkerServer withMapper(ObjectMapper m) {
        return new WorkerServer(this, m);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    Duration relayDelay() {
        return relayDelay;
    }

    @Nullable RequestHandler handler(String method) {
        return methods.get(method);
    }

    boolean interruptOnCancel() {
        return interruptOnCancel;
    }

    static System.Logger log() {
        return LOG;
    }

    private static Framing framingFromEnvironment() {
        String v = System.getenv(JsonRpcProtocol.FRAMING_ENV);
        if (v == null || v.isBlank()) {
            return Framing.NEWLINE;
        }
        try {
            return Framing.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("environment variable " + JsonRpcProtocol.FRAMING_ENV + ": "
                    + e.getMessage(), e);
        }
    }

    private static int maxFrameBytesFromEnvironment() {
        String v = System.getenv(JsonRpcProtocol.MAX_FRAME_BYTES_ENV);
        if (v == null || v.isBlank()) {
            return JsonRpcProtocol.DEFAULT_MAX_FRAME_BYTES;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("environment variable " + JsonRpcProtocol.MAX_FRAME_BYTES_ENV + " is '"
                + v + "', but must be a positive number of bytes");
    }

    /** A registered handler before the server's mapper is known. */
    private interface Registration {
        RequestHandler bind(ObjectMapper mapper);
    }

    /**
     * Builds a {@link WorkerServer}. Each option may be set once; a bad value is an
     * {@link IllegalArgumentException}, setting an option twice an {@link IllegalStateException}.
     * Not thread-safe.
     */
    public static final class Builder {
        private @Nullable String name;
        private final Map<String, Registration> methods = new LinkedHashMap<>();
        private @Nullable Framing framing;
        private int maxFrameBytes;
        private @Nullable ObjectMapper mapper;
        private @Nullable ExecutorService executor;
        private @Nullable Boolean interruptOnCancel;
        private Duration relayDelay = Duration.ofMillis(ReaderRole.RELAY_MILLIS);

        private Builder() {
        }

        /**
         * Sets the name the worker introduces itself with, which the pool shows in its logs and health reports.
         *
         * @param name the worker's name, sent in the {@code $/initialize} answer (default {@code "java-worker"})
         * @return this builder
         */
        public Builder name(String name) {
            once("name", this.name);
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name is blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Registers the handler of a method.
         *
         * @param method the method's name; not {@code $/initialize}, {@code $/ping},
         *     {@code $/cancelRequest} (answered by the server) nor starting with {@code rpc.}
         *     (reserved by JSON-RPC 2.0)
         * @param handler the handler
         * @return this builder
         * @throws IllegalStateException if the method was already registered
         */
        public Builder method(String method, RequestHandler handler) {
            Objects.requireNonNull(handler, "handler");
            register(method, m -> handler);
            return this;
        }

        /**
         * Registers the handler of a method that takes its parameters as a Java type. Parameters that
         * the server's mapper cannot convert to {@code paramsType} are answered with -32602.
         *
         * @param method the method's name, as for {@link #method(String, RequestHandler)}
         * @param paramsType the type to convert the parameters to
         * @param handler the handler
         * @param <P> the parameters' type
         * @return this builder
         * @throws IllegalStateException if the method was already registered
         */
        public <P> Builder method(String method, Class<P> paramsType, TypedRequestHandler<P> handler) {
            Objects.requireNonNull(paramsType, "paramsType");
            Objects.requireNonNull(handler, "handler");
            register(method, m -> (params, ctx) -> {
                P p;
                try {
                    p = params == null || params.isNull() ? null : m.treeToValue(params, paramsType);
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    // a closed package is the worker's own mistake, not the caller's: an internal error
                    ModuleAccess.advice(e).ifPresent(fix -> {
                        throw new IllegalStateException("cannot convert the params of " + method + " to "
                                + paramsType.getName() + ": " + fix, e);
                    });
                    throw new InvalidParamsException("Invalid params: " + (e instanceof JsonProcessingException j
                            ? j.getOriginalMessage() : e.getMessage()));
                }
                return handler.handle(p, ctx);
            });
            return this;
        }

        private void register(String method, Registration r) {
            Objects.requireNonNull(method, "method");
            if (method.equals(JsonRpcProtocol.INITIALIZE) || method.equals(JsonRpcProtocol.PING)
                    || method.equals(JsonRpcProtocol.CANCEL_REQUEST)) {
                throw new IllegalArgumentException("method " + method + " is answered by the server itself");
            }
            if (method.startsWith("rpc.")) {
                throw new IllegalArgumentException("method " + method
                        + " starts with 'rpc.', which JSON-RPC 2.0 reserves for the protocol");
            }
            if (methods.putIfAbsent(method, r) != null) {
                throw new IllegalStateException("method " + method + " was already registered");
            }
        }

        /**
         * Sets the framing to speak, for a server started outside a pool or one that must not follow the pool's
         * choice.
         *
         * @param framing the framing to speak, instead of the one named by {@value JsonRpcProtocol#FRAMING_ENV}
         * @return this builder
         */
        public Builder framing(Framing framing) {
            once("framing", this.framing == null ? null : this.framing.configName());
            this.framing = Objects.requireNonNull(framing, "framing");
            return this;
        }

        /**
         * Sets the largest frame the server reads or writes, in bytes, for a server started outside a pool.
         *
         * @param maxFrameBytes the largest frame to accept or send, instead of the one in
         *     {@value JsonRpcProtocol#MAX_FRAME_BYTES_ENV}
         * @return this builder
         */
        public Builder maxFrameBytes(int maxFrameBytes) {
            once("maxFrameBytes", this.maxFrameBytes == 0 ? null : this.maxFrameBytes);
            if (maxFrameBytes <= 0) {
                throw new IllegalArgumentException("maxFrameBytes is " + maxFrameBytes + ", but must be positive");
            }
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /**
         * Sets the mapper that reads the handlers' params and writes their results, for types that need Jackson
         * modules or features.
         *
         * @param mapper a mapper with the modules and features the handlers' types need; the server
         *     uses a copy with the parser limits of {@link JsonRpcProtocol}
         * @return this builder
         */
        public Builder objectMapper(ObjectMapper mapper) {
            once("objectMapper", this.mapper);
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Runs the handlers on an executor of yours instead of on the thread that read their request.
         * The thread that calls {@code serve} then does nothing but read stdin and answer the
         * protocol's own requests, and each request is handed to the executor: one hand-off per
         * request, for handlers that want to run on threads of their own (virtual threads, a
         * bounded pool). Without it, handlers run inline, and requests that arrive together still
         * run at once, each on its own reading thread.
         *
         * @param executor runs the handlers; not shut down by the server
         * @return this builder
         */
        public Builder executor(ExecutorService executor) {
            once("executor", this.executor);
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets whether cancelling a request interrupts the thread of its handler.
         *
         * @param interrupt whether cancelling a request interrupts the thread that runs its handler
         *     (default {@code true}, so a handler blocked in {@code sleep} or {@code wait} stops at
         *     once); turn it off for handlers that use interruptible channels, which an interrupt closes
         * @return this builder
         */
        public Builder interruptOnCancel(boolean interrupt) {
            once("interruptOnCancel", interruptOnCancel);
            this.interruptOnCancel = interrupt;
            return this;
        }

        /**
         * How long a handler runs inline before another thread takes over reading stdin; for tests,
         * which make it long to see that quick requests are never handed over.
         */
        Builder relayAfter(Duration delay) {
            relayDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** {@return a server with the methods and options set on this builder; it serves nothing until run} */
        public WorkerServer build() {
            return new WorkerServer(this);
        }

        private static void once(String option, @Nullable Object current) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set to " + current);
            }
        }
    }
}
