package dev.warmpool.core;

import dev.warmpool.api.HealthReport;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolListener;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.Request;
import dev.warmpool.api.RequestObserver;
import dev.warmpool.api.WorkerPool;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.ScalingContext;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warmpool engine: a {@link WorkerPool} over any {@link Transport}.
 *
 * <p>{@snippet :
 * PoolConfig config = PoolConfig.builder()
 *         .command("python3", "-u", "worker.py")
 *         .size(3)
 *         .build();
 * try (WarmPool pool = WarmPool.start(config)) {
 *     Object result = pool.submit("echo", Map.of("text", "hi")).join();
 * }
 * }
 *
 * <p>Thread-safe. What {@code submit} may block on, and which thread runs dependent stages, is
 * said on {@link WorkerPool}. Inside, this class is a facade: {@link SlotTable} holds the one lock
 * and decides; {@link Dispatcher} runs requests; {@link StartSupervisor} starts, replaces and backs
 * off; {@link Housekeeper} enforces deadlines and pings; {@link WorkerControl} talks to workers off
 * the pool's own threads; {@link Outcomes} ends requests exactly once; {@link Shutdown} stops it all;
 * {@link JfrEvents} records workers, requests and scaling for the JDK Flight Recorder; {@link RequestObservers}
 * reports each request's end to the {@link RequestObserver}s.
 */
public final class WarmPool implements WorkerPool {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);

    private final PoolConfig config;
    private final Transport transport;
    private final LongSupplier ticker;
    private final Metrics metrics = new Metrics();
    private final Events events;
    private final SlotTable table;
    private final Outcomes outcomes;
    private final RequestObservers observers;
    private final ExecutorService sender = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("warmpool-send-", 0).factory());
    private final WorkerControl control;
    private final StartSupervisor supervisor;
    private final Dispatcher dispatcher;
    private final Housekeeper housekeeper;
    private final Shutdown shutdown;
    private final @Nullable Thread shutdownHook;

    private WarmPool(PoolConfig config, Transport transport, @Nullable ScalingPolicy policy, Clock clock,
            LongSupplier ticker) {
        this.config = config;
        this.transport = transport;
        this.ticker = ticker;
        this.events = new Events(clock);
        this.table = new SlotTable(config, metrics, new CrashLoop(config.restartBackoff(), config.maxRestartBackoff(),
                config.crashLoopThreshold(), config.crashLoopWindow(), () -> ThreadLocalRandom.current().nextDouble()));
        JfrEvents jfr = new JfrEvents(ticker);
        this.observers = new RequestObservers(ticker);
        this.outcomes = new Outcomes(metrics, jfr, observers, config.callbackExecutor().orElse(null),
                config.callbackExecutor().orElse(sender));
        this.control = new WorkerControl(table, events, config.stopGrace());
        this.supervisor = new StartSupervisor(table, config, transport, events, jfr, outcomes, control, ticker);
        this.dispatcher = new Dispatcher(table, metrics, jfr, outcomes, observers, events, control, supervisor,
                ticker, sender);
        supervisor.dispatcher(dispatcher);
        this.housekeeper = new Housekeeper(table, config, outcomes, control, supervisor, dispatcher, policy,
                this::metrics, clock, ticker);
        this.shutdown = new Shutdown(this, table, outcomes, control, events, config.stopGrace(), () -> {
            housekeeper.stop();
            sender.shutdown();
        });
        this.shutdownHook = config.shutdownHook()
                ? new Thread(() -> shutdown(config.shutdownGrace()), "warmpool-shutdown-hook") : null;
    }

    /**
     * Starts a pool and waits until its first workers are ready (or have each failed once).
     *
     * @param config the configuration
     * @return the running pool
     * @throws dev.warmpool.api.ProviderNotFoundException if the transport or scaling policy named in
     *     the config is not available
     * @throws WorkerStartException if not one of the first workers could be started; the pool is then closed
     */
    public static WarmPool start(PoolConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Like {@link #start(PoolConfig)}, with the clock the scaling policy and the events see.
     *
     * @param config the configuration
     * @param clock the clock whose time {@link ScalingContext#now()} and events report
     * @return the running pool
     */
    public static WarmPool start(PoolConfig config, Clock clock) {
        return start(config, clock, System::nanoTime, true);
    }

    /**
     * Starts a pool whose deadlines, backoffs and ages run on {@code ticker}; with {@code autoTick}
     * off, only {@link #tick()} advances them (for tests that drive time by hand).
     */
    static WarmPool start(PoolConfig config, Clock clock, LongSupplier ticker, boolean autoTick) {
        Objects.requireNonNull(config, "config");
        Transport transport = config.transport()
                .orElseGet(() -> Providers.transport(config.transportName(), config.transportSettings()));
        ScalingPolicy policy = Providers.scalingPolicy(config).orElse(null);
        WarmPool pool = new WarmPool(config, transport, policy, clock, ticker);
        pool.begin(policy != null, autoTick);
        return pool;
    }

    private void begin(boolean scales, boolean autoTick) {
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        if (!scales) {
            noScalingWarning(config).ifPresent(LOG::warn);
        }
        if (autoTick) {
            housekeeper.start();
        }
        WorkerStartException failure;
        try {
            failure = supervisor.startFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(Duration.ZERO);
            throw new WorkerPoolException("interrupted while starting the pool", e);
        }
        if (failure != null) {
            shutdown(Duration.ZERO);
            throw new WorkerStartException("the pool could not start any of its " + config.size() + " workers: "
                    + withoutStderr(failure), failure.stderrTail(), failure);
        }
        LOG.info("pool started: {} workers of {} ({} arguments) via {}", config.size(), config.command().get(0),
                config.command().size() - 1, transport.name());
    }

    /**
     * @param config the configuration of a pool that found no scaling policy
     * @return the one warning it gives at start if its maxSize is above its size, so that nobody
     *     waits for it to grow; empty if it is not meant to grow, or scaling was switched off
     */
    static Optional<String> noScalingWarning(PoolConfig config) {
        if (config.maxSize() <= config.size() || config.scalingInterval().isZero()) {
            return Optional.empty();
        }
        return Optional.of("maxSize is " + config.maxSize() + ", but no scaling policy is on the class or module "
                + "path, so the pool stays at " + config.size() + " workers unless scale(int) is called; add the "
                + "artifact dev.warmpool:scaler-queue-depth (or set PoolConfig.Builder.scalingPolicy), or set "
                + "maxSize to " + config.size());
    }

    /**
     * @return the failure's message without the stderr tail its constructor appended, which the
     *     pool's own exception appends once more (the suffix is computed by the same constructor)
     */
    static String withoutStderr(WorkerStartException e) {
        String message = Objects.requireNonNullElse(e.getMessage(), "");
        String suffix = Objects.requireNonNullElse(
                new WorkerStartException("", e.stderrTail(), null).getMessage(), "");
        return message.endsWith(suffix) ? message.substring(0, message.length() - suffix.length()) : message;
    }

    @Override
    public <T> CompletableFuture<@Nullable T> submit(Request<T> request) {
        Objects.requireNonNull(request, "request");
        long now = ticker.getAsLong();
        Pending<T> p = new Pending<>(request, dispatcher, now);
        metrics.submitted.increment();
        SlotTable.Admission a = table.admit(p, now);
        if (a.rejected() != null) {
            outcomes.failNow(p, a.rejection(), Failure.REJECTED); // failed by the time submit returns
        } else if (a.slot() != null) {
            dispatcher.run(a.slot(), p);
        }
        return p.future;
    }

    @Override
    public PoolMetrics metrics() {
        SlotTable.Counts c = table.counts();
        return metrics.snapshot(c.idle(), c.busy(), c.starting(), c.queueDepth(), c.byHost());
    }

    @Override
    public void scale(int size) {
        if (size < config.minSize() || size > config.maxSize()) {
            throw new IllegalArgumentException("size " + size + " is outside minSize " + config.minSize()
                    + " and maxSize " + config.maxSize() + " (set in PoolConfig)");
        }
        supervisor.resize(size, "scale()");
    }

    @Override
    public HealthReport healthCheck() {
        return housekeeper.healthCheck();
    }

    @Override
    public void addListener(PoolListener listener) {
        events.add(listener);
    }

    @Override
    public boolean removeListener(PoolListener listener) {
        return events.remove(listener);
    }

    @Override
    public void addNotificationListener(NotificationListener listener) {
        events.addNotifications(listener);
    }

    @Override
    public boolean removeNotificationListener(NotificationListener listener) {
        return events.removeNotifications(listener);
    }

    @Override
    public void addRequestObserver(RequestObserver observer) {
        observers.add(observer);
    }

    @Override
    public boolean removeRequestObserver(RequestObserver observer) {
        return observers.remove(observer);
    }

    @Override
    public PoolConfig config() {
        return config;
    }

    /** {@return the pids of the pool's live worker processes (for diagnostics and tests)} */
    public List<Long> workerPids() {
        return table.pids();
    }

    /** Runs the housekeeper's work now: deadlines, retries, pings, scaling (for tests that drive time). */
    void tick() {
        housekeeper.tick();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns within {@code grace} plus twice {@link PoolConfig#stopGrace()} plus one second.
     */
    @Override
    public boolean shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        boolean finished = shutdown.run(grace);
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
        return finished;
    }

    @Override
    public void close() {
        shutdown(config.shutdownGrace());
    }

    @Override
    public String toString() {
        return "WarmPool[" + transport.name() + " " + config.command() + ", target " + table.target() + "]";
    }
}
