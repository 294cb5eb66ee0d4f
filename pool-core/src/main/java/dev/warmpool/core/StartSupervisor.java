package dev.warmpool.core;

import dev.warmpool.api.Durations;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.PoolRejectedException.Reason;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.core.SlotTable.PoolState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts workers and sees them out: each start runs on a virtual thread of its own (a transport's
 * start blocks until the worker is ready); a ready worker takes the next queued request or joins
 * the idle set; a failed start, or a worker that exits on its own while idle before it answered
 * anything, feeds the {@link CrashLoop}, whose backoff delays the next start (the {@link Housekeeper} calls
 * {@link #retryIfDue}); a worker that exits is replaced, and the request it held fails.
 *
 * <p>Decisions are taken under the {@link SlotTable}'s lock, acted on outside it. Thread-safe.
 */
final class StartSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);

    private final SlotTable table;
    private final PoolConfig config;
    private final Transport transport;
    private final Map<String, String> workerEnvironment;
    private final Events events;
    private final JfrEvents jfr;
    private final Outcomes outcomes;
    private final WorkerControl control;
    private final LongSupplier ticker;
    /** Wired by {@link #dispatcher(Dispatcher)} right after construction (the two call each other). */
    @SuppressWarnings("NullAway.Init")
    private Dispatcher dispatcher;
    // --- guarded by table.lock ---
    /** Whether failed starts are to be retried, at {@link #retryAtNanos}. */
    private boolean retryPending;
    private long retryAtNanos;
    private SpawnCause retryCause = SpawnCause.RETRY;
    // ---

    StartSupervisor(SlotTable table, PoolConfig config, Transport transport, Events events, JfrEvents jfr,
                    Outcomes outcomes, WorkerControl control, LongSupplier ticker) {
        this.table = table;
        this.config = config;
        this.transport = transport;
        this.workerEnvironment = config.workerEnvironment(System.getenv());
        this.events = events;
        this.jfr = jfr;
        this.outcomes = outcomes;
        this.control = control;
        this.ticker = ticker;
    }

    void dispatcher(Dispatcher d) {
        this.dispatcher = d;
    }

    /**
     * Starts the pool's first workers and waits until each is ready or has failed once.
     *
     * @return the failure to report if none of them came up, else null
     * @throws InterruptedException if interrupted while waiting
     */
    @Nullable WorkerStartException startFirst() throws InterruptedException {
        List<Slot> first = table.fill(SpawnCause.INITIAL);
        CountDownLatch outcomes = new CountDownLatch(first.size());
        for (Slot s : first) {
            launch(s, outcomes);
        }
        outcomes.await();
        table.lock.lock();
        try {
            boolean anyReady = table.slots.stream().anyMatch(s -> s.state != Slot.State.STARTING);
            return anyReady ? null : table.lastStartFailure;
        } finally {
            table.lock.unlock();
        }
    }

    /** Starts workers until the slots that count reach the target size. */
    void fill(SpawnCause cause) {
        for (Slot s : table.fill(cause)) {
            launch(s, null);
        }
    }

    /** Starts the replacement of {@code old}, which retires once it is ready. */
    void replace(Slot old) {
        Slot fresh;
        table.lock.lock();
        try {
            fresh = table.state == PoolState.RUNNING ? table.newSlot(SpawnCause.RECYCLE, old) : null;
        } finally {
            table.lock.unlock();
        }
        if (fresh != null) {
            launch(fresh, null);
        }
    }

    /** Starts what failed starts left missing, once their backoff has passed. */
    void retryIfDue(long now) {
        SpawnCause cause;
        table.lock.lock();
        try {
            if (!retryPending || now - retryAtNanos < 0) {
                return;
            }
            retryPending = false;
            cause = retryCause;
        } finally {
            table.lock.unlock();
        }
        fill(cause);
    }

    /**
     * Sets the target size and starts or retires workers to meet it.
     *
     * @param why what asked for it, for the log and the event
     */
    void resize(int size, String why) {
        SlotTable.Resize r = table.resize(size);
        if (r == null) {
            return;
        }
        LOG.info("pool size target {} -> {} ({})", r.old(), size, why);
        events.pool(PoolEvent.Type.POOL_SCALED, r.old() + " -> " + size + " (" + why + ")");
        jfr.poolScaled(r.old(), size, why);
        for (Slot s : r.toRetire()) {
            control.retire(s, "scaled down");
        }
        fill(SpawnCause.SCALE);
    }

    private void launch(Slot slot, @Nullable CountDownLatch firstOutcome) {
        events.worker(PoolEvent.Type.WORKER_STARTING, slot, "cause " + slot.spawnCause.name().toLowerCase(Locale.ROOT));
        WorkerSpec spec = new WorkerSpec(slot.id, config.command(), workerEnvironment, config.directory(),
                config.startTimeout(), config.maxFrameBytes(), config.strictOutput(), config.stderrTailLines(),
                config.transportSettings());
        Thread t = Thread.ofVirtual().name("warmpool-start-" + slot.id).unstarted(() -> {
            try {
                JfrEvents.WorkerStartEvent timing = jfr.workerStart(slot, config.command().get(0));
                Worker w;
                try {
                    w = transport.start(spec);
                } catch (RuntimeException | Error e) {
                    // An Error too (a class missing from the class path, say): the slot must not stay STARTING.
                    WorkerStartException failure = e instanceof WorkerStartException wse ? wse
                            : new WorkerStartException("worker " + slot.id + " could not be started: " + e, List.of(), e);
                    timing.failed(failure);
                    startFailed(slot, failure);
                    return;
                }
                timing.ready(w.pid());
                started(slot, w);
            } finally {
                if (firstOutcome != null) {
                    firstOutcome.countDown();
                }
            }
        });
        table.lock.lock();
        try {
            slot.starter = t;
        } finally {
            table.lock.unlock();
        }
        t.start();
    }

    private void started(Slot slot, Worker w) {
        slot.pid = w.pid();
        String host = w.host();
        slot.host = Optional.of(host == null || host.isBlank() ? Worker.LOCAL_HOST : host);
        Pending<?> next = null;
        Slot old = slot.replaces;
        boolean stopOld = false;
        table.lock.lock();
        try {
            slot.starter = null;
            slot.worker = w;
            if (table.state.compareTo(PoolState.STOPPING) >= 0 || slot.state == Slot.State.DEAD) {
                slot.state = Slot.State.DEAD;
                table.slots.remove(slot);
                old = null;
                w = null; // abandoned: killed below
            } else {
                long now = ticker.getAsLong();
                slot.readyNanos = now;
                slot.lastUsedNanos = now;
                int jitter = config.maxRequestsJitter();
                slot.recycleAfter = config.maxRequestsPerWorker() == 0 ? 0 : config.maxRequestsPerWorker()
                        + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextInt(jitter + 1));
                slot.state = Slot.State.IDLE;
                next = table.pollQueue();
                if (next != null) {
                    table.assign(slot, next, now);
                } else {
                    table.idle.addLast(slot);
                }
                if (old != null && old.state != Slot.State.DEAD) {
                    if (old.state == Slot.State.IDLE) {
                        table.idle.remove(old);
                        table.retire(old, SpawnCause.RECYCLE);
                        stopOld = true;
                    } else {
                        old.retireCause = SpawnCause.RECYCLE;
                        old.retireAfterCall = true; // it is not counted already: recyclePending
                    }
                }
            }
        } finally {
            table.lock.unlock();
        }
        if (w == null) {
            control.kill(slot);
            return;
        }
        w.onExit().whenComplete((code, e) -> {
            try {
                exited(slot, code == null ? -1 : code);
            } finally {
                slot.gone.complete(null);
            }
        });
        LOG.info("worker {} ready (started for: {})", slot.describe(), slot.spawnCause.name().toLowerCase(Locale.ROOT));
        events.worker(PoolEvent.Type.WORKER_READY, slot, "ready");
        if (stopOld && old != null) { // (stopOld is only set with an old slot)
            control.retire(old, "recycled after " + old.served + " requests");
        }
        if (next != null) {
            dispatcher.run(slot, next);
        }
    }

    private void startFailed(Slot slot, WorkerStartException e) {
        Failed f;
        table.lock.lock();
        try {
            slot.state = Slot.State.DEAD;
            slot.starter = null;
            table.slots.remove(slot);
            f = failed(e, SpawnCause.RETRY, ticker.getAsLong());
        } finally {
            table.lock.unlock();
        }
        LOG.warn("worker {} failed to start: {}", slot.id, SlotTable.firstLine(e));
        events.worker(PoolEvent.Type.WORKER_START_FAILED, slot, SlotTable.firstLine(e));
        after(f, e);
    }

    /** What a failure decided: the crash loop's word (null once stopping), and the queued requests to fail. */
    private record Failed(CrashLoop.@Nullable Decision decision, List<Pending<?>> toFail) {}

    /** A start failed, or a worker exited while idle before it answered anything. Caller holds the lock. */
    private Failed failed(WorkerStartException e, SpawnCause replaceAs, long now) {
        if (table.state.compareTo(PoolState.DRAINING) > 0) {
            return new Failed(null, List.of());
        }
        table.lastStartFailure = e;
        CrashLoop.Decision d = table.crashLoop.failed(now);
        retryPending = true;
        retryAtNanos = now + d.backoffNanos();
        retryCause = replaceAs;
        List<Pending<?>> toFail = List.of();
        if (table.crashLoop.unhealthy() && table.busy == 0 && table.idle.isEmpty()) {
            toFail = new ArrayList<>(table.queue); // nothing is up to run them
            table.queue.clear();
            table.signalIfDrained();
        }
        return new Failed(d, toFail);
    }

    private void after(Failed f, WorkerStartException e) {
        if (f.decision() == null) {
            return;
        }
        if (f.decision().becameUnhealthy()) {
            LOG.error("pool is unhealthy: {} worker starts failed within {}; failing requests fast until a worker answers",
                    f.decision().inWindow(), Durations.format(config.crashLoopWindow()));
            events.pool(PoolEvent.Type.POOL_UNHEALTHY, SlotTable.firstLine(e));
        }
        LOG.debug("next start in {}", Durations.format(Duration.ofNanos(f.decision().backoffNanos())));
        for (Pending<?> p : f.toFail()) {
            outcomes.fail(p, new PoolRejectedException(Reason.UNHEALTHY, "the pool is unhealthy: workers keep "
                    + "failing to start; last error: " + SlotTable.firstLine(e), e), Failure.REJECTED);
        }
    }

    private void exited(Slot slot, int code) {
        Worker w = slot.worker;
        List<String> tail = w.stderrTail();
        WorkerStartException asStartFailure = new WorkerStartException("worker " + slot.id + " exited with status "
                + code + " while idle, before it answered anything", tail, null);
        Pending<?> orphan;
        boolean deliberate;
        boolean stopping;
        SpawnCause cause;
        Failed early = null;
        int served;
        long readyNanos;
        table.lock.lock();
        try {
            served = slot.served;
            readyNanos = slot.readyNanos;
            if (slot.state == Slot.State.BUSY) {
                table.busy--;
            }
            table.idle.remove(slot);
            table.slots.remove(slot);
            slot.state = Slot.State.DEAD;
            orphan = slot.current;
            slot.current = null;
            slot.pinging = false;
            // a worker the request path saw crash was taken out of service, but did not leave on purpose
            deliberate = slot.retiring && !slot.crashed;
            cause = slot.retireCause != null ? slot.retireCause : SpawnCause.CRASH;
            stopping = table.state.compareTo(PoolState.STOPPING) >= 0;
            // up, but unable to stay up: a crash loop as much as a failed start. A death during a
            // request is not counted: the request may be to blame, or someone killed the worker
            if (!deliberate && !slot.proven && !slot.crashed && orphan == null) {
                early = failed(asStartFailure, SpawnCause.CRASH, ticker.getAsLong());
            }
            table.signalIfDrained();
        } finally {
            table.lock.unlock();
        }
        control.kill(slot); // the worker is gone; a descendant it left behind (holding its pipes, say) goes with it
        String why = stopping ? "the pool shut down" : cause.name().toLowerCase(Locale.ROOT);
        if (deliberate) {
            LOG.info("worker {} exited with status {} ({})", slot.describe(), code, why);
        } else {
            LOG.warn("worker {} exited unexpectedly with status {}; stderr tail: {}", slot.describe(), code, tail);
        }
        events.worker(PoolEvent.Type.WORKER_EXITED, slot, "exit status " + code
                + (deliberate ? " (" + why + ")" : " (unexpected)"));
        jfr.workerExit(slot, code, served, why, deliberate, readyNanos);
        if (orphan != null) {
            // The transport normally fails the call itself with more detail; this is the backstop. It names
            // a remote worker with its host, as the hosts transport does ("w-1@ssh://h"), whichever comes first
            String id = slot.host.filter(h -> !h.equals(Worker.LOCAL_HOST)).map(h -> slot.id + "@" + h).orElse(slot.id);
            outcomes.fail(orphan, new WorkerCrashedException(id, code, "exited while running a request", tail),
                    Failure.CRASHED);
        }
        if (early != null) {
            after(early, asStartFailure);
        } else if (cause != SpawnCause.SCALE && cause != SpawnCause.RECYCLE) {
            fill(cause);
        }
    }
}
