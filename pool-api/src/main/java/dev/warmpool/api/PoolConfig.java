package dev.warmpool.api;

import static dev.warmpool.api.ConfigOption.*;

import dev.warmpool.api.Setting.Origin;
import dev.warmpool.api.spi.PluginSettings;
import dev.warmpool.api.spi.ProviderCheck;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The immutable configuration of a {@link WorkerPool}, made by a {@link Builder}. Every option, its
 * default and its environment variable are listed in {@code docs/configuration.md}.
 *
 * <p>Precedence: an option set on the builder wins over an environment variable read by
 * {@link #fromEnvironment()}, which wins over the default. When {@code size}, {@code minSize} and
 * {@code maxSize} disagree, the weaker value moves to make room for the stronger one (a size left at its
 * default follows {@code HANDLER_POOL_MAX=2} given alone) and {@link #toString()} says so; two values of
 * equal standing that disagree fail the build, naming where each came from.
 *
 * <p>The environment rule: a worker gets the variables named in {@link #DEFAULT_INHERITED_ENVIRONMENT}
 * (or those given to {@link Builder#inheritEnvironment}) from the parent process, plus those set with
 * {@link Builder#environment(String, String)}. Nothing else of the parent's environment reaches a worker
 * unless {@link Builder#inheritAllEnvironment()} is called: secrets in the parent stay there.
 *
 * <p>Thread-safe (immutable). One configuration may start any number of pools.
 */
public final class PoolConfig {
    /** Environment variable for the initial pool size (default 3). */
    public static final String ENV_SIZE = "HANDLER_POOL_SIZE";
    /** Environment variable for the minimum pool size (default 1). */
    public static final String ENV_MIN = "HANDLER_POOL_MIN";
    /** Environment variable for the maximum pool size (default 10). */
    public static final String ENV_MAX = "HANDLER_POOL_MAX";
    /** Environment variable for the run deadline, in seconds or with a unit such as {@code 90s} (default 300). */
    public static final String ENV_TIMEOUT = "HANDLER_REQUEST_TIMEOUT";
    /**
     * Environment variable for the hosts the workers run on, separated by commas (default: this machine
     * only, without the {@code hosts} transport); see {@link Builder#hosts(List)}.
     */
    public static final String ENV_HOSTS = "WARMPOOL_HOSTS";

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

    /** Every option's final value and where it came from. */
    private final Map<ConfigOption<?>, Setting> settings;
    /** What was given and read from the environment, before sizes were fitted: what {@link #toBuilder()} copies. */
    private final Map<ConfigOption<?>, Setting> inputs;

    private PoolConfig(Map<ConfigOption<?>, Setting> settings, Map<ConfigOption<?>, Setting> inputs) {
        this.settings = settings;
        this.inputs = inputs;
    }

    /** {@return a builder with the defaults} */
    public static Builder builder() {
        return new Builder(Map.of(), Map.of());
    }

    /**
     * Returns a builder whose size, minimum, maximum, run deadline and hosts come from {@value #ENV_SIZE},
     * {@value #ENV_MIN}, {@value #ENV_MAX}, {@value #ENV_TIMEOUT} and {@value #ENV_HOSTS} in this process's
     * environment, when set.
     * An option set on the builder wins over its variable, even one whose value is bad.
     *
     * @return the builder; a bad variable that no option overrides fails {@link Builder#build()}
     */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Like {@link #fromEnvironment()}, reading the variables from {@code env}.
     *
     * @param env the environment to read
     * @return the builder
     */
    public static Builder fromEnvironment(Map<String, String> env) {
        Map<String, String> read = new TreeMap<>();
        for (String name : List.of(ENV_SIZE, ENV_MIN, ENV_MAX, ENV_TIMEOUT, ENV_HOSTS)) {
            Optional.ofNullable(env.get(name)).ifPresent(value -> read.put(name, value));
        }
        return new Builder(Map.of(), read);
    }

    /**
     * Returns a builder for a modified copy: it starts from this configuration's values, and each option
     * may be set once on it, replacing the copied value. Sizes left at their defaults fit again.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(inputs, Map.of());
    }

    /**
     * Computes a worker's complete environment from the parent's by this configuration's rule.
     *
     * @param parent the parent's environment
     * @return the worker's environment
     */
    public Map<String, String> workerEnvironment(Map<String, String> parent) {
        Map<String, String> env = new TreeMap<>();
        if (inheritAllEnvironment()) {
            env.putAll(parent);
        } else {
            inheritedEnvironment().stream().filter(parent::containsKey).forEach(name -> env.put(name, parent.get(name)));
        }
        env.putAll(environment());
        return env;
    }

    @SuppressWarnings("unchecked") // settings hold each option's value with the option's type (see BuilderOptions)
    private <T> T get(ConfigOption<T> option) {
        return (T) Setting.in(settings, option).value();
    }

    /** {@return the worker program and its arguments} */
    public List<String> command() { return get(COMMAND); }
    /** {@return the variables set for workers, by name} */
    public Map<String, String> environment() { return get(ENVIRONMENT); }
    /** {@return the names of the parent's variables workers inherit} */
    public Set<String> inheritedEnvironment() { return get(INHERITED_ENVIRONMENT); }
    /** {@return whether workers inherit the parent's whole environment} */
    public boolean inheritAllEnvironment() { return get(INHERIT_ALL_ENVIRONMENT); }
    /** {@return the workers' working directory, if set} */
    public Optional<Path> directory() { return get(DIRECTORY); }
    /**
     * {@return the transport's provider name ({@code "jsonrpc"} unless set), or the given instance's name;
     * {@code "hosts"} when {@link #hosts()} are set, the configured name being its {@code inner} setting}
     */
    public String transportName() { return get(TRANSPORT_NAME); }
    /** {@return the transport instance given to the builder, if any} */
    public Optional<Transport> transport() { return get(TRANSPORT); }
    /** {@return the settings passed to the transport's provider; with hosts, {@code inner} and {@code hosts} too} */
    public Map<String, String> transportSettings() { return get(TRANSPORT_SETTINGS); }
    /** {@return the hosts the workers run on through the {@code hosts} transport; empty for this machine alone} */
    public List<String> hosts() { return get(HOSTS); }
    /** {@return the scaling policy's provider name, if one was chosen by name} */
    public Optional<String> scalingPolicyName() { return get(SCALING_POLICY_NAME); }
    /** {@return what makes each pool's scaling policy, if a policy or supplier was given: call it once per pool} */
    public Optional<Supplier<ScalingPolicy>> scalingPolicy() { return get(SCALING_POLICY); }
    /** {@return the settings passed to the scaling policy's provider} */
    public Map<String, String> scalingSettings() { return get(SCALING_SETTINGS); }
    /** {@return the number of workers started with the pool} */
    public int size() { return get(SIZE); }
    /** {@return the smallest size scaling may shrink to} */
    public int minSize() { return get(MIN_SIZE); }
    /** {@return the largest size scaling may grow to} */
    public int maxSize() { return get(MAX_SIZE); }
    /** {@return the default run deadline of a request} */
    public Duration requestTimeout() { return get(REQUEST_TIMEOUT); }
    /** {@return how long a request may wait in the queue, if limited} */
    public Optional<Duration> queueTimeout() { return get(QUEUE_TIMEOUT); }
    /** {@return how many requests may wait for a worker before new ones are rejected} */
    public int maxQueueSize() { return get(MAX_QUEUE_SIZE); }
    /** {@return how long a worker may take to become ready} */
    public Duration startTimeout() { return get(START_TIMEOUT); }
    /** {@return how long a worker asked to cancel may take before it is killed} */
    public Duration cancelGrace() { return get(CANCEL_GRACE); }
    /** {@return how long each step of stopping a worker waits (EOF, then SIGTERM, then SIGKILL)} */
    public Duration stopGrace() { return get(STOP_GRACE); }
    /** {@return how long {@link WorkerPool#close()} lets in-flight and queued work finish} */
    public Duration shutdownGrace() { return get(SHUTDOWN_GRACE); }
    /** {@return the requests after which a worker is replaced; 0 for no limit} */
    public int maxRequestsPerWorker() { return get(MAX_REQUESTS_PER_WORKER); }
    /** {@return the largest random number added to {@link #maxRequestsPerWorker()} per worker} */
    public int maxRequestsJitter() { return get(MAX_REQUESTS_JITTER); }
    /** {@return the age after which a worker is replaced, if limited} */
    public Optional<Duration> maxWorkerAge() { return get(MAX_WORKER_AGE); }
    /** {@return how often idle workers are pinged; zero turns health checks off} */
    public Duration healthCheckInterval() { return get(HEALTH_CHECK_INTERVAL); }
    /** {@return how long a ping may take} */
    public Duration healthCheckTimeout() { return get(HEALTH_CHECK_TIMEOUT); }
    /** {@return how often the scaling policy is asked; zero turns automatic scaling off} */
    public Duration scalingInterval() { return get(SCALING_INTERVAL); }
    /** {@return the largest frame either side may send, in bytes} */
    public int maxFrameBytes() { return get(MAX_FRAME_BYTES); }
    /** {@return whether a stdout line that is not a frame is a protocol error} */
    public boolean strictOutput() { return get(STRICT_OUTPUT); }
    /** {@return how many of a worker's last stderr lines are kept for error messages} */
    public int stderrTailLines() { return get(STDERR_TAIL_LINES); }
    /** {@return the first delay before restarting a worker that failed to start} */
    public Duration restartBackoff() { return get(RESTART_BACKOFF); }
    /** {@return the longest delay between restarts} */
    public Duration maxRestartBackoff() { return get(MAX_RESTART_BACKOFF); }
    /** {@return the failed starts within {@link #crashLoopWindow()} that make the pool unhealthy} */
    public int crashLoopThreshold() { return get(CRASH_LOOP_THRESHOLD); }
    /** {@return the window in which failed starts are counted} */
    public Duration crashLoopWindow() { return get(CRASH_LOOP_WINDOW); }
    /** {@return whether the pool registers a JVM shutdown hook that closes it} */
    public boolean shutdownHook() { return get(SHUTDOWN_HOOK); }
    /** {@return which idle worker a request goes to} */
    public DispatchOrder dispatchOrder() { return get(DISPATCH_ORDER); }
    /** {@return the executor that runs future callbacks and listeners, if one was given} */
    public Optional<Executor> callbackExecutor() { return get(CALLBACK_EXECUTOR); }

    /**
     * Lists every option with its value; a value read from the environment, or moved to fit the other
     * sizes, says so, e.g. {@code size=2 (default 3, lowered to maxSize 2 from HANDLER_POOL_MAX)}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return ALL.stream().map(o -> {
            Setting s = Setting.in(settings, o);
            boolean plain = s.origin() == Origin.GIVEN || s.source().equals("default");
            return o.name() + "=" + ConfigOption.show(s.value()) + (plain ? "" : s.suffix());
        }).collect(Collectors.joining(", ", "PoolConfig[", "]"));
    }

    /**
     * Builds a {@link PoolConfig}. Each option may be set once; a bad value fails at once with
     * {@link IllegalArgumentException}, a bad combination or environment variable in {@link #build()}.
     * Not thread-safe.
     */
    public static final class Builder extends BuilderOptions {
        private final Map<String, String> variables;

        private Builder(Map<ConfigOption<?>, Setting> base, Map<String, String> variables) {
            super(base);
            this.variables = variables;
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Checks the options together and makes the configuration. When the pool-core module is on the path,
         * the transport and scaling policy names are resolved now, and their settings checked, the way a
         * pool resolves them when it starts.
         *
         * @return the configuration
         * @throws IllegalArgumentException if an environment variable that no option overrides has a bad
         *     value, or a provider rejects its settings; the message names the variable or setting
         * @throws IllegalStateException if no command was given, the sizes or backoffs do not fit together, or
         *     hosts are set with a transport instance (wrap it with {@code HostsTransport.wrap} instead) or with
         *     the transport settings {@code hosts} or {@code inner}
         * @throws ProviderNotFoundException if no provider on the path has the transport or policy name
         */
        public PoolConfig build() {
            Map<ConfigOption<?>, Setting> inputs = new LinkedHashMap<>(base);
            for (ConfigOption<?> o : List.of(SIZE, MIN_SIZE, MAX_SIZE, REQUEST_TIMEOUT, HOSTS)) {
                String variable = o.variable().orElseThrow();
                String value = variables.get(variable);
                if (value != null && !given.containsKey(o)) {
                    inputs.put(o, new Setting(read(o, "environment variable " + variable, value), Origin.ENVIRONMENT,
                            "from " + variable));
                }
            }
            given.forEach((o, v) -> inputs.put(o, new Setting(v, Origin.GIVEN, "")));
            Map<ConfigOption<?>, Setting> settings = new LinkedHashMap<>();
            ALL.forEach(o -> settings.put(o, inputs.getOrDefault(o, Setting.fallback(o))));
            if (current(COMMAND).isEmpty()) {
                throw new IllegalStateException("no command was given: call command(\"program\", \"arg\", ...)");
            }
            SizeRules.fit(settings);
            if (current(MAX_RESTART_BACKOFF).compareTo(current(RESTART_BACKOFF)) < 0) {
                throw new IllegalStateException("maxRestartBackoff " + Durations.format(current(MAX_RESTART_BACKOFF))
                        + " is below restartBackoff " + Durations.format(current(RESTART_BACKOFF)));
            }
            if (current(SCALING_POLICY).isPresent() && !current(SCALING_SETTINGS).isEmpty()) {
                throw new IllegalStateException("scaling settings " + current(SCALING_SETTINGS) + " are set, but the"
                        + " scaling policy was given as " + current(SCALING_POLICY).get() + ", which does not read"
                        + " them; set them on the policy, or choose the policy by name with scalingPolicy(\"name\")");
            }
            HostList.applyTo(settings);
            PoolConfig config = new PoolConfig(Collections.unmodifiableMap(settings), Collections.unmodifiableMap(inputs));
            checkProviders(config);
            return config;
        }

        private static Object read(ConfigOption<?> option, String what, String value) {
            if (HOSTS.equals(option)) {
                return HostList.parse(what, value);
            }
            return REQUEST_TIMEOUT.equals(option) ? PluginSettings.parsePositiveDuration(what, value)
                    : PluginSettings.parseWholeNumber(what, value, 1, Integer.MAX_VALUE);
        }

        /** Runs every {@link ProviderCheck} on the path (pool-core's); one that fails to load is skipped. */
        private static void checkProviders(PoolConfig config) {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            var checks = ServiceLoader.load(ProviderCheck.class, cl != null ? cl : PoolConfig.class.getClassLoader())
                    .iterator();
            while (true) {
                ProviderCheck check;
                try {
                    if (!checks.hasNext()) {
                        return;
                    }
                    check = checks.next();
                } catch (ServiceConfigurationError e) {
                    continue; // a broken jar cannot check anything; the pool reports it when it looks providers up
                }
                check.check(config);
            }
        }
    }
}
