package dev.warmpool.handler;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.scaler.queuedepth.QueueDepthPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link HandlerPool}'s settings, checked: the mode, the CLI's command, and the configuration of
 * the warm pool — which the cold runs share (the same environment, directory, timeout, and
 * {@code HANDLER_POOL_MAX} as their bound).
 *
 * @param project the project directory, whose {@code .claude/commands} hold the handlers
 * @param command the CLI's argv without the options HandlerPool adds
 * @param mode how events are served
 * @param pool the warm pool's configuration
 * @param shutdownHook whether the handler pool registers a JVM shutdown hook
 */
record HandlerSettings(Path project, List<String> command, HandlerMode mode, PoolConfig pool, boolean shutdownHook) {
    /** The plan's scaling rule, in the queue-depth policy's settings: one more worker while more than 10 events wait, one fewer while none does. */
    static final Map<String, String> SCALING = Map.of("mode", "step", "scale-up-threshold", "10", "max-step", "1",
            "scale-down-when", "queue-empty");
    /** How often the scaling rule is applied (the plan's monitor ran every 30 s). */
    static final Duration SCALING_INTERVAL = Duration.ofSeconds(30);
    /** Lines of each worker's stderr kept: enough for a turn's lines even with the CLI's debug output on. */
    static final int STDERR_LINES = 200;
    /** The parent's variables, by prefix, that {@code fromEnvironment} hands to the CLI: its credentials and switches. */
    static final List<String> CLI_PREFIXES = List.of("ANTHROPIC_", "CLAUDE_", "DISABLE_");
    /** Options HandlerPool adds itself, for the warm ({@code stream-json}) and the cold ({@code json}) runs. */
    private static final Set<String> OWN_OPTIONS = Set.of("-p", "--print", "--input-format", "--output-format");

    static HandlerSettings of(HandlerPool.Builder b) {
        if (!Files.isDirectory(b.project)) {
            throw new IllegalArgumentException("the project directory " + b.project + " does not exist or is not a "
                    + "directory (its .claude/commands hold the handlers)");
        }
        List<String> command = b.command != null ? b.command : List.of("claude");
        for (String a : command.subList(1, command.size())) {
            String option = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (OWN_OPTIONS.contains(option)) {
                throw new IllegalArgumentException("the command " + command + " has " + a + ", but HandlerPool adds -p and "
                        + "the formats itself (stream-json warm, json cold): leave it out");
            }
        }
        HandlerMode mode = b.mode != null ? b.mode
                : b.variables.containsKey(HandlerMode.ENV) ? HandlerMode.parse(b.variables.get(HandlerMode.ENV))
                : HandlerMode.AUTO;
        int maxRequests = b.maxRequests != null ? b.maxRequests : maxRequests(b.variables);

        PoolConfig.Builder p = PoolConfig.fromEnvironment(b.variables)
                .transport(new EventTurnTransport())
                .command(command)
                .directory(b.project.toAbsolutePath())
                .dispatchOrder(PoolConfig.DispatchOrder.LEAST_RECENTLY_USED)
                .scalingPolicy(() -> QueueDepthPolicy.fromSettings(SCALING)) // a policy of its own for each pool
                .scalingInterval(SCALING_INTERVAL)
                .stderrTailLines(STDERR_LINES)
                .noShutdownHook();
        cliEnvironment(b.variables, b.environment).forEach(p::environment);
        if (b.size != null) {
            p.size(b.size);
        }
        if (b.minSize != null) {
            p.minSize(b.minSize);
        }
        if (b.maxSize != null) {
            p.maxSize(b.maxSize);
        }
        if (b.requestTimeout != null) {
            p.requestTimeout(b.requestTimeout);
        }
        if (maxRequests > 0) {
            // jitter, so workers started together are not all replaced at once
            p.maxRequestsPerWorker(maxRequests).maxRequestsJitter(maxRequests / 10);
        }
        if (b.startTimeout != null) {
            p.startTimeout(b.startTimeout);
        }
        if (b.restartBackoff != null) {
            // the builder's restartBackoff(initial, max) sets both
            p.restartBackoff(b.restartBackoff, Objects.requireNonNull(b.maxRestartBackoff, "maxRestartBackoff"));
        }
        if (b.shutdownGrace != null) {
            p.shutdownGrace(b.shutdownGrace);
        }
        PoolConfig first = p.build();
        // an event waits for a worker no longer than it may run: every event ends within twice the timeout
        PoolConfig config = first.toBuilder().queueTimeout(first.requestTimeout()).build();
        return new HandlerSettings(b.project.toAbsolutePath(), command, mode, config, b.shutdownHook);
    }

    private static int maxRequests(Map<String, String> variables) {
        String v = variables.get(HandlerPool.ENV_MAX_REQUESTS);
        if (v == null) {
            return HandlerPool.DEFAULT_MAX_REQUESTS;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("environment variable " + HandlerPool.ENV_MAX_REQUESTS + " is '" + v
                + "', but must be a whole number of at least 0 (0: never recycle)");
    }

    /** The variables of {@link #CLI_PREFIXES} found in {@code variables}, then the explicit ones over them. */
    static Map<String, String> cliEnvironment(Map<String, String> variables, Map<String, String> explicit) {
        Map<String, String> env = new TreeMap<>();
        variables.forEach((name, value) -> {
            if (CLI_PREFIXES.stream().anyMatch(name::startsWith)) {
                env.put(name, value);
            }
        });
        env.putAll(explicit);
        return new LinkedHashMap<>(env);
    }

    /** @return the cold runs' exact environment: the workers' */
    Map<String, String> coldEnvironment() {
        return pool.workerEnvironment(System.getenv());
    }
}
