package dev.warmpool.core;

import dev.warmpool.api.Durations;
import dev.warmpool.api.HealthReport;
import dev.warmpool.api.HealthReport.RunningRequest;
import dev.warmpool.api.HealthReport.State;
import dev.warmpool.api.HealthReport.WorkerHealth;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.RequestTimeoutException.Phase;
import dev.warmpool.api.spi.ScalingContext;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.core.SlotTable.PoolState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the pool does because time passed, once per tick ({@value #TICK_MILLIS} ms): queue and
 * run deadlines, the kill after a cancel grace, retries of failed starts, recycling by age, health
 * pings of idle workers, and asking the scaling policy.
 *
 * <p>Its thread never waits for a worker and never runs a caller's callback: it asks workers to
 * cancel, stop, die or answer a ping through {@link WorkerControl}, and ends timed-out requests
 * through {@link Outcomes#failOffThread}. So one stuck worker or slow callback cannot delay the
 * deadlines of the others. A deadline may pass by up to one tick before it is acted on.
 *
 * <p>Time comes from a ticker ({@link System#nanoTime()} in production), so tests can drive
 * {@link #tick()} by hand. Thread-safe.
 */
final class Housekeeper {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);
    /** How often the housekeeper runs. */
    static final long TICK_MILLIS = 20;

    private final SlotTable table;
    private final PoolConfig config;
    private final Outcomes outcomes;
    private final WorkerControl control;
    private final StartSupervisor supervisor;
    private final Dispatcher dispatcher;
    private final @Nullable ScalingPolicy policy;
    private final Supplier<PoolMetrics> metrics;
    private final Clock clock;
    private final LongSupplier ticker;
    private @Nullable ScheduledExecutorService timer;
    // --- guarded by this ---
    private long lastHealthSweep;
    private long lastScale;
    // ---

    /** @param policy the scaling policy, or null for none */
    Housekeeper(SlotTable table, PoolConfig config, Outcomes outcomes, WorkerControl control, StartSupervisor supervisor,
                Dispatcher dispatcher, @Nullable ScalingPolicy policy, Supplier<PoolMetrics> metrics, Clock clock,
                LongSupplier ticker) {
        this.table = table;
        this.config = config;
        this.outcomes = outcomes;
        this.control = control;
        this.supervisor = supervisor;
        this.dispatcher = dispatcher;
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
        this.ticker = ticker;
        this.lastHealthSweep = this.lastScale = ticker.getAsLong();
    }

    /** Runs {@link #tick()} every {@value #TICK_MILLIS} ms on a daemon thread of its own. */
    void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warmpool-housekeeper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Does what is due now. */
    synchronized void tick() {
        try {
            long now = ticker.getAsLong();
            deadlines(now);
            supervisor.retryIfDue(now);
            Duration hc = config.healthCheckInterval();
            if (!hc.isZero() && now - lastHealthSweep >= Math.min(hc.toNanos(), 1_000_000_000L)) {
                lastHealthSweep = now;
                agesAndPings(now);
            }
            Duration si = config.scalingInterval();
            if (policy != null && !si.isZero() && now - lastScale >= si.toNanos()) {
                lastScale = now;
                autoscale();
            }
        } catch (RuntimeException e) {
            LOG.error("housekeeping failed", e);
        }
    }

    /** A request past its run deadline, and its numbers at that moment. */
    private record Overdue(Slot slot, Pending<?> request, long limit, long queued, long ran) {}

    private void deadlines(long now) {
        List<Pending<?>> queueTimeouts = new ArrayList<>();
        List<Overdue> overdue = new ArrayList<>();
        List<Slot> toKill = new ArrayList<>();
        long grace = config.cancelGrace().toNanos();
        table.lock.lock();
        try {
            for (Slot s : table.slots) {
                if (s.state != Slot.State.BUSY || s.killed) {
                    continue;
                }
                if (s.cancelling) {
                    if (now - s.cancelDeadlineNanos >= 0) {
                        s.killed = true;
                        toKill.add(s);
                    }
                } else if (s.current != null && now - s.runDeadlineNanos >= 0) {
                    Pending<?> p = s.current;
                    overdue.add(new Overdue(s, p, s.runLimitNanos, p.startedNanos - p.submittedNanos, now - p.startedNanos));
                    s.cancelling = true;
                    s.cancelDeadlineNanos = now + grace;
                }
            }
            if (config.queueTimeout().isPresent()) {
                long limit = config.queueTimeout().get().toNanos();
                Pending<?> head;
                while ((head = table.queue.peekFirst()) != null && now - head.submittedNanos >= limit) {
                    queueTimeouts.add(table.queue.pollFirst());
                }
                table.signalIfDrained();
            }
        } finally {
            table.lock.unlock();
        }
        for (Pending<?> p : queueTimeouts) {
            outcomes.failOffThread(p, new RequestTimeoutException(Phase.QUEUE, config.queueTimeout().orElseThrow(),
                    Duration.ofNanos(now - p.submittedNanos), Duration.ZERO), Failure.QUEUE_TIMEOUT);
        }
        for (Overdue o : overdue) {
            outcomes.failOffThread(o.request(), new RequestTimeoutException(Phase.RUN, Duration.ofNanos(o.limit()),
                    Duration.ofNanos(o.queued()), Duration.ofNanos(o.ran())), Failure.RUN_TIMEOUT);
            LOG.warn("worker {} passed the run deadline of {}; asking it to cancel", o.slot().describe(),
                    Durations.format(Duration.ofNanos(o.limit())));
            control.askToCancel(o.slot());
        }
        for (Slot s : toKill) {
            control.kill(s, SpawnCause.TIMEOUT, "it did not answer within the cancel grace of "
                    + Durations.format(config.cancelGrace()));
        }
    }

    private void agesAndPings(long now) {
        List<Slot> toRecycle = new ArrayList<>();
        List<Slot> toPing = new ArrayList<>();
        long interval = config.healthCheckInterval().toNanos();
        table.lock.lock();
        try {
            if (table.state != PoolState.RUNNING) {
                return;
            }
            for (Iterator<Slot> it = table.idle.iterator(); it.hasNext(); ) {
                Slot s = it.next();
                if (!s.recyclePending && table.recycleDue(s, now)) {
                    s.recyclePending = true;
                    toRecycle.add(s);
                } else if (now - s.lastUsedNanos >= interval) {
                    it.remove();
                    takeForPing(s);
                    toPing.add(s);
                }
            }
        } finally {
            table.lock.unlock();
        }
        for (Slot s : toRecycle) {
            LOG.info("worker {} reached its maximum age; starting its replacement", s.describe());
            supervisor.replace(s);
        }
        for (Slot s : toPing) {
            ping(s);
        }
    }

    /** Takes an idle slot, already out of the idle set, for a ping. Caller holds the lock. */
    private void takeForPing(Slot s) {
        s.state = Slot.State.BUSY;
        s.pinging = true;
        table.busy++;
    }

    /** Pings every idle worker and waits for the answers; reports the others as they stand. */
    HealthReport healthCheck() {
        List<Slot> toPing = new ArrayList<>();
        List<WorkerHealth> report = new ArrayList<>();
        boolean healthy;
        long now = ticker.getAsLong();
        table.lock.lock();
        try {
            healthy = !table.crashLoop.unhealthy() && table.state == PoolState.RUNNING;
            for (Slot s : table.slots) {
                switch (s.state) {
                    case IDLE -> toPing.add(s);
                    case BUSY -> report.add(s.retiring ? health(s, State.RETIRING, null)
                            : s.pinging ? health(s, State.IDLE, null) : running(s, now));
                    case RETIRING -> report.add(health(s, State.RETIRING, null));
                    case STARTING -> report.add(health(s, State.STARTING, null));
                    case DEAD -> { }
                }
            }
            for (Slot s : toPing) {
                table.idle.remove(s);
                takeForPing(s);
            }
        } finally {
            table.lock.unlock();
        }
        List<CompletableFuture<WorkerHealth>> pings = toPing.stream().map(this::ping).toList();
        for (CompletableFuture<WorkerHealth> f : pings) {
            report.add(f.join());
        }
        return new HealthReport(healthy, report);
    }

    /** Caller holds the lock. */
    private static WorkerHealth running(Slot s, long now) {
        Pending<?> p = Objects.requireNonNull(s.current, "the request of a busy slot");
        return new WorkerHealth(s.id, s.host, s.pid(), State.BUSY, Optional.empty(), Optional.of(new RunningRequest(
                p.request.method(), Duration.ofNanos(now - p.startedNanos), Duration.ofNanos(s.runLimitNanos))));
    }

    private static WorkerHealth health(Slot s, State state, @Nullable String problem) {
        return new WorkerHealth(s.id, s.host, s.pid(), state, Optional.ofNullable(problem), Optional.empty());
    }

    /** @return the slot's health once its worker answered the ping, or failed to */
    private CompletableFuture<WorkerHealth> ping(Slot s) {
        Duration timeout = config.healthCheckTimeout();
        return control.ping(s.worker).orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).handle((ok, e) -> {
            if (e == null) {
                dispatcher.released(s, table.release(s, true, false, null, ticker.getAsLong()), "retired");
                return health(s, State.IDLE, null);
            }
            Throwable c = Outcomes.unwrap(e);
            String why = c instanceof TimeoutException ? "did not answer a health check within " + Durations.format(timeout)
                    : "failed a health check: " + c.getMessage();
            control.kill(s, SpawnCause.HEALTH, why); // it leaves when it exits, and is replaced
            return health(s, State.FAILED, why);
        });
    }

    private void autoscale() {
        ScalingPolicy policy = Objects.requireNonNull(this.policy, "policy"); // only ticks with a policy autoscale
        int desired;
        try {
            desired = policy.desiredSize(new ScalingContext(metrics.get(), config.minSize(), config.maxSize(),
                    clock.instant()));
        } catch (RuntimeException e) {
            LOG.error("scaling policy {} failed; size unchanged", policy.getClass().getName(), e);
            return;
        }
        supervisor.resize(Math.max(config.minSize(), Math.min(config.maxSize(), desired)), "scaling policy");
    }
}
