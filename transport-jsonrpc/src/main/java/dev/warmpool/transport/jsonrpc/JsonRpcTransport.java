package dev.warmpool.transport.jsonrpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.transport.stdio.Framing;
import dev.warmpool.transport.stdio.WorkerChannel;
import dev.warmpool.transport.stdio.WorkerProcess;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code jsonrpc} transport: starts a worker process and speaks warmpool's JSON-RPC 2.0
 * protocol (see {@link JsonRpcProtocol}) to it over its stdin and stdout.
 *
 * <p>{@link #start(WorkerSpec)} starts the process with {@link WorkerProcess}, adds
 * {@value JsonRpcProtocol#FRAMING_ENV} (the framing) and {@value JsonRpcProtocol#MAX_FRAME_BYTES_ENV}
 * (the spec's frame limit) to its environment so a worker built with the worker SDK
 * ({@code dev.warmpool.worker.WorkerServer}) speaks the same, sends {@code $/initialize} and returns a {@link JsonRpcWorker} once the worker
 * answered with protocol version {@value JsonRpcProtocol#PROTOCOL_VERSION}.
 *
 * <p>Settings (from {@link JsonRpcTransportProvider#create} or {@link #fromSettings}):
 * <ul>
 *   <li>{@value JsonRpcProtocol#FRAMING_SETTING}: {@code newline} (default) or {@code content-length};
 *       a spec's own {@code framing} setting overrides it for that worker;</li>
 *   <li>{@value WorkerProcess#PROCESS_GROUP_SETTING}: passed on to {@link WorkerProcess}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe: several workers may be started at once.
 */
public final class JsonRpcTransport implements Transport {
    /** The transport's name, {@value}. */
    public static final String NAME = "jsonrpc";

    private static final Set<String> SETTINGS = Set.of(JsonRpcProtocol.FRAMING_SETTING, WorkerProcess.PROCESS_GROUP_SETTING);

    private final Framing framing;
    private final @Nullable ObjectMapper baseMapper;
    /** One mapper per frame limit, since the parser limits depend on it; few distinct limits exist. */
    private final Map<Integer, ObjectMapper> mappers = new ConcurrentHashMap<>();
    /** One result reader per frame limit and result type, shared by the workers. */
    private final Map<Integer, Map<Class<?>, ObjectReader>> resultReaders = new ConcurrentHashMap<>();

    private JsonRpcTransport(Builder b) {
        framing = b.framing == null ? Framing.NEWLINE : b.framing;
        baseMapper = b.mapper;
    }

    /** {@return a transport with newline framing and the default mapper} */
    public static JsonRpcTransport create() {
        return builder().build();
    }

    /**
     * Creates a transport from a pool configuration's transport settings, checking every name and value before it
     * starts any worker.
     *
     * @param settings transport settings, as described above
     * @return a transport configured by them
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names both
     */
    public static JsonRpcTransport fromSettings(Map<String, String> settings) {
        Builder b = builder();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (!SETTINGS.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown " + NAME + " transport setting '" + e.getKey() + "' (value '"
                        + e.getValue() + "'); known settings: " + String.join(", ", List.copyOf(new java.util.TreeSet<>(SETTINGS))));
            }
        }
        String f = settings.get(JsonRpcProtocol.FRAMING_SETTING);
        if (f != null) {
            b.framing(parseFraming(f));
        }
        String group = settings.get(WorkerProcess.PROCESS_GROUP_SETTING);
        if (group != null && !group.trim().equalsIgnoreCase("true") && !group.trim().equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(NAME + " transport setting " + WorkerProcess.PROCESS_GROUP_SETTING
                    + " is '" + group + "', but must be true or false");
        }
        return b.build();
    }

    private static Framing parseFraming(String value) {
        try {
            return Framing.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + " transport setting " + e.getMessage(), e);
        }
    }

    /** {@return a builder of a transport, with newline framing and the default mapper until told otherwise} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@return the framing workers are spoken to with, unless their spec says otherwise} */
    public Framing framing() {
        return framing;
    }

    /**
     * Starts the worker and waits for its {@code $/initialize} answer.
     *
     * @param spec what to start
     * @return the ready worker
     * @throws WorkerStartException if the program cannot be started, exits or closes its stdout
     *     before it is ready ("worker w-1 exited with code 3 before it became ready"), does not
     *     answer within {@link WorkerSpec#startTimeout()} ("worker w-1 did not become ready within
     *     30 s (startTimeout)"), answers with another protocol version or an error, or breaks the
     *     protocol; the process is killed, and the exception names the command line and directory
     *     and carries the stderr tail
     */
    @Override
    public JsonRpcWorker start(WorkerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Framing f = framing;
        String own = spec.settings().get(JsonRpcProtocol.FRAMING_SETTING);
        if (own != null) {
            try {
                f = Framing.parse(own);
            } catch (IllegalArgumentException e) {
                throw new WorkerStartException("cannot start worker " + spec.id() + ": " + NAME + " transport setting "
                        + e.getMessage(), List.of(), e);
            }
        }
        Map<String, String> env = new HashMap<>(spec.environment());
        env.put(JsonRpcProtocol.FRAMING_ENV, f.configName());
        env.put(JsonRpcProtocol.MAX_FRAME_BYTES_ENV, Integer.toString(spec.maxFrameBytes()));
        WorkerSpec withEnv = new WorkerSpec(spec.id(), spec.command(), env, spec.directory(), spec.startTimeout(),
                spec.maxFrameBytes(), spec.strictOutput(), spec.stderrTailLines(), spec.settings());
        ObjectMapper mapper = mappers.computeIfAbsent(spec.maxFrameBytes(), max -> baseMapper == null
                ? JsonRpcProtocol.newObjectMapper(max) : JsonRpcProtocol.constrain(baseMapper, max));
        WorkerChannel channel = WorkerChannel.start(withEnv);
        try {
            JsonRpcWorker worker = new JsonRpcWorker(channel, withEnv, mapper, f, resultReaders.computeIfAbsent(
                    spec.maxFrameBytes(), max -> ResponseDecoder.newReaderCache()));
            worker.open();
            return worker;
        } catch (RuntimeException | Error e) {
            channel.kill(); // already done for the failures open reports; this covers the unexpected ones
            throw e;
        }
    }

    @Override
    public String toString() {
        return "JsonRpcTransport[framing=" + framing.configName() + "]";
    }

    /**
     * Builds a {@link JsonRpcTransport}. Each option may be set once. Not thread-safe.
     */
    public static final class Builder {
        private @Nullable Framing framing;
        private @Nullable ObjectMapper mapper;

        private Builder() {
        }

        /**
         * Sets how messages are cut out of the workers' stdout and put on their stdin: one per line, or behind
         * {@code Content-Length} headers.
         *
         * @param framing the framing to speak (default {@link Framing#NEWLINE})
         * @return this builder
         */
        public Builder framing(Framing framing) {
            if (this.framing != null) {
                throw new IllegalStateException("framing was already set to " + this.framing.configName());
            }
            this.framing = Objects.requireNonNull(framing, "framing");
            return this;
        }

        /**
         * Sets the mapper that writes requests' params and reads their results, for types that need Jackson
         * modules or features.
         *
         * @param mapper a mapper with the modules and features the params and result types need; the
         *     transport uses copies with the parser limits of {@link JsonRpcProtocol}
         * @return this builder
         */
        public Builder objectMapper(ObjectMapper mapper) {
            if (this.mapper != null) {
                throw new IllegalStateException("objectMapper was already set to " + this.mapper);
            }
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * {@return a transport with the framing and mapper set on this builder (newline framing and the default
         *     mapper if unset)}
         */
        public JsonRpcTransport build() {
            return new JsonRpcTransport(this);
        }
    }
}
