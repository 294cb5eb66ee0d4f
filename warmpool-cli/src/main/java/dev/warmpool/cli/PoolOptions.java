package dev.warmpool.cli;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.ProviderNotFoundException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The pool's sizes and limits, shared by {@code run}, {@code bench} and {@code demo}. An option
 * given on the command line wins over its {@code HANDLER_POOL_*} variable; a variable that is set
 * to a bad value (and not overridden) is an error with exit status 2.
 */
final class PoolOptions {
    @Option(names = "--size", paramLabel = "N",
            description = "Workers to start with (default: $HANDLER_POOL_SIZE, else 3).")
    Integer size;

    @Option(names = "--min", paramLabel = "N",
            description = "Fewest workers the pool shrinks to (default: $HANDLER_POOL_MIN, else 1).")
    Integer min;

    @Option(names = "--max", paramLabel = "N",
            description = "Most workers the pool grows to (default: $HANDLER_POOL_MAX, else 10).")
    Integer max;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Run deadline of one request: seconds, or 500ms, 30s, 2m "
                    + "(default: $HANDLER_REQUEST_TIMEOUT seconds, else 300).")
    Duration timeout;

    @Option(names = "--max-requests", paramLabel = "N",
            description = "Replace a worker after it has served N requests (default 0: never).")
    Integer maxRequests;

    @Option(names = "--queue", paramLabel = "N",
            description = "Most requests that may wait for a worker at once (default 10000); run reads no "
                    + "further input while the queue is full.")
    Integer queue;

    @Option(names = "--start-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a worker may take to start and become ready (default 30s).")
    Duration startTimeout;

    @Option(names = "--max-frame-bytes", paramLabel = "N",
            description = "The largest frame (one request or answer) either side may send, in bytes "
                    + "(default 16777216, 16 MiB); a larger request is answered bad-input.")
    Integer maxFrameBytes;

    @Option(names = {"-v", "--verbose"}, description = "Log the pool's work (workers started, stopped, replaced) to stderr.")
    boolean verbose;

    /** Turns on the pool's info logs if asked; must run before the first logger is made. */
    void applyLogging() {
        if (verbose && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
    }

    /**
     * Makes a builder from the environment and these options.
     *
     * @param spec the command, for error messages
     * @param env the environment to read the {@code HANDLER_POOL_*} variables from
     * @return a builder with the sizes and limits set; the caller adds the command and transport
     * @throws ParameterException if a variable or an option has a bad value
     */
    PoolConfig.Builder builder(CommandSpec spec, Map<String, String> env) {
        return builder(spec, env, Optional.empty());
    }

    /**
     * Makes a builder from the environment, these options and the hosts of {@code --host}: when none is
     * given, {@code WARMPOOL_HOSTS} is read.
     *
     * @param spec the command, for error messages
     * @param env the environment to read the variables from
     * @param hosts the hosts given with {@code --host} (maybe none), or empty for a command without hosts
     * @return a builder with the sizes, limits and hosts set; the caller adds the command and transport
     * @throws ParameterException if a variable or an option has a bad value
     */
    PoolConfig.Builder builder(CommandSpec spec, Map<String, String> env, Optional<List<String>> hosts) {
        Map<String, String> vars = new HashMap<>();
        if (hosts.isPresent()) {
            copyUnlessOverridden(env, vars, PoolConfig.ENV_HOSTS, hosts.get().isEmpty() ? null : hosts.get());
        }
        copyUnlessOverridden(env, vars, PoolConfig.ENV_SIZE, size);
        copyUnlessOverridden(env, vars, PoolConfig.ENV_MIN, min);
        copyUnlessOverridden(env, vars, PoolConfig.ENV_MAX, max);
        copyUnlessOverridden(env, vars, PoolConfig.ENV_TIMEOUT, timeout);
        PoolConfig.Builder b;
        try {
            b = PoolConfig.fromEnvironment(vars);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage()
                    + " (fix or unset the variable, or override it with an option)");
        }
        try {
            if (size != null) {
                option("--size", () -> b.size(size));
            }
            if (min != null) {
                option("--min", () -> b.minSize(min));
            }
            if (max != null) {
                option("--max", () -> b.maxSize(max));
            }
            if (timeout != null) {
                option("--timeout", () -> b.requestTimeout(timeout));
            }
            if (maxRequests != null) {
                option("--max-requests", () -> b.maxRequestsPerWorker(maxRequests));
            }
            if (queue != null) {
                option("--queue", () -> b.maxQueueSize(queue));
            }
            if (startTimeout != null) {
                option("--start-timeout", () -> b.startTimeout(startTimeout));
            }
            if (hosts.isPresent() && !hosts.get().isEmpty()) {
                option("--host", () -> b.hosts(hosts.get()));
            }
            if (maxFrameBytes != null) {
                option("--max-frame-bytes", () -> b.maxFrameBytes(maxFrameBytes));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return b;
    }

    /** @return whether --size was given */
    boolean sizeGiven() {
        return size != null;
    }

    /**
     * Builds the configuration, turning a bad combination of sizes into a usage error.
     *
     * @param spec the command, for error messages
     * @param b the builder
     * @return the configuration
     * @throws ParameterException if the sizes do not fit together
     */
    static PoolConfig build(CommandSpec spec, PoolConfig.Builder b) {
        try {
            return b.build();
        } catch (ProviderNotFoundException e) {
            throw Pools.unknownTransport(spec, e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // a host the hosts transport rejects (a bad port, say) is not about sizes
            boolean sizes = e.getMessage().toLowerCase(Locale.ROOT).contains("size");
            throw new ParameterException(spec.commandLine(), e.getMessage() + (sizes ? " (the sizes come from --size,"
                    + " --min, --max or HANDLER_POOL_SIZE, HANDLER_POOL_MIN, HANDLER_POOL_MAX)" : ""));
        }
    }

    private static void copyUnlessOverridden(Map<String, String> env, Map<String, String> into, String name, Object flag) {
        String v = env.get(name);
        if (v != null && flag == null) {
            into.put(name, v);
        }
    }

    private static void option(String flag, Runnable set) {
        try {
            set.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid value for option '" + flag + "': " + e.getMessage(), e);
        }
    }
}
