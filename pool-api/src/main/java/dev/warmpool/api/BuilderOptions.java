package dev.warmpool.api;

import static dev.warmpool.api.ConfigOption.*;

import dev.warmpool.api.PoolConfig.DispatchOrder;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The option methods of {@link PoolConfig.Builder}, one per option, each checking its value at once. Kept
 * apart from {@link PoolConfig} so that each file reads as one thing: the options here, the finished
 * configuration there. Each option may be set once per builder; a builder from
 * {@link PoolConfig#toBuilder()} may set each option once more, replacing the copied value.
 */
abstract sealed class BuilderOptions permits PoolConfig.Builder {
    /** Values set on this builder. */
    final Map<ConfigOption<?>, Object> given = new HashMap<>();
    /** Values copied by {@code toBuilder()}; weaker than {@link #given}. */
    final Map<ConfigOption<?>, Setting> base;
    private final Set<String> setHere = new HashSet<>();

    BuilderOptions(Map<ConfigOption<?>, Setting> base) {
        this.base = base;
    }

    /**
     * Sets the worker program and its arguments, run directly (never through a shell). Required.
     * @param argv the program and its arguments
     * @return this builder
     */
    public PoolConfig.Builder command(List<String> argv) {
        Objects.requireNonNull(argv, "command");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("command is empty: give the program and its arguments");
        }
        if (argv.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("command contains null: " + argv);
        }
        return set("command", COMMAND, List.copyOf(argv));
    }

    /**
     * Sets the worker program and its arguments, run directly (never through a shell). Required.
     * @param argv the program and its arguments
     * @return this builder
     */
    public PoolConfig.Builder command(String... argv) {
        return command(List.of(argv));
    }

    /**
     * Sets one variable in the workers' environment, on top of the inherited ones.
     * @param name the variable
     * @param value its value
     * @return this builder
     */
    public PoolConfig.Builder environment(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("environment variable name '" + name + "' is not valid");
        }
        return put(ENVIRONMENT, "environment variable ", name, value);
    }

    /**
     * Replaces the parent variables the workers inherit when set there
     * ({@link PoolConfig#DEFAULT_INHERITED_ENVIRONMENT} by default).
     * @param names the variables
     * @return this builder
     */
    public PoolConfig.Builder inheritEnvironment(String... names) {
        return set("inheritEnvironment", INHERITED_ENVIRONMENT,
                Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names))));
    }

    /**
     * Lets the workers inherit the parent's whole environment. Use with care: secrets in the parent's
     * environment reach every worker.
     * @return this builder
     */
    public PoolConfig.Builder inheritAllEnvironment() {
        return set("inheritAllEnvironment", INHERIT_ALL_ENVIRONMENT, true);
    }

    /**
     * Sets the workers' working directory (by default the pool's own).
     * @param dir the directory
     * @return this builder
     */
    public PoolConfig.Builder directory(Path dir) {
        return set("directory", DIRECTORY, Optional.of(Objects.requireNonNull(dir, "directory")));
    }

    /**
     * Selects a transport by provider name: {@code "jsonrpc"} (the default), {@code "line"},
     * {@code "oneshot"}, {@code "claude"} or a plugin's. When a provider is on the path,
     * {@link PoolConfig.Builder#build()} checks the name.
     * @param name the provider name
     * @return this builder
     */
    public PoolConfig.Builder transport(String name) {
        set("transport", TRANSPORT_NAME, Objects.requireNonNull(name, "transport"));
        return put(TRANSPORT, Optional.empty());
    }

    /**
     * Uses this transport instance; no provider lookup happens.
     * @param instance the transport
     * @return this builder
     */
    public PoolConfig.Builder transport(Transport instance) {
        set("transport", TRANSPORT, Optional.of(Objects.requireNonNull(instance, "transport")));
        return put(TRANSPORT_NAME, instance.name());
    }

    /**
     * Runs the workers on these hosts: {@code local} (this machine), {@code ssh://[user@]host[:port]}
     * (OpenSSH, {@code ?weight=N&max=N} optional on both), or {@code exec:WORDS}, a launcher such as
     * {@code exec:docker exec -i box}. The pool then uses the {@code hosts} transport (module
     * {@code transport-hosts}, which must be on the path) by name, with the transport chosen by name as its
     * {@code inner} setting; its other settings ({@code identity}, {@code ssh-config}, ...) are transport
     * settings. The shape of each host is checked here, the rest by the provider at {@code build()}.
     * @param uris the hosts, one per element
     * @return this builder
     * @throws IllegalArgumentException if the list is empty, or a host is none of these or listed twice
     */
    public PoolConfig.Builder hosts(List<String> uris) {
        return set("hosts", HOSTS, HostList.check("hosts", uris));
    }

    /**
     * Runs the workers on these hosts; see {@link #hosts(List)}.
     * @param uris the hosts
     * @return this builder
     */
    public PoolConfig.Builder hosts(String... uris) {
        return hosts(Arrays.asList(uris));
    }

    /**
     * Sets one setting for the transport's provider; the provider checks it.
     * @param name the setting
     * @param value its value
     * @return this builder
     */
    public PoolConfig.Builder transportSetting(String name, String value) {
        return put(TRANSPORT_SETTINGS, "transport setting ", Objects.requireNonNull(name, "name"), value);
    }

    /**
     * Selects a scaling policy by provider name. Without one, a pool uses {@code "queue-depth"} when the
     * scaler-queue-depth module is on the path, and keeps its size otherwise.
     * @param name the provider name
     * @return this builder
     */
    public PoolConfig.Builder scalingPolicy(String name) {
        set("scalingPolicy", SCALING_POLICY_NAME, Optional.of(Objects.requireNonNull(name, "scalingPolicy")));
        return put(SCALING_POLICY, Optional.empty());
    }

    /**
     * Makes each pool started from the configuration ask {@code factory} for a policy of its own, so a
     * policy that keeps state between ticks is never shared.
     * @param factory makes a new policy; called once per pool, when it starts
     * @return this builder
     */
    public PoolConfig.Builder scalingPolicy(Supplier<? extends ScalingPolicy> factory) {
        Objects.requireNonNull(factory, "scalingPolicy");
        return policy(new PolicySource("supplied per pool", factory::get));
    }

    /**
     * Uses this policy instance; no provider lookup happens. Every pool started from the configuration
     * shares it, which suits a stateless policy such as a lambda; give a policy with state (a stabilization
     * window, say) as a {@link #scalingPolicy(Supplier) Supplier} instead.
     * @param instance the policy
     * @return this builder
     */
    public PoolConfig.Builder scalingPolicy(ScalingPolicy instance) {
        Objects.requireNonNull(instance, "scalingPolicy");
        return policy(new PolicySource("shared instance " + instance, () -> instance));
    }

    private PoolConfig.Builder policy(PolicySource source) {
        set("scalingPolicy", SCALING_POLICY, Optional.<Supplier<ScalingPolicy>>of(source));
        return put(SCALING_POLICY_NAME, Optional.empty());
    }

    /**
     * Sets one setting for the scaling policy's provider; the provider checks it. A setting that no policy
     * reads is an error.
     * @param name the setting
     * @param value its value
     * @return this builder
     */
    public PoolConfig.Builder scalingSetting(String name, String value) {
        return put(SCALING_SETTINGS, "scaling setting ", Objects.requireNonNull(name, "name"), value);
    }

    /**
     * Sets how many workers start with the pool: 3 by default, or {@value PoolConfig#ENV_SIZE}. A size left
     * at its default moves into {@code minSize..maxSize}.
     * @param n 1 or more
     * @return this builder
     */
    public PoolConfig.Builder size(int n) {
        return set("size", SIZE, atLeast(SIZE, n, 1));
    }

    /**
     * Sets the smallest size scaling may shrink to: 1 by default, or {@value PoolConfig#ENV_MIN}.
     * @param n 1 or more
     * @return this builder
     */
    public PoolConfig.Builder minSize(int n) {
        return set("minSize", MIN_SIZE, atLeast(MIN_SIZE, n, 1));
    }

    /**
     * Sets the largest size scaling may grow to: 10 by default, or {@value PoolConfig#ENV_MAX}.
     * @param n 1 or more
     * @return this builder
     */
    public PoolConfig.Builder maxSize(int n) {
        return set("maxSize", MAX_SIZE, atLeast(MAX_SIZE, n, 1));
    }

    /**
     * Sets the run deadline of a request: 300 s by default, or {@value PoolConfig#ENV_TIMEOUT}.
     * @param d more than zero
     * @return this builder
     */
    public PoolConfig.Builder requestTimeout(Duration d) {
        return set("requestTimeout", REQUEST_TIMEOUT, positive(REQUEST_TIMEOUT, d));
    }

    /**
     * Sets how long a request may wait for a worker (by default only the run deadline limits it).
     * @param d more than zero
     * @return this builder
     */
    public PoolConfig.Builder queueTimeout(Duration d) {
        return set("queueTimeout", QUEUE_TIMEOUT, Optional.of(positive(QUEUE_TIMEOUT, d)));
    }

    /**
     * Sets how many requests may wait for a worker; more are rejected at once (default 10,000).
     * @param n 0 or more
     * @return this builder
     */
    public PoolConfig.Builder maxQueueSize(int n) {
        return set("maxQueueSize", MAX_QUEUE_SIZE, atLeast(MAX_QUEUE_SIZE, n, 0));
    }

    /**
     * Sets how long a worker may take to become ready (default 30 s).
     * @param d more than zero
     * @return this builder
     */
    public PoolConfig.Builder startTimeout(Duration d) {
        return set("startTimeout", START_TIMEOUT, positive(START_TIMEOUT, d));
    }

    /**
     * Sets how long a worker asked to cancel a request may take before it is killed (default 2 s).
     * @param d zero or more
     * @return this builder
     */
    public PoolConfig.Builder cancelGrace(Duration d) {
        return set("cancelGrace", CANCEL_GRACE, notNegative(CANCEL_GRACE, d));
    }

    /**
     * Sets how long each step of stopping a worker waits: EOF, then SIGTERM, then SIGKILL (default 2 s).
     * @param d zero or more
     * @return this builder
     */
    public PoolConfig.Builder stopGrace(Duration d) {
        return set("stopGrace", STOP_GRACE, notNegative(STOP_GRACE, d));
    }

    /**
     * Sets how long {@code close()} lets in-flight and queued work finish (default 30 s).
     * @param d zero or more
     * @return this builder
     */
    public PoolConfig.Builder shutdownGrace(Duration d) {
        return set("shutdownGrace", SHUTDOWN_GRACE, notNegative(SHUTDOWN_GRACE, d));
    }

    /**
     * Sets after how many requests a worker is replaced (default 0: never).
     * @param n 0 or more
     * @return this builder
     */
    public PoolConfig.Builder maxRequestsPerWorker(int n) {
        return set("maxRequestsPerWorker", MAX_REQUESTS_PER_WORKER, atLeast(MAX_REQUESTS_PER_WORKER, n, 0));
    }

    /**
     * Sets the largest random number added to the request limit per worker, so workers are not all
     * replaced at once (default 0).
     * @param n 0 or more
     * @return this builder
     */
    public PoolConfig.Builder maxRequestsJitter(int n) {
        return set("maxRequestsJitter", MAX_REQUESTS_JITTER, atLeast(MAX_REQUESTS_JITTER, n, 0));
    }

    /**
     * Sets the age after which a worker is replaced (by default workers are not replaced for age).
     * @param d more than zero
     * @return this builder
     */
    public PoolConfig.Builder maxWorkerAge(Duration d) {
        return set("maxWorkerAge", MAX_WORKER_AGE, Optional.of(positive(MAX_WORKER_AGE, d)));
    }

    /**
     * Sets how often idle workers are pinged (default 30 s; zero turns health checks off).
     * @param d zero or more
     * @return this builder
     */
    public PoolConfig.Builder healthCheckInterval(Duration d) {
        return set("healthCheckInterval", HEALTH_CHECK_INTERVAL, notNegative(HEALTH_CHECK_INTERVAL, d));
    }

    /**
     * Sets how long a ping may take before the worker is replaced (default 5 s).
     * @param d more than zero
     * @return this builder
     */
    public PoolConfig.Builder healthCheckTimeout(Duration d) {
        return set("healthCheckTimeout", HEALTH_CHECK_TIMEOUT, positive(HEALTH_CHECK_TIMEOUT, d));
    }

    /**
     * Sets how often the scaling policy is asked (default 30 s; zero turns automatic scaling off).
     * @param d zero or more
     * @return this builder
     */
    public PoolConfig.Builder scalingInterval(Duration d) {
        return set("scalingInterval", SCALING_INTERVAL, notNegative(SCALING_INTERVAL, d));
    }

    /**
     * Sets the largest frame either side may send, in bytes (default 16 MiB).
     * @param bytes 64 or more
     * @return this builder
     */
    public PoolConfig.Builder maxFrameBytes(int bytes) {
        return set("maxFrameBytes", MAX_FRAME_BYTES, atLeast(MAX_FRAME_BYTES, bytes, 64));
    }

    /**
     * Makes a stdout line that is not a frame a protocol error (by default it is logged and skipped).
     * @return this builder
     */
    public PoolConfig.Builder strictOutput() {
        return set("strictOutput", STRICT_OUTPUT, true);
    }

    /**
     * Sets how many of a worker's last stderr lines are kept for error messages (default 50).
     * @param n 0 or more
     * @return this builder
     */
    public PoolConfig.Builder stderrTailLines(int n) {
        return set("stderrTailLines", STDERR_TAIL_LINES, atLeast(STDERR_TAIL_LINES, n, 0));
    }

    /**
     * Sets the delays before restarting a worker that failed to start: the first, doubling up to the longest.
     * @param initial the first delay (default 100 ms)
     * @param max the longest delay (default 30 s); not below {@code initial}
     * @return this builder
     */
    public PoolConfig.Builder restartBackoff(Duration initial, Duration max) {
        set("restartBackoff", RESTART_BACKOFF, positive(RESTART_BACKOFF, initial));
        return put(MAX_RESTART_BACKOFF, positive(MAX_RESTART_BACKOFF, max));
    }

    /**
     * Sets when failed starts make the pool unhealthy (it then rejects requests until a start succeeds).
     * @param failures failed starts within {@code window} (default 5)
     * @param window the window they are counted in (default 60 s)
     * @return this builder
     */
    public PoolConfig.Builder crashLoop(int failures, Duration window) {
        set("crashLoop", CRASH_LOOP_THRESHOLD, atLeast(CRASH_LOOP_THRESHOLD, failures, 1));
        return put(CRASH_LOOP_WINDOW, positive(CRASH_LOOP_WINDOW, window));
    }

    /**
     * Keeps the pool from registering a JVM shutdown hook that closes it (registered by default).
     * @return this builder
     */
    public PoolConfig.Builder noShutdownHook() {
        return set("noShutdownHook", SHUTDOWN_HOOK, false);
    }

    /**
     * Sets which idle worker a request goes to ({@link DispatchOrder#MOST_RECENTLY_USED} by default).
     * @param order the order
     * @return this builder
     */
    public PoolConfig.Builder dispatchOrder(DispatchOrder order) {
        return set("dispatchOrder", DISPATCH_ORDER, Objects.requireNonNull(order, "dispatchOrder"));
    }

    /**
     * Sets the executor that runs the callbacks of the futures {@code submit} returns and the pool's
     * listeners (by default the pool's own threads run them, so they must not block).
     * @param executor runs the callbacks
     * @return this builder
     */
    public PoolConfig.Builder callbackExecutor(Executor executor) {
        return set("callbackExecutor", CALLBACK_EXECUTOR, Optional.of(Objects.requireNonNull(executor, "callbackExecutor")));
    }

    abstract PoolConfig.Builder self();

    /** {@return the value an option has on this builder so far: set here, copied, or its default} */
    @SuppressWarnings("unchecked") // values are only stored through set/put with their option's type
    final <T> T current(ConfigOption<T> option) {
        Object v = given.containsKey(option) ? given.get(option)
                : base.containsKey(option) ? base.get(option).value() : option.fallback();
        return (T) v;
    }

    private <T> PoolConfig.Builder set(String setter, ConfigOption<T> option, T value) {
        if (!setHere.add(setter)) {
            throw new IllegalStateException(setter + " was already set to " + ConfigOption.show(current(option)));
        }
        return put(option, value);
    }

    private <T> PoolConfig.Builder put(ConfigOption<T> option, T value) {
        given.put(option, value);
        return self();
    }

    private PoolConfig.Builder put(ConfigOption<Map<String, String>> option, String what, String name, String value) {
        Objects.requireNonNull(value, "value");
        Map<String, String> map = new TreeMap<>(current(option));
        if (!setHere.add(option.name() + "\0" + name)) {
            throw new IllegalStateException(what + name + " was already set to '" + map.get(name) + "'");
        }
        map.put(name, value);
        return put(option, Collections.unmodifiableMap(map));
    }

    private static int atLeast(ConfigOption<?> option, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException(option + " is " + v + ", but must be at least " + min);
        }
        return v;
    }

    private static Duration positive(ConfigOption<?> option, Duration d) {
        Objects.requireNonNull(d, option.name());
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " is " + Durations.format(d) + ", but must be positive");
        }
        return d;
    }

    private static Duration notNegative(ConfigOption<?> option, Duration d) {
        Objects.requireNonNull(d, option.name());
        if (d.isNegative()) {
            throw new IllegalArgumentException(option + " is " + Durations.format(d) + ", but must not be negative");
        }
        return d;
    }

    /** A scaling policy factory that says in {@code toString()} whether it shares one instance. */
    private record PolicySource(String description, Supplier<ScalingPolicy> factory) implements Supplier<ScalingPolicy> {
        @Override
        public ScalingPolicy get() {
            return Objects.requireNonNull(factory.get(), "the scaling policy supplier returned null");
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
