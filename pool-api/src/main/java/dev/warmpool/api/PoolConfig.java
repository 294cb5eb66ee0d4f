package dev.warmpool.api;

import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/**
 * The immutable configuration of a {@link WorkerPool}, made by a {@link Builder}.
 *
 * <p>The environment rule: a worker gets the variables named in
 * {@link #DEFAULT_INHERITED_ENVIRONMENT} (or those given to {@link Builder#inheritEnvironment}) from
 * the parent process, plus those set with {@link Builder#environment(String, String)}. Nothing else
 * of the parent's environment reaches a worker unless {@link Builder#inheritAllEnvironment()} is
 * called: secrets in the parent stay there.
 *
 * <p>Thread-safe (immutable).
 */
public final class PoolConfig {
    /** Environment variable for the initial pool size (default 3). */
    public static final String ENV_SIZE = "HANDLER_POOL_SIZE";
    /** Environment variable for the minimum pool size (default 1). */
    public static final String ENV_MIN = "HANDLER_POOL_MIN";
    /** Environment variable for the maximum pool size (default 10). */
    public static final String ENV_MAX = "HANDLER_POOL_MAX";
    /** Environment variable for the run deadline in seconds (default 300). */
    public static final String ENV_TIMEOUT = "HANDLER_REQUEST_TIMEOUT";

    /** Which idle worker a request goes to. */
    public enum DispatchOrder {
        /**
         * The worker that became idle last (a stack): one busy caller keeps reusing one hot process,
         * whose code and data are warm in the CPU's caches. The default.
         */
        MOST_RECENTLY_USED,
        /**
         * The worker that has been idle longest (a queue): work is spread over every worker, and a
         * worker that does housekeeping after answering (a Claude Code worker clearing its
         * conversation, a runtime collecting garbage) gets time to finish it before its next request.
         */
        LEAST_RECENTLY_USED
    }

    /** The parent variables a worker inherits unless told otherwise: enough to find programs and format text. */
    public static final Set<String> DEFAULT_INHERITED_ENVIRONMENT = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES",
            "TZ", "TMPDIR", "JAVA_HOME", "SYSTEMROOT")));

    private final List<String> command;
    private final Map<String, String> environment;
    private final Set<String> inheritedEnvironment;
    private final boolean inheritAllEnvironment;
    private final Path directory;
    private final String transportName;
    private final Transport transport;
    private final Map<String, String> transportSettings;
    private final String scalingPolicyName;
    private final ScalingPolicy scalingPolicy;
    private final Map<String, String> scalingSettings;
    private final int size;
    private final int minSize;
    private final int maxSize;
    private final Duration requestTimeout;
    private final Duration queueTimeout;
    private final int maxQueueSize;
    private final Duration startTimeout;
    private final Duration cancelGrace;
    private final Duration stopGrace;
    private final Duration shutdownGrace;
    private final int maxRequestsPerWorker;
    private final int maxRequestsJitter;
    private final Duration maxWorkerAge;
    private final Duration healthCheckInterval;
    private final Duration healthCheckTimeout;
    private final Duration scalingInterval;
    private final int maxFrameBytes;
    private final boolean strictOutput;
    private final int stderrTailLines;
    private final Duration restartBackoff;
    private final Duration maxRestartBackoff;
    private final int crashLoopThreshold;
    private final Duration crashLoopWindow;
    private final boolean shutdownHook;
    private final DispatchOrder dispatchOrder;
    private final Executor callbackExecutor;

    private PoolConfig(Builder b) {
        command = List.copyOf(b.command);
        environment = Collections.unmodifiableMap(new TreeMap<>(b.environment));
        inheritedEnvironment = Collections.unmodifiableSet(new LinkedHashSet<>(
                b.inherited == null ? DEFAULT_INHERITED_ENVIRONMENT : b.inherited));
        inheritAllEnvironment = b.inheritAll;
        directory = b.directory;
        transportName = b.transportName;
        transport = b.transport;
        transportSettings = Collections.unmodifiableMap(new TreeMap<>(b.transportSettings));
        scalingPolicyName = b.scalingPolicyName;
        scalingPolicy = b.scalingPolicy;
        scalingSettings = Collections.unmodifiableMap(new TreeMap<>(b.scalingSettings));
        size = b.size;
        minSize = b.minSize;
        maxSize = b.maxSize;
        requestTimeout = b.requestTimeout;
        queueTimeout = b.queueTimeout;
        maxQueueSize = b.maxQueueSize;
        startTimeout = b.startTimeout;
        cancelGrace = b.cancelGrace;
        stopGrace = b.stopGrace;
        shutdownGrace = b.shutdownGrace;
        maxRequestsPerWorker = b.maxRequestsPerWorker;
        maxRequestsJitter = b.maxRequestsJitter;
        maxWorkerAge = b.maxWorkerAge;
        healthCheckInterval = b.healthCheckInterval;
        healthCheckTimeout = b.healthCheckTimeout;
        scalingInterval = b.scalingInterval;
        maxFrameBytes = b.maxFrameBytes;
        strictOutput = b.strictOutput;
        stderrTailLines = b.stderrTailLines;
        restartBackoff = b.restartBackoff;
        maxRestartBackoff = b.maxRestartBackoff;
        crashLoopThreshold = b.crashLoopThreshold;
        crashLoopWindow = b.crashLoopWindow;
        shutdownHook = b.shutdownHook;
        dispatchOrder = b.dispatchOrder;
        callbackExecutor = b.callbackExecutor;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder(Map.of());
    }

    /**
     * Returns a builder whose size, minimum, maximum and run deadline default to the values of
     * {@value #ENV_SIZE}, {@value #ENV_MIN}, {@value #ENV_MAX} and {@value #ENV_TIMEOUT} in this
     * process's environment. An option set on the builder overrides the variable.
     *
     * @return the builder
     * @throws IllegalArgumentException if a variable is set to something that is not a valid value;
     *     the message names the variable and the value
     */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Like {@link #fromEnvironment()}, reading the variables from {@code env}.
     *
     * @param env the environment to read
     * @return the builder
     * @throws IllegalArgumentException if a variable's value is not valid; the message names the variable and the value
     */
    public static Builder fromEnvironment(Map<String, String> env) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String name : List.of(ENV_SIZE, ENV_MIN, ENV_MAX, ENV_TIMEOUT)) {
            String v = env.get(name);
            if (v != null) {
                found.put(name, v);
            }
        }
        return new Builder(found);
    }

    /** @return a builder that starts from this configuration's values, for a modified copy */
    public Builder toBuilder() {
        Builder b = new Builder(Map.of());
        b.command = new ArrayList<>(command);
        b.environment.putAll(environment);
        b.inherited = new LinkedHashSet<>(inheritedEnvironment);
        b.inheritAll = inheritAllEnvironment;
        b.directory = directory;
        b.transportName = transportName;
        b.transport = transport;
        b.transportSettings.putAll(transportSettings);
        b.scalingPolicyName = scalingPolicyName;
        b.scalingPolicy = scalingPolicy;
        b.scalingSettings.putAll(scalingSettings);
        b.size = size;
        b.minSize = minSize;
        b.maxSize = maxSize;
        b.requestTimeout = requestTimeout;
        b.queueTimeout = queueTimeout;
        b.maxQueueSize = maxQueueSize;
        b.startTimeout = startTimeout;
        b.cancelGrace = cancelGrace;
        b.stopGrace = stopGrace;
        b.shutdownGrace = shutdownGrace;
        b.maxRequestsPerWorker = maxRequestsPerWorker;
        b.maxRequestsJitter = maxRequestsJitter;
        b.maxWorkerAge = maxWorkerAge;
        b.healthCheckInterval = healthCheckInterval;
        b.healthCheckTimeout = healthCheckTimeout;
        b.scalingInterval = scalingInterval;
        b.maxFrameBytes = maxFrameBytes;
        b.strictOutput = strictOutput;
        b.stderrTailLines = stderrTailLines;
        b.restartBackoff = restartBackoff;
        b.maxRestartBackoff = maxRestartBackoff;
        b.crashLoopThreshold = crashLoopThreshold;
        b.crashLoopWindow = crashLoopWindow;
        b.shutdownHook = shutdownHook;
        b.dispatchOrder = dispatchOrder;
        b.callbackExecutor = callbackExecutor;
        b.explicit.addAll(Set.of("size", "minSize", "maxSize", "requestTimeout"));
        return b;
    }

    /**
     * Computes a worker's complete environment from the parent's by this configuration's rule.
     *
     * @param parent the parent's environment
     * @return the worker's environment
     */
    public Map<String, String> workerEnvironment(Map<String, String> parent) {
        Map<String, String> env = new TreeMap<>();
        if (inheritAllEnvironment) {
            env.putAll(parent);
        } else {
            for (String name : inheritedEnvironment) {
                String v = parent.get(name);
                if (v != null) {
                    env.put(name, v);
                }
            }
        }
        env.putAll(environment);
        return env;
    }

    /** @return the worker program and its arguments */
    public List<String> command() { return command; }

    /** @return variables set explicitly for workers */
    public Map<String, String> environment() { return environment; }

    /** @return the names of parent variables workers inherit */
    public Set<String> inheritedEnvironment() { return inheritedEnvironment; }

    /** @return whether workers inherit the parent's whole environment */
    public boolean inheritAllEnvironment() { return inheritAllEnvironment; }

    /** @return the workers' working directory, if set */
    public Optional<Path> directory() { return Optional.ofNullable(directory); }

    /** @return the transport's name ({@code "jsonrpc"} unless set), used when no instance was given */
    public String transportName() { return transport != null ? transport.name() : transportName; }

    /** @return the transport instance given to the builder, if any */
    public Optional<Transport> transport() { return Optional.ofNullable(transport); }

    /** @return settings passed to the transport provider */
    public Map<String, String> transportSettings() { return transportSettings; }

    /**
     * @return the scaling policy's name, if one was chosen by name; when none was chosen (and no
     *     instance given) the pool uses {@code "queue-depth"} if that provider is present and keeps
     *     its size fixed otherwise
     */
    public Optional<String> scalingPolicyName() { return Optional.ofNullable(scalingPolicyName); }

    /** @return the scaling policy instance given to the builder, if any */
    public Optional<ScalingPolicy> scalingPolicy() { return Optional.ofNullable(scalingPolicy); }

    /** @return settings passed to the scaling policy provider */
    public Map<String, String> scalingSettings() { return scalingSettings; }

    /** @return the number of workers started with the pool */
    public int size() { return size; }

    /** @return the smallest size scaling may shrink to */
    public int minSize() { return minSize; }

    /** @return the largest size scaling may grow to */
    public int maxSize() { return maxSize; }

    /** @return the default run deadline of a request */
    public Duration requestTimeout() { return requestTimeout; }

    /** @return how long a request may wait in the queue, if limited */
    public Optional<Duration> queueTimeout() { return Optional.ofNullable(queueTimeout); }

    /** @return how many requests may wait for a worker before new ones are rejected */
    public int maxQueueSize() { return maxQueueSize; }

    /** @return how long a worker may take to become ready */
    public Duration startTimeout() { return startTimeout; }

    /** @return how long a worker asked to cancel may take before it is killed */
    public Duration cancelGrace() { return cancelGrace; }

    /** @return how long each step of stopping a worker waits (EOF, then SIGTERM, then SIGKILL) */
    public Duration stopGrace() { return stopGrace; }

    /** @return how long {@link WorkerPool#close()} lets in-flight and queued work finish */
    public Duration shutdownGrace() { return shutdownGrace; }

    /** @return requests after which a worker is recycled; 0 for no limit */
    public int maxRequestsPerWorker() { return maxRequestsPerWorker; }

    /** @return the largest random amount added to {@link #maxRequestsPerWorker()} per worker */
    public int maxRequestsJitter() { return maxRequestsJitter; }

    /** @return the age after which a worker is recycled, if limited */
    public Optional<Duration> maxWorkerAge() { return Optional.ofNullable(maxWorkerAge); }

    /** @return how often idle workers are pinged; zero disables */
    public Duration healthCheckInterval() { return healthCheckInterval; }

    /** @return how long a ping may take */
    public Duration healthCheckTimeout() { return healthCheckTimeout; }

    /** @return how often the scaling policy is asked; zero disables automatic scaling */
    public Duration scalingInterval() { return scalingInterval; }

    /** @return the largest frame either side may send, in bytes */
    public int maxFrameBytes() { return maxFrameBytes; }

    /** @return whether a stdout line that is not a frame is a protocol error */
    public boolean strictOutput() { return strictOutput; }

    /** @return how many of a worker's last stderr lines are kept for error messages */
    public int stderrTailLines() { return stderrTailLines; }

    /** @return the first delay before restarting a worker that failed to start */
    public Duration restartBackoff() { return restartBackoff; }

    /** @return the longest delay between restarts */
    public Duration maxRestartBackoff() { return maxRestartBackoff; }

    /** @return failed starts within {@link #crashLoopWindow()} that make the pool unhealthy */
    public int crashLoopThreshold() { return crashLoopThreshold; }

    /** @return the window in which failed starts are counted */
    public Duration crashLoopWindow() { return crashLoopWindow; }

    /** @return whether the pool registers a JVM shutdown hook that closes it */
    public boolean shutdownHook() { return shutdownHook; }

    /** @return which idle worker a request goes to */
    public DispatchOrder dispatchOrder() { return dispatchOrder; }

    /**
     * @return the executor that completes the pool's futures, and so runs the dependent stages
     *     attached to them without an executor of their own; empty: they run on the thread that
     *     completes the request (see {@link WorkerPool})
     */
    public Optional<Executor> callbackExecutor() { return Optional.ofNullable(callbackExecutor); }

    @Override
    public String toString() {
        return "PoolConfig[command=" + command + ", transport=" + transportName() + ", size=" + size
                + ", min=" + minSize + ", max=" + maxSize + ", requestTimeout=" + requestTimeout
                + ", maxQueueSize=" + maxQueueSize + "]";
    }

    /**
     * Builds a {@link PoolConfig}. Each option may be set once; a bad value fails at once with
     * {@link IllegalArgumentException}, a bad combination fails in {@link #build()} with
     * {@link IllegalStateException}. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, String> envDefaults;
        private final Set<String> explicit = new java.util.HashSet<>();
        private List<String> command;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Set<String> inherited;
        private boolean inheritAll;
        private Path directory;
        private String transportName = "jsonrpc";
        private Transport transport;
        private final Map<String, String> transportSettings = new LinkedHashMap<>();
        private String scalingPolicyName;
        private ScalingPolicy scalingPolicy;
        private final Map<String, String> scalingSettings = new LinkedHashMap<>();
        private int size = 3;
        private int minSize = 1;
        private int maxSize = 10;
        private Duration requestTimeout = Duration.ofSeconds(300);
        private Duration queueTimeout;
        private int maxQueueSize = 10_000;
        private Duration startTimeout = Duration.ofSeconds(30);
        private Duration cancelGrace = Duration.ofSeconds(2);
        private Duration stopGrace = Duration.ofSeconds(2);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private int maxRequestsPerWorker;
        private int maxRequestsJitter;
        private Duration maxWorkerAge;
        private Duration healthCheckInterval = Duration.ofSeconds(30);
        private Duration healthCheckTimeout = Duration.ofSeconds(5);
        private Duration scalingInterval = Duration.ofSeconds(30);
        private int maxFrameBytes = 16 * 1024 * 1024;
        private boolean strictOutput;
        private int stderrTailLines = 50;
        private Duration restartBackoff = Duration.ofMillis(100);
        private Duration maxRestartBackoff = Duration.ofSeconds(30);
        private int crashLoopThreshold = 5;
        private Duration crashLoopWindow = Duration.ofSeconds(60);
        private boolean shutdownHook = true;
        private DispatchOrder dispatchOrder = DispatchOrder.MOST_RECENTLY_USED;
        private Executor callbackExecutor;

        private Builder(Map<String, String> envDefaults) {
            this.envDefaults = envDefaults;
            // Parse now so that a bad variable fails where the environment is read.
            envDefaults.forEach((name, value) -> {
                switch (name) {
                    case ENV_SIZE -> size = envInt(name, value, 1);
                    case ENV_MIN -> minSize = envInt(name, value, 1);
                    case ENV_MAX -> maxSize = envInt(name, value, 1);
                    case ENV_TIMEOUT -> requestTimeout = Duration.ofSeconds(envInt(name, value, 1));
                    default -> throw new AssertionError(name);
                }
            });
        }

        private static int envInt(String name, String value, int min) {
            int v;
            try {
                v = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("environment variable " + name + " is '" + value
                        + "', but must be a whole number of at least " + min, e);
            }
            if (v < min) {
                throw new IllegalArgumentException("environment variable " + name + " is " + v
                        + ", but must be at least " + min);
            }
            return v;
        }

        private void once(String option, Object current) {
            if (!explicit.add(option)) {
                throw new IllegalStateException(option + " was already set to " + current);
            }
        }

        private static Duration positive(String option, Duration d) {
            Objects.requireNonNull(d, option);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " is " + d + ", but must be positive");
            }
            return d;
        }

        private static Duration notNegative(String option, Duration d) {
            Objects.requireNonNull(d, option);
            if (d.isNegative()) {
                throw new IllegalArgumentException(option + " is " + d + ", but must not be negative");
            }
            return d;
        }

        private static int atLeast(String option, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException(option + " is " + v + ", but must be at least " + min);
            }
            return v;
        }

        /**
         * @param argv the worker program and its arguments; never run through a shell
         * @return this builder
         */
        public Builder command(List<String> argv) {
            once("command", command);
            Objects.requireNonNull(argv, "command");
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("command is empty: give the program and its arguments");
            }
            for (String a : argv) {
                Objects.requireNonNull(a, "command contains null: " + argv);
            }
            command = new ArrayList<>(argv);
            return this;
        }

        /**
         * @param argv the worker program and its arguments; never run through a shell
         * @return this builder
         */
        public Builder command(String... argv) {
            return command(List.of(argv));
        }

        /**
         * Sets one variable in the workers' environment.
         *
         * @param name the variable
         * @param value its value
         * @return this builder
         */
        public Builder environment(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable name '" + name + "' is not valid");
            }
            if (environment.containsKey(name)) {
                throw new IllegalStateException("environment variable " + name + " was already set to '"
                        + environment.get(name) + "'");
            }
            environment.put(name, value);
            return this;
        }

        /**
         * Replaces the default list of parent variables the workers inherit
         * ({@link PoolConfig#DEFAULT_INHERITED_ENVIRONMENT}).
         *
         * @param names the variables to inherit from the parent when set there
         * @return this builder
         */
        public Builder inheritEnvironment(String... names) {
            once("inheritEnvironment", inherited);
            inherited = new LinkedHashSet<>(List.of(names));
            return this;
        }

        /**
         * Lets the workers inherit the parent's whole environment. Use with care: secrets in the
         * parent's environment reach every worker.
         *
         * @return this builder
         */
        public Builder inheritAllEnvironment() {
            once("inheritAllEnvironment", inheritAll);
            inheritAll = true;
            return this;
        }

        /**
         * @param dir the workers' working directory
         * @return this builder
         */
        public Builder directory(Path dir) {
            once("directory", directory);
            directory = Objects.requireNonNull(dir, "directory");
            return this;
        }

        /**
         * Selects a transport by provider name ({@code "jsonrpc"} by default, {@code "line"},
         * {@code "oneshot"}, or a plugin's).
         *
         * @param name the provider name
         * @return this builder
         */
        public Builder transport(String name) {
            once("transport", transport != null ? transport.name() : transportName);
            transportName = Objects.requireNonNull(name, "transport");
            return this;
        }

        /**
         * Uses this transport instance; no provider lookup happens.
         *
         * @param instance the transport
         * @return this builder
         */
        public Builder transport(Transport instance) {
            once("transport", transportName);
            transport = Objects.requireNonNull(instance, "transport");
            return this;
        }

        /**
         * @param name a transport setting's name
         * @param value its value
         * @return this builder
         */
        public Builder transportSetting(String name, String value) {
            if (transportSettings.putIfAbsent(Objects.requireNonNull(name), Objects.requireNonNull(value)) != null) {
                throw new IllegalStateException("transport setting " + name + " was already set to '"
                        + transportSettings.get(name) + "'");
            }
            return this;
        }

        /**
         * Selects a scaling policy by provider name. Without this, the pool uses {@code "queue-depth"}
         * when the scaler-queue-depth module is present and a fixed size otherwise.
         *
         * @param name the provider name
         * @return this builder
         */
        public Builder scalingPolicy(String name) {
            once("scalingPolicy", scalingPolicyName);
            scalingPolicyName = Objects.requireNonNull(name, "scalingPolicy");
            return this;
        }

        /**
         * Uses this scaling policy instance; no provider lookup happens.
         *
         * @param instance the policy
         * @return this builder
         */
        public Builder scalingPolicy(ScalingPolicy instance) {
            once("scalingPolicy", scalingPolicyName);
            scalingPolicy = Objects.requireNonNull(instance, "scalingPolicy");
            return this;
        }

        /**
         * @param name a scaling policy setting's name
         * @param value its value
         * @return this builder
         */
        public Builder scalingSetting(String name, String value) {
            if (scalingSettings.putIfAbsent(Objects.requireNonNull(name), Objects.requireNonNull(value)) != null) {
                throw new IllegalStateException("scaling setting " + name + " was already set to '"
                        + scalingSettings.get(name) + "'");
            }
            return this;
        }

        /**
         * @param n workers to start with (default 3, or {@value PoolConfig#ENV_SIZE})
         * @return this builder
         */
        public Builder size(int n) {
            once("size", size);
            size = atLeast("size", n, 1);
            return this;
        }

        /**
         * @param n the smallest size scaling may shrink to (default 1, or {@value PoolConfig#ENV_MIN})
         * @return this builder
         */
        public Builder minSize(int n) {
            once("minSize", minSize);
            minSize = atLeast("minSize", n, 1);
            return this;
        }

        /**
         * @param n the largest size scaling may grow to (default 10, or {@value PoolConfig#ENV_MAX})
         * @return this builder
         */
        public Builder maxSize(int n) {
            once("maxSize", maxSize);
            maxSize = atLeast("maxSize", n, 1);
            return this;
        }

        /**
         * @param d the default run deadline (default 300 s, or {@value PoolConfig#ENV_TIMEOUT} seconds)
         * @return this builder
         */
        public Builder requestTimeout(Duration d) {
            once("requestTimeout", requestTimeout);
            requestTimeout = positive("requestTimeout", d);
            return this;
        }

        /**
         * @param d how long a request may wait for a worker (default: no limit besides the run deadline)
         * @return this builder
         */
        public Builder queueTimeout(Duration d) {
            once("queueTimeout", queueTimeout);
            queueTimeout = positive("queueTimeout", d);
            return this;
        }

        /**
         * @param n how many requests may wait; more are rejected at once (default 10,000)
         * @return this builder
         */
        public Builder maxQueueSize(int n) {
            once("maxQueueSize", maxQueueSize);
            maxQueueSize = atLeast("maxQueueSize", n, 0);
            return this;
        }

        /**
         * @param d how long a worker may take to become ready (default 30 s)
         * @return this builder
         */
        public Builder startTimeout(Duration d) {
            once("startTimeout", startTimeout);
            startTimeout = positive("startTimeout", d);
            return this;
        }

        /**
         * @param d how long a worker asked to cancel may take before it is killed (default 2 s)
         * @return this builder
         */
        public Builder cancelGrace(Duration d) {
            once("cancelGrace", cancelGrace);
            cancelGrace = notNegative("cancelGrace", d);
            return this;
        }

        /**
         * @param d how long each step of stopping a worker waits (default 2 s)
         * @return this builder
         */
        public Builder stopGrace(Duration d) {
            once("stopGrace", stopGrace);
            stopGrace = notNegative("stopGrace", d);
            return this;
        }

        /**
         * @param d how long {@code close()} lets work finish (default 30 s)
         * @return this builder
         */
        public Builder shutdownGrace(Duration d) {
            once("shutdownGrace", shutdownGrace);
            shutdownGrace = notNegative("shutdownGrace", d);
            return this;
        }

        /**
         * @param n requests after which a worker is recycled (default 0: never)
         * @return this builder
         */
        public Builder maxRequestsPerWorker(int n) {
            once("maxRequestsPerWorker", maxRequestsPerWorker);
            maxRequestsPerWorker = atLeast("maxRequestsPerWorker", n, 0);
            return this;
        }

        /**
         * @param n the largest random number added to the request limit per worker (default 0)
         * @return this builder
         */
        public Builder maxRequestsJitter(int n) {
            once("maxRequestsJitter", maxRequestsJitter);
            maxRequestsJitter = atLeast("maxRequestsJitter", n, 0);
            return this;
        }

        /**
         * @param d the age after which a worker is recycled (default: no limit)
         * @return this builder
         */
        public Builder maxWorkerAge(Duration d) {
            once("maxWorkerAge", maxWorkerAge);
            maxWorkerAge = positive("maxWorkerAge", d);
            return this;
        }

        /**
         * @param d how often idle workers are pinged (default 30 s; zero disables)
         * @return this builder
         */
        public Builder healthCheckInterval(Duration d) {
            once("healthCheckInterval", healthCheckInterval);
            healthCheckInterval = notNegative("healthCheckInterval", d);
            return this;
        }

        /**
         * @param d how long a ping may take (default 5 s)
         * @return this builder
         */
        public Builder healthCheckTimeout(Duration d) {
            once("healthCheckTimeout", healthCheckTimeout);
            healthCheckTimeout = positive("healthCheckTimeout", d);
            return this;
        }

        /**
         * @param d how often the scaling policy is asked (default 30 s; zero disables)
         * @return this builder
         */
        public Builder scalingInterval(Duration d) {
            once("scalingInterval", scalingInterval);
            scalingInterval = notNegative("scalingInterval", d);
            return this;
        }

        /**
         * @param bytes the largest frame either side may send (default 16 MiB)
         * @return this builder
         */
        public Builder maxFrameBytes(int bytes) {
            once("maxFrameBytes", maxFrameBytes);
            maxFrameBytes = atLeast("maxFrameBytes", bytes, 64);
            return this;
        }

        /**
         * Makes a stdout line that is not a frame a protocol error (by default it is logged and skipped).
         *
         * @return this builder
         */
        public Builder strictOutput() {
            once("strictOutput", strictOutput);
            strictOutput = true;
            return this;
        }

        /**
         * @param n how many of a worker's last stderr lines to keep (default 50)
         * @return this builder
         */
        public Builder stderrTailLines(int n) {
            once("stderrTailLines", stderrTailLines);
            stderrTailLines = atLeast("stderrTailLines", n, 0);
            return this;
        }

        /**
         * @param initial the first delay before restarting after a failed start (default 100 ms)
         * @param max the longest delay (default 30 s)
         * @return this builder
         */
        public Builder restartBackoff(Duration initial, Duration max) {
            once("restartBackoff", restartBackoff);
            restartBackoff = positive("restartBackoff", initial);
            maxRestartBackoff = positive("maxRestartBackoff", max);
            return this;
        }

        /**
         * @param failures failed starts within {@code window} that make the pool unhealthy (default 5)
         * @param window the window (default 60 s)
         * @return this builder
         */
        public Builder crashLoop(int failures, Duration window) {
            once("crashLoop", crashLoopThreshold);
            crashLoopThreshold = atLeast("crashLoop failures", failures, 1);
            crashLoopWindow = positive("crashLoop window", window);
            return this;
        }

        /**
         * Keeps the pool from registering a JVM shutdown hook (registered by default).
         *
         * @return this builder
         */
        public Builder noShutdownHook() {
            once("shutdownHook", shutdownHook);
            shutdownHook = false;
            return this;
        }

        /**
         * @param order which idle worker a request goes to (default
         *     {@link DispatchOrder#MOST_RECENTLY_USED})
         * @return this builder
         */
        public Builder dispatchOrder(DispatchOrder order) {
            once("dispatchOrder", dispatchOrder);
            dispatchOrder = Objects.requireNonNull(order, "dispatchOrder");
            return this;
        }

        /**
         * Completes every future the pool returns on {@code executor}, so that dependent stages
         * attached without an executor run there instead of on the thread that read the answer
         * (by default they run on that thread, which is the fastest path). Needed by a callback
         * that waits for another request of the same pool. Costs one hand-off per request.
         *
         * @param executor runs the completions; if it rejects one, the completion runs on the
         *     completing thread
         * @return this builder
         */
        public Builder callbackExecutor(Executor executor) {
            once("callbackExecutor", callbackExecutor);
            callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor");
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalStateException if no command was given, or the sizes or backoffs do not fit together
         */
        public PoolConfig build() {
            if (command == null) {
                throw new IllegalStateException("no command was given: call command(\"program\", \"arg\", ...)");
            }
            if (minSize > maxSize) {
                throw new IllegalStateException("minSize is " + minSize + source("minSize", ENV_MIN)
                        + ", but maxSize is " + maxSize + source("maxSize", ENV_MAX));
            }
            if (size < minSize || size > maxSize) {
                throw new IllegalStateException("size is " + size + source("size", ENV_SIZE)
                        + ", but must be within minSize " + minSize + " and maxSize " + maxSize);
            }
            if (maxRestartBackoff.compareTo(restartBackoff) < 0) {
                throw new IllegalStateException("maxRestartBackoff " + maxRestartBackoff
                        + " is below restartBackoff " + restartBackoff);
            }
            return new PoolConfig(this);
        }

        private String source(String option, String variable) {
            return !explicit.contains(option) && envDefaults.containsKey(variable) ? " (from " + variable + ")" : "";
        }
    }
}
