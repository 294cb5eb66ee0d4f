package dev.warmpool.api;

import dev.warmpool.api.PoolConfig.DispatchOrder;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One option of a {@link PoolConfig}, described once: the name its accessor and messages use, the builder
 * method that sets it, its default, and the environment variable {@link PoolConfig#fromEnvironment()} reads
 * for it. {@link PoolConfig}, its builder, {@code toString()}, {@code toBuilder()} and the configuration
 * page's test all work from {@link #ALL}.
 *
 * @param name the accessor's name, used in messages
 * @param setter the builder method that sets it
 * @param fallback the default
 * @param variable the environment variable that can give its value
 * @param <T> the value's type
 */
record ConfigOption<T>(String name, String setter, T fallback, Optional<String> variable) {
    static final ConfigOption<List<String>> COMMAND = of("command", List.of());
    static final ConfigOption<Map<String, String>> ENVIRONMENT = of("environment", Map.of());
    static final ConfigOption<Set<String>> INHERITED_ENVIRONMENT =
            new ConfigOption<>("inheritedEnvironment", "inheritEnvironment", PoolConfig.DEFAULT_INHERITED_ENVIRONMENT,
                    Optional.empty());
    static final ConfigOption<Boolean> INHERIT_ALL_ENVIRONMENT = of("inheritAllEnvironment", false);
    static final ConfigOption<Optional<Path>> DIRECTORY = of("directory", Optional.empty());
    static final ConfigOption<String> TRANSPORT_NAME = of("transportName", "transport", "jsonrpc");
    static final ConfigOption<Optional<Transport>> TRANSPORT = of("transport", Optional.empty());
    static final ConfigOption<Map<String, String>> TRANSPORT_SETTINGS =
            of("transportSettings", "transportSetting", Map.of());
    static final ConfigOption<List<String>> HOSTS = env("hosts", List.of(), PoolConfig.ENV_HOSTS);
    static final ConfigOption<Optional<String>> SCALING_POLICY_NAME =
            of("scalingPolicyName", "scalingPolicy", Optional.empty());
    static final ConfigOption<Optional<Supplier<ScalingPolicy>>> SCALING_POLICY = of("scalingPolicy", Optional.empty());
    static final ConfigOption<Map<String, String>> SCALING_SETTINGS = of("scalingSettings", "scalingSetting", Map.of());
    static final ConfigOption<Integer> SIZE = env("size", 3, PoolConfig.ENV_SIZE);
    static final ConfigOption<Integer> MIN_SIZE = env("minSize", 1, PoolConfig.ENV_MIN);
    static final ConfigOption<Integer> MAX_SIZE = env("maxSize", 10, PoolConfig.ENV_MAX);
    @SuppressWarnings("CanonicalDuration") // 300 s: how HANDLER_REQUEST_TIMEOUT's default is documented, in seconds
    static final ConfigOption<Duration> REQUEST_TIMEOUT = env("requestTimeout", Duration.ofSeconds(300),
            PoolConfig.ENV_TIMEOUT);
    static final ConfigOption<Optional<Duration>> QUEUE_TIMEOUT = of("queueTimeout", Optional.empty());
    static final ConfigOption<Integer> MAX_QUEUE_SIZE = of("maxQueueSize", 10_000);
    static final ConfigOption<Duration> START_TIMEOUT = of("startTimeout", Duration.ofSeconds(30));
    static final ConfigOption<Duration> CANCEL_GRACE = of("cancelGrace", Duration.ofSeconds(2));
    static final ConfigOption<Duration> STOP_GRACE = of("stopGrace", Duration.ofSeconds(2));
    static final ConfigOption<Duration> SHUTDOWN_GRACE = of("shutdownGrace", Duration.ofSeconds(30));
    static final ConfigOption<Integer> MAX_REQUESTS_PER_WORKER = of("maxRequestsPerWorker", 0);
    static final ConfigOption<Integer> MAX_REQUESTS_JITTER = of("maxRequestsJitter", 0);
    static final ConfigOption<Optional<Duration>> MAX_WORKER_AGE = of("maxWorkerAge", Optional.empty());
    static final ConfigOption<Duration> HEALTH_CHECK_INTERVAL = of("healthCheckInterval", Duration.ofSeconds(30));
    static final ConfigOption<Duration> HEALTH_CHECK_TIMEOUT = of("healthCheckTimeout", Duration.ofSeconds(5));
    static final ConfigOption<Duration> SCALING_INTERVAL = of("scalingInterval", Duration.ofSeconds(30));
    static final ConfigOption<Integer> MAX_FRAME_BYTES = of("maxFrameBytes", 16 * 1024 * 1024);
    static final ConfigOption<Boolean> STRICT_OUTPUT = of("strictOutput", false);
    static final ConfigOption<Integer> STDERR_TAIL_LINES = of("stderrTailLines", 50);
    static final ConfigOption<Duration> RESTART_BACKOFF = of("restartBackoff", Duration.ofMillis(100));
    static final ConfigOption<Duration> MAX_RESTART_BACKOFF =
            of("maxRestartBackoff", "restartBackoff", Duration.ofSeconds(30));
    static final ConfigOption<Integer> CRASH_LOOP_THRESHOLD = of("crashLoopThreshold", "crashLoop", 5);
    static final ConfigOption<Duration> CRASH_LOOP_WINDOW = of("crashLoopWindow", "crashLoop", Duration.ofSeconds(60));
    static final ConfigOption<Boolean> SHUTDOWN_HOOK = of("shutdownHook", "noShutdownHook", true);
    static final ConfigOption<DispatchOrder> DISPATCH_ORDER = of("dispatchOrder", DispatchOrder.MOST_RECENTLY_USED);
    static final ConfigOption<Optional<Executor>> CALLBACK_EXECUTOR = of("callbackExecutor", Optional.empty());

    /** Every option, in the order {@code toString()} and the configuration page list them. */
    static final List<ConfigOption<?>> ALL = List.of(COMMAND, ENVIRONMENT, INHERITED_ENVIRONMENT,
            INHERIT_ALL_ENVIRONMENT, DIRECTORY, TRANSPORT_NAME, TRANSPORT, TRANSPORT_SETTINGS, HOSTS,
            SCALING_POLICY_NAME, SCALING_POLICY, SCALING_SETTINGS, SIZE, MIN_SIZE, MAX_SIZE, REQUEST_TIMEOUT, QUEUE_TIMEOUT,
            MAX_QUEUE_SIZE, START_TIMEOUT, CANCEL_GRACE, STOP_GRACE, SHUTDOWN_GRACE, MAX_REQUESTS_PER_WORKER,
            MAX_REQUESTS_JITTER, MAX_WORKER_AGE, HEALTH_CHECK_INTERVAL, HEALTH_CHECK_TIMEOUT, SCALING_INTERVAL,
            MAX_FRAME_BYTES, STRICT_OUTPUT, STDERR_TAIL_LINES, RESTART_BACKOFF, MAX_RESTART_BACKOFF,
            CRASH_LOOP_THRESHOLD, CRASH_LOOP_WINDOW, SHUTDOWN_HOOK, DISPATCH_ORDER, CALLBACK_EXECUTOR);

    private static <T> ConfigOption<T> of(String name, T fallback) {
        return new ConfigOption<>(name, name, fallback, Optional.empty());
    }

    private static <T> ConfigOption<T> of(String name, String setter, T fallback) {
        return new ConfigOption<>(name, setter, fallback, Optional.empty());
    }

    private static <T> ConfigOption<T> env(String name, T fallback, String variable) {
        return new ConfigOption<>(name, name, fallback, Optional.of(variable));
    }

    /**
     * Writes a value the way {@code toString()} and the configuration page show it.
     *
     * @param value a value of some option
     * @return durations in {@link Durations} format, absent values as {@code none}, the rest as text
     */
    static String show(Object value) {
        return switch (value) {
            case Optional<?> o -> o.map(ConfigOption::show).orElse("none");
            case Duration d -> Durations.format(d);
            case Transport t -> "instance of " + t.name();
            case Collection<?> c when c.isEmpty() -> "none";
            case Map<?, ?> m when m.isEmpty() -> "none";
            default -> String.valueOf(value);
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
