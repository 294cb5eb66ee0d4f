package dev.warmpool.handler;

import dev.warmpool.api.HealthReport;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.core.WarmPool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event listener's handler pool: {@code execute(handler, event)} runs the project's slash
 * command {@code /<handler>} with the event, as one turn of a warm Claude Code CLI, and answers with
 * a {@link HandlerResult}. The plan's {@code HandlerPool}, with its variables:
 *
 * <table>
 *   <caption>The variables {@link #fromEnvironment(Path)} reads</caption>
 *   <tr><th>variable</th><th>default</th><th>what it sets</th></tr>
 *   <tr><td>{@code HANDLER_POOL_SIZE}</td><td>3</td><td>warm workers at start</td></tr>
 *   <tr><td>{@code HANDLER_POOL_MIN}</td><td>1</td><td>the fewest workers scaling leaves</td></tr>
 *   <tr><td>{@code HANDLER_POOL_MAX}</td><td>10</td><td>the most workers scaling adds; also the most cold runs at once</td></tr>
 *   <tr><td>{@code HANDLER_REQUEST_TIMEOUT}</td><td>300</td><td>seconds an event may run (and, again, wait for a worker)</td></tr>
 *   <tr><td>{@code HANDLER_MAX_REQUESTS}</td><td>{@value #DEFAULT_MAX_REQUESTS}</td><td>events after which a worker is
 *       replaced (plus up to a tenth more, at random); 0: never</td></tr>
 *   <tr><td>{@code HANDLER_POOL_MODE}</td><td>{@code auto}</td><td>{@code pool}, {@code spawn} or {@code auto}: see {@link HandlerMode}</td></tr>
 *   <tr><td>{@code ANTHROPIC_*}, {@code CLAUDE_*}, {@code DISABLE_*}</td><td></td><td>passed to the CLI; nothing else
 *       of the environment is, but {@code PATH}, {@code HOME}, {@code USER}, {@code LANG}, {@code TZ} and the like</td></tr>
 * </table>
 *
 * <p>The warm pool under it dispatches to the worker idle longest (a Claude Code worker clears its
 * conversation after each event), grows by one worker every 30 s while more than 10 events wait and
 * shrinks by one while none does, and replaces workers after {@code HANDLER_MAX_REQUESTS} events.
 *
 * {@snippet :
 * try (HandlerPool pool = HandlerPool.fromEnvironment(Path.of("/srv/my-project"))
 *         .command("/usr/local/bin/claude", "--model", "sonnet")
 *         .build()
 *         .start()) {
 *     HandlerResult r = pool.execute("triage", Map.of("id", 42, "kind", "push")).join();
 *     System.out.println(r.success() + " " + r.output());
 * }
 * }
 *
 * <p>Thread-safe. {@link #execute} never blocks and its future never fails: every event ends in
 * exactly one result, within twice {@code HANDLER_REQUEST_TIMEOUT}. Cancelling that future stops the
 * event: a warm event's pool request is cancelled, which asks its worker to interrupt the turn (a
 * worker that does not within the pool's cancel grace is killed and replaced); a cold event's
 * {@code claude -p} is killed, or not started if it waited for a slot. The event is counted as
 * {@link HandlerResult.Failure#CANCELLED}. Dependent stages attached to the future without an
 * executor run on the pool's threads: keep them short.
 */
public final class HandlerPool implements AutoCloseable {
    /** The variable for the number of events after which a worker is replaced. */
    public static final String ENV_MAX_REQUESTS = "HANDLER_MAX_REQUESTS";
    /**
     * Events a worker serves before it is replaced, unless {@value #ENV_MAX_REQUESTS} says otherwise:
     * a replacement is started before the old worker leaves, so this costs about one CLI start-up
     * (about a second of one worker's time) per 100 events, and bounds what a long-lived CLI process can leak.
     */
    public static final int DEFAULT_MAX_REQUESTS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(HandlerPool.class);

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    private final HandlerSettings settings;
    private final ServingSwitch serving;
    private final Tally tally = new Tally();
    private final Optional<WarmSide> warm;
    private final Optional<ColdRunner> cold;
    private final Dispatch dispatch;
    private final Object lock = new Object();
    private final CompletableFuture<Boolean> terminated = new CompletableFuture<>();
    private final @Nullable Thread shutdownHook;
    private volatile State state = State.NEW;

    private HandlerPool(HandlerSettings settings) {
        this.settings = settings;
        HandlerMode mode = settings.mode();
        PoolConfig pool = settings.pool();
        this.serving = new ServingSwitch(mode, Clock.systemUTC());
        this.warm = mode == HandlerMode.SPAWN ? Optional.empty() : Optional.of(new WarmSide(pool, mode, serving));
        this.cold = mode == HandlerMode.POOL ? Optional.empty() : Optional.of(new ColdRunner(settings.command(),
                settings.coldEnvironment(), settings.project(), pool.requestTimeout(), pool.maxSize(),
                pool.maxFrameBytes(), pool.stderrTailLines()));
        this.dispatch = new Dispatch(mode, serving, warm, cold, tally);
        this.shutdownHook = settings.shutdownHook()
                ? new Thread(() -> shutdown(pool.shutdownGrace()), "warmpool-handler-shutdown-hook") : null;
    }

    /**
     * Starts configuring a handler pool for one project; only {@link #fromEnvironment} reads the environment.
     *
     * @param projectDirectory the project whose {@code .claude/commands} hold the handlers; the CLI runs there
     * @return a builder with the defaults, reading no environment variable
     */
    public static Builder builder(Path projectDirectory) {
        return new Builder(projectDirectory, Map.of());
    }

    /**
     * A builder whose defaults come from this process's environment: the variables in the table
     * above. An option set on the builder wins over its variable.
     *
     * @param projectDirectory the project whose {@code .claude/commands} hold the handlers
     * @return the builder
     */
    public static Builder fromEnvironment(Path projectDirectory) {
        return fromEnvironment(projectDirectory, System.getenv());
    }

    /**
     * Like {@link #fromEnvironment(Path)}, reading the variables from {@code variables}.
     *
     * @param projectDirectory the project whose {@code .claude/commands} hold the handlers
     * @param variables the environment to read
     * @return the builder
     */
    public static Builder fromEnvironment(Path projectDirectory, Map<String, String> variables) {
        return new Builder(projectDirectory, Map.copyOf(variables));
    }

    /**
     * Starts the warm workers and waits until they are ready (about a second), or, in {@code auto}
     * mode, until it is clear they cannot start: events are then served cold while the pool is
     * started again in the background. In {@code spawn} mode it starts nothing.
     *
     * @return this pool
     * @throws IllegalStateException if it was already started or shut down
     * @throws WorkerStartException in {@code pool} mode, if not one warm worker could be started (the
     *     handler pool is then shut down)
     */
    public HandlerPool start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("the handler pool was already started (it is " + state.name().toLowerCase(Locale.ROOT)
                        + "); start() is called once");
            }
            state = State.STARTING;
        }
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        try {
            warm.ifPresent(WarmSide::start);
        } catch (RuntimeException e) {
            shutdown(Duration.ZERO);
            throw e;
        }
        synchronized (lock) {
            if (state == State.STARTING) {
                state = State.RUNNING;
            }
        }
        PoolConfig p = settings.pool();
        String cold = "at most " + p.maxSize() + " cold claude -p at once";
        String warmPool = p.size() + " warm workers (min " + p.minSize() + ", max " + p.maxSize() + "), "
                + (p.maxRequestsPerWorker() == 0 ? "no recycling"
                        : "recycled after " + p.maxRequestsPerWorker() + "+" + p.maxRequestsJitter() + " events");
        LOG.info("handler pool started in {} ({}={}): serving events {}; {}; timeout {} s", settings.project(),
                HandlerMode.ENV, settings.mode().settingValue(), serving.serving().name().toLowerCase(Locale.ROOT),
                switch (settings.mode()) {
                    case POOL -> warmPool;
                    case SPAWN -> cold;
                    case AUTO -> warmPool + "; " + cold + " while falling back";
                }, p.requestTimeout().toSeconds());
        return this;
    }

    /**
     * Runs one event through its handler: the text {@code /<handlerName> <event as compact JSON>} as
     * one turn of a warm CLI, or one cold {@code claude -p} with that text.
     *
     * @param handlerName the handler, a command in the project's {@code .claude/commands}
     * @param event the event: a map, a list, a record or bean Jackson can write, a JSON tree, or
     *     {@code null} for {@code {}}
     * @return completes with the result, never exceptionally: a bad handler name or event, and an
     *     event after {@link #shutdown}, are {@link HandlerResult.Failure#REJECTED} results.
     *     Cancelling it stops the event (see the class comment)
     * @throws IllegalStateException if {@link #start()} was not called
     */
    public CompletableFuture<HandlerResult> execute(String handlerName, @Nullable Object event) {
        long t0 = System.nanoTime();
        State s = state;
        if (s == State.NEW || s == State.STARTING) {
            throw new IllegalStateException("the handler pool is not started: call start() first");
        }
        if (s == State.CLOSED) {
            return CompletableFuture.completedFuture(dispatch.rejected(
                    "the handler pool is shut down and takes no more events", serving.serving(), t0));
        }
        HandlerEvent e;
        try {
            e = HandlerEvent.of(handlerName, event);
        } catch (IllegalArgumentException ex) {
            // HandlerEvent.of words each of its rejections
            return CompletableFuture.completedFuture(dispatch.rejected(
                    Objects.requireNonNull(ex.getMessage(), "a rejection's reason"), serving.serving(), t0));
        }
        return dispatch.route(e, t0);
    }

    /**
     * Checks the warm workers now: idle ones are pinged (a control round trip, no tokens) and
     * replaced if they do not answer, busy and starting ones are reported as they are. Blocks for
     * the pings (milliseconds).
     *
     * @return the health of the pool and of how it serves events
     */
    public HandlerHealth healthCheck() {
        warm.ifPresent(WarmSide::checkWorkersUp);
        Optional<HealthReport> report = warm.flatMap(WarmSide::pool).map(WarmPool::healthCheck);
        return HandlerHealth.of(settings.mode(), serving, state == State.RUNNING ? "" : "the handler pool is "
                + state.name().toLowerCase(Locale.ROOT), report);
    }

    /**
     * Sets the warm pool's target size by hand (scaling may change it again at its next tick).
     *
     * @param size the new size
     * @throws IllegalArgumentException if {@code size} is outside {@code HANDLER_POOL_MIN}..{@code HANDLER_POOL_MAX}
     * @throws IllegalStateException if no warm pool is running ({@code spawn} mode, or {@code auto}
     *     while its pool could not start)
     */
    public void scale(int size) {
        WarmPool p = warm.flatMap(WarmSide::pool).orElseThrow(() -> new IllegalStateException(
                "no warm pool is running to scale: " + (settings.mode() == HandlerMode.SPAWN
                        ? HandlerMode.ENV + " is spawn" : serving.coldReason())));
        p.scale(size);
    }

    /** {@return a snapshot of the event counters} */
    public HandlerMetrics metrics() {
        return tally.snapshot(serving, cold.map(ColdRunner::running).orElse(0));
    }

    /** {@return the warm pool's own metrics (workers, queue, spawns by cause), if a warm pool is running} */
    public Optional<PoolMetrics> poolMetrics() {
        return warm.flatMap(WarmSide::pool).map(WarmPool::metrics);
    }

    /** {@return how new events are served now} */
    public Serving serving() {
        return serving.serving();
    }

    /** {@return the mode the pool was configured with (how it serves events when it can choose)} */
    public HandlerMode mode() {
        return settings.mode();
    }

    /**
     * Gives the configuration of the warm pool, the same whether or not a warm pool is running.
     *
     * @return the warm pool's configuration, as read from the builder and the environment; the
     *     cold runs use its environment, directory, request timeout and maximum size too
     */
    public PoolConfig poolConfig() {
        return settings.pool();
    }

    /**
     * Stops taking events, lets the running and waiting ones finish within {@code grace}, then ends
     * the rest with a {@link HandlerResult.Failure#REJECTED} result and stops every CLI, warm or cold,
     * with its descendants. Blocks until done. Idempotent.
     *
     * @param grace how long running events may take to finish
     * @return whether every event finished within the grace
     */
    public boolean shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        synchronized (lock) {
            if (state == State.CLOSED) {
                return terminated.join();
            }
            state = State.CLOSED;
        }
        CompletableFuture<Boolean> coldDone = cold.map(c -> CompletableFuture.supplyAsync(() -> c.shutdown(grace),
                r -> Thread.ofVirtual().name("warmpool-handler-shutdown").start(r)))
                .orElse(CompletableFuture.completedFuture(true));
        boolean warmDone = warm.map(w -> w.shutdown(grace)).orElse(true);
        boolean finished = coldDone.join() && warmDone;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // the JVM is already shutting down, or the hook was never added (not started)
            }
        }
        LOG.info("handler pool shut down: {}", metrics());
        terminated.complete(finished);
        return finished;
    }

    /** Shuts down with the configured grace (30 s by default). */
    @Override
    public void close() {
        shutdown(settings.pool().shutdownGrace());
    }

    @Override
    public String toString() {
        return "HandlerPool[" + settings.project() + ", " + settings.mode().settingValue() + ", serving "
                + serving.serving().name().toLowerCase(Locale.ROOT) + "]";
    }

    /**
     * Builds a {@link HandlerPool}. Each option may be set once; a bad value fails at once with
     * {@link IllegalArgumentException}, a bad environment variable or combination in {@link #build()}.
     * Not thread-safe.
     */
    public static final class Builder {
        final Path project;
        final Map<String, String> variables;
        final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> set = new ArrayList<>();
        // each option is null until it is set (then the environment or the default applies)
        @Nullable List<String> command;
        @Nullable HandlerMode mode;
        @Nullable Integer size;
        @Nullable Integer minSize;
        @Nullable Integer maxSize;
        @Nullable Duration requestTimeout;
        @Nullable Integer maxRequests;
        @Nullable Duration startTimeout;
        @Nullable Duration restartBackoff;
        @Nullable Duration maxRestartBackoff;
        @Nullable Duration shutdownGrace;
        boolean shutdownHook = true;

        private Builder(Path project, Map<String, String> variables) {
            this.project = Objects.requireNonNull(project, "projectDirectory");
            this.variables = variables;
        }

        private void once(String option) {
            if (set.contains(option)) {
                throw new IllegalStateException(option + " was already set");
            }
            set.add(option);
        }

        /**
         * Sets the command that runs the Claude Code CLI, with options of your own.
         *
         * @param argv the Claude Code CLI and options of your own ({@code --model},
         *     {@code --permission-mode}, {@code --allowedTools}, …), default {@code claude} on the
         *     {@code PATH}; HandlerPool adds {@code -p} and the input and output formats
         * @return this builder
         */
        public Builder command(String... argv) {
            return command(List.of(argv));
        }

        /**
         * Sets the command that runs the Claude Code CLI, as {@link #command(String...)} does.
         *
         * @param argv the Claude Code CLI and options of your own; see {@link #command(String...)}
         * @return this builder
         */
        public Builder command(List<String> argv) {
            once("command");
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("command is empty: give the claude program, e.g. /usr/local/bin/claude");
            }
            command = List.copyOf(argv);
            return this;
        }

        /**
         * Sets a variable of the CLI's environment, over one read from the environment.
         *
         * @param name the variable, e.g. {@code ANTHROPIC_API_KEY} or {@code HOME}
         * @param value its value
         * @return this builder
         */
        public Builder environment(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (environment.putIfAbsent(name, value) != null) {
                throw new IllegalStateException("environment variable " + name + " was already set to '"
                        + environment.get(name) + "'");
            }
            return this;
        }

        /**
         * Sets whether events are served by warm workers only, by a fresh CLI each, or by warm workers with cold
         * runs while none can be kept up.
         *
         * @param m how events are served, over {@value HandlerMode#ENV} (default {@code auto})
         * @return this builder
         */
        public Builder mode(HandlerMode m) {
            once("mode");
            mode = Objects.requireNonNull(m, "mode");
            return this;
        }

        /**
         * Sets the number of warm workers started with the pool.
         *
         * @param n warm workers at start, over {@code HANDLER_POOL_SIZE} (default 3)
         * @return this builder
         */
        public Builder size(int n) {
            once("size");
            size = atLeast("size", n, 1);
            return this;
        }

        /**
         * Sets the fewest warm workers the pool shrinks to.
         *
         * @param n the fewest workers, over {@code HANDLER_POOL_MIN} (default 1)
         * @return this builder
         */
        public Builder minSize(int n) {
            once("minSize");
            minSize = atLeast("minSize", n, 1);
            return this;
        }

        /**
         * Sets the most warm workers, which also bounds the cold runs at once.
         *
         * @param n the most workers, and the most cold runs at once, over {@code HANDLER_POOL_MAX} (default 10)
         * @return this builder
         */
        public Builder maxSize(int n) {
            once("maxSize");
            maxSize = atLeast("maxSize", n, 1);
            return this;
        }

        /**
         * Sets how long one event may take, warm or cold.
         *
         * @param d how long an event may run, and again wait for a worker, over
         *     {@code HANDLER_REQUEST_TIMEOUT} (default 300 s)
         * @return this builder
         */
        public Builder requestTimeout(Duration d) {
            once("requestTimeout");
            requestTimeout = positive("requestTimeout", d);
            return this;
        }

        /**
         * Sets how many events a warm worker serves before it is replaced by a fresh one.
         *
         * @param n events after which a worker is replaced, over {@value HandlerPool#ENV_MAX_REQUESTS}
         *     (default {@value HandlerPool#DEFAULT_MAX_REQUESTS}); 0: never
         * @return this builder
         */
        public Builder maxRequestsPerWorker(int n) {
            once("maxRequestsPerWorker");
            maxRequests = atLeast("maxRequestsPerWorker", n, 0);
            return this;
        }

        /**
         * Sets how long a starting CLI has to become ready.
         *
         * @param d how long a CLI may take to answer its first request (default 30 s)
         * @return this builder
         */
        public Builder startTimeout(Duration d) {
            once("startTimeout");
            startTimeout = positive("startTimeout", d);
            return this;
        }

        /**
         * Sets how long the pool waits before it starts workers again after they failed to start.
         *
         * @param initial the first delay before starting a worker (or, in {@code auto} mode, the
         *     whole pool) again after a failed start (default 100 ms); it doubles at each failure
         * @param max the longest delay (default 30 s): in {@code auto} mode, about the longest events
         *     are served cold after warm workers could start again
         * @return this builder
         */
        public Builder restartBackoff(Duration initial, Duration max) {
            once("restartBackoff");
            restartBackoff = positive("restartBackoff", initial);
            maxRestartBackoff = positive("maxRestartBackoff", max);
            return this;
        }

        /**
         * Sets how long closing the pool waits for running events.
         *
         * @param d how long {@link HandlerPool#close()} lets running events finish (default 30 s)
         * @return this builder
         */
        public Builder shutdownGrace(Duration d) {
            once("shutdownGrace");
            Objects.requireNonNull(d, "shutdownGrace");
            if (d.isNegative()) {
                throw new IllegalArgumentException("shutdownGrace is " + d + ", but must not be negative");
            }
            shutdownGrace = d;
            return this;
        }

        /**
         * Keeps the pool from registering a JVM shutdown hook that shuts it down (registered by default).
         *
         * @return this builder
         */
        public Builder noShutdownHook() {
            once("noShutdownHook");
            shutdownHook = false;
            return this;
        }

        /**
         * Checks the options and the environment variables read, and creates the pool without starting any
         * process.
         *
         * @return the handler pool, not started
         * @throws IllegalArgumentException if the project directory does not exist, the command
         *     has an option HandlerPool adds, or a variable's value is bad (the message names it)
         * @throws IllegalStateException if the sizes do not fit together
         */
        public HandlerPool build() {
            return new HandlerPool(HandlerSettings.of(this));
        }

        private static int atLeast(String option, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException(option + " is " + v + ", but must be at least " + min);
            }
            return v;
        }

        private static Duration positive(String option, Duration d) {
            Objects.requireNonNull(d, option);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " is " + d + ", but must be positive");
            }
            return d;
        }
    }
}
