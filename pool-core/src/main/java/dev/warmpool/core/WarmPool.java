package dev.warmpool.core;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.HealthReport;
import dev.warmpool.api.HealthReport.WorkerHealth;
import dev.warmpool.api.Notification;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolListener;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.PoolRejectedException.Reason;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.Request;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.spi.ScalingContext;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerPool;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.core.Pending.PoolFuture;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Thread-safe. {@code submit} never blocks. Dependent stages attached to a returned future
 * without an executor run on the pool's threads (the worker's reader thread): keep them short, or
 * use the {@code …Async} variants.
 */
public final class WarmPool implements WorkerPool {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);
    /** How often deadlines are checked; a deadline may pass by up to this much before it is acted on. */
    private static final long TICK_MILLIS = 20;

    private enum State { RUNNING, DRAINING, STOPPING, TERMINATED }

    private final PoolConfig config;
    private final Transport transport;
    private final ScalingPolicy scalingPolicy;
    private final Clock clock;
    private final Map<String, String> workerEnvironment;
    private final boolean mostRecentFirst;
    private final Metrics metrics = new Metrics();
    private final List<PoolListener> listeners = new CopyOnWriteArrayList<>();
    private final List<NotificationListener> notificationListeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger workerIds = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private final ExecutorService dispatcher = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("warmpool-dispatch-", 0).factory());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    // --- guarded by lock ---
    private final List<Slot> slots = new ArrayList<>();
    private final ArrayDeque<Slot> idle = new ArrayDeque<>();
    private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
    private final ArrayDeque<Long> startFailures = new ArrayDeque<>();
    private State state = State.RUNNING;
    private int targetSize;
    private int busy;
    private int consecutiveStartFailures;
    private WorkerStartException lastStartFailure;
    private boolean unhealthy;
    private long lastHealthSweepNanos;
    private long lastScaleNanos;
    // ---
    private final CompletableFuture<Boolean> terminated = new CompletableFuture<>();
    private final Thread shutdownHook;

    private WarmPool(PoolConfig config, Transport transport, ScalingPolicy scalingPolicy, Clock clock) {
        this.config = config;
        this.transport = transport;
        this.scalingPolicy = scalingPolicy;
        this.clock = clock;
        this.workerEnvironment = config.workerEnvironment(System.getenv());
        this.mostRecentFirst = config.dispatchOrder() == PoolConfig.DispatchOrder.MOST_RECENTLY_USED;
        this.targetSize = config.size();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warmpool-housekeeper");
            t.setDaemon(true);
            return t;
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
     * Like {@link #start(PoolConfig)}, with the clock the scaling policy sees.
     *
     * @param config the configuration
     * @param clock the clock whose time {@link ScalingContext#now()} reports
     * @return the running pool
     */
    public static WarmPool start(PoolConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Transport transport = config.transport()
                .orElseGet(() -> Providers.transport(config.transportName(), config.transportSettings()));
        ScalingPolicy policy = Providers.scalingPolicy(config).orElse(null);
        WarmPool pool = new WarmPool(config, transport, policy, clock);
        pool.begin();
        return pool;
    }

    private void begin() {
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        lastHealthSweepNanos = lastScaleNanos = System.nanoTime();
        timer.scheduleWithFixedDelay(this::housekeeping, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        int n = config.size();
        CountDownLatch firstOutcomes = new CountDownLatch(n);
        List<Slot> first = new ArrayList<>();
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                first.add(newSlot(SpawnCause.INITIAL, null));
            }
        } finally {
            lock.unlock();
        }
        for (Slot s : first) {
            launch(s, firstOutcomes);
        }
        try {
            firstOutcomes.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(Duration.ZERO);
            throw new WorkerPoolException("interrupted while starting the pool", e);
        }
        WorkerStartException failure;
        lock.lock();
        try {
            boolean anyReady = slots.stream().anyMatch(s -> s.state != Slot.State.STARTING);
            failure = anyReady ? null : lastStartFailure;
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            shutdown(Duration.ZERO);
            throw new WorkerStartException("the pool could not start any of its " + n + " workers: "
                    + failure.getMessage().lines().findFirst().orElse(""), failure.stderrTail(), failure);
        }
        LOG.info("pool started: {} workers of {} ({} arguments) via {}", n, config.command().get(0),
                config.command().size() - 1, transport.name());
    }

    // ------------------------------------------------------------------ submit and dispatch

    @Override
    public <T> CompletableFuture<T> submit(Request<T> request) {
        Objects.requireNonNull(request, "request");
        PoolFuture<T> future = new PoolFuture<>(this);
        long now = System.nanoTime();
        Pending<T> p = new Pending<>(request, future, now);
        future.pending = p;
        metrics.submitted.increment();
        Slot slot = null;
        PoolRejectedException rejection = null;
        lock.lock();
        try {
            if (state != State.RUNNING) {
                rejection = new PoolRejectedException(Reason.SHUTDOWN,
                        "the pool is shutting down and accepts no new requests");
            } else if (unhealthy && busy == 0 && idle.isEmpty()) {
                rejection = new PoolRejectedException(Reason.UNHEALTHY, "the pool is unhealthy: its last "
                        + startFailuresInWindow() + " worker starts failed; last error: "
                        + firstLine(lastStartFailure), lastStartFailure);
            } else if ((slot = mostRecentFirst ? idle.pollLast() : idle.pollFirst()) != null) {
                assign(slot, p, now);
            } else if (queue.size() >= config.maxQueueSize()) {
                rejection = new PoolRejectedException(Reason.QUEUE_FULL, "the queue is full: "
                        + queue.size() + " requests are waiting (maxQueueSize " + config.maxQueueSize()
                        + "); raise it with PoolConfig.Builder.maxQueueSize(int), or add workers (maxSize "
                        + config.maxSize() + ")");
            } else {
                config.queueTimeout().ifPresent(d -> p.queueDeadlineNanos = now + d.toNanos());
                queue.addLast(p);
            }
        } finally {
            lock.unlock();
        }
        if (rejection != null) {
            fail(p, rejection, Failure.REJECTED);
        } else if (slot != null) {
            run(slot, p);
        }
        return future;
    }

    /** Gives {@code p} to {@code slot}. Caller holds the lock. */
    private void assign(Slot slot, Pending<?> p, long now) {
        slot.state = Slot.State.BUSY;
        slot.current = p;
        busy++;
        p.slot = slot;
        p.startedNanos = now;
        slot.runLimitNanos = p.request.timeout().orElse(config.requestTimeout()).toNanos();
        slot.runDeadlineNanos = now + slot.runLimitNanos;
        slot.cancelDeadlineNanos = 0;
    }

    private <T> void run(Slot slot, Pending<T> p) {
        metrics.queueWait(p.startedNanos - p.submittedNanos);
        Request<T> r = p.request;
        CompletableFuture<T> call;
        try {
            call = slot.worker.call(new Call<>(r.method(), r.params(), r.resultType(), listenerFor(r)));
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        p.sent(slot.worker, call);
        call.whenComplete((value, error) -> completed(slot, p, value, error == null ? null : typed(slot, error)));
    }

    private NotificationListener listenerFor(Request<?> r) {
        if (notificationListeners.isEmpty()) {
            return r.listener();
        }
        NotificationListener own = r.listener();
        return n -> {
            deliver(own, n);
            for (NotificationListener l : notificationListeners) {
                deliver(l, n);
            }
        };
    }

    private static void deliver(NotificationListener l, Notification n) {
        try {
            l.onNotification(n);
        } catch (RuntimeException e) {
            LOG.warn("a notification listener failed on {} from {}", n.method(), n.workerId(), e);
        }
    }

    private <T> void completed(Slot slot, Pending<T> p, T value, Throwable error) {
        long now = System.nanoTime();
        metrics.runTime(now - p.startedNanos);
        Throwable cause = unwrap(error);
        // A protocol error may leave the stream intact (a result of the wrong type): the transport decides.
        boolean usable = slot.worker.isUsable() && !(cause instanceof WorkerCrashedException);
        if (!usable && cause instanceof ProtocolException) {
            retireCause(slot, SpawnCause.PROTOCOL);
        }
        // Free the worker before completing the caller, so a caller that submits again at once finds it idle.
        release(slot, usable, true);
        if (cause == null) {
            if (p.end()) {
                metrics.succeeded.increment();
                p.future.complete(value);
            }
        } else {
            fail(p, cause, classify(cause));
        }
    }

    private void retireCause(Slot slot, SpawnCause cause) {
        lock.lock();
        try {
            if (slot.retireCause == null) {
                slot.retireCause = cause;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns a slot after a request or ping: to the next queued request, to the idle set, or out of the pool. */
    private void release(Slot slot, boolean usable, boolean served) {
        Pending<?> next = null;
        boolean stop = false;
        boolean recycle = false;
        lock.lock();
        try {
            if (slot.state != Slot.State.BUSY) {
                return; // already dead
            }
            slot.state = Slot.State.IDLE;
            slot.current = null;
            slot.cancelDeadlineNanos = 0;
            busy--;
            long now = System.nanoTime();
            slot.lastUsedNanos = now;
            if (served) {
                slot.served++;
            }
            if (!usable || slot.retireAfterCall || state.compareTo(State.STOPPING) >= 0) {
                slot.retiring = true;
                stop = true;
            } else if (state == State.RUNNING && queue.isEmpty() && !slot.recyclePending && liveCount() > targetSize) {
                slot.retiring = true;
                slot.retireCause = SpawnCause.SCALE;
                stop = true;
            } else {
                if (!slot.recyclePending && recycleDue(slot, now)) {
                    slot.recyclePending = true;
                    recycle = true;
                }
                next = pollQueue();
                if (next != null) {
                    assign(slot, next, now);
                } else if (served) {
                    idle.addLast(slot);
                } else {
                    // back from a health ping, which is not use: it goes where the longest-idle
                    // workers are, so most-recently-used dispatch keeps serving from the worker that
                    // served last, and least-recently-used dispatch counts it as idle since before
                    idle.addFirst(slot);
                }
            }
            if (busy == 0 && queue.isEmpty()) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (stop) {
            retire(slot, usable ? "retired" : "not usable after its last request");
        }
        if (recycle) {
            LOG.info("worker {} (pid {}) is due for recycling after {} requests; starting its replacement",
                    slot.id, slot.pid(), slot.served);
            startReplacement(slot);
        }
        if (next != null) {
            Pending<?> n = next;
            dispatcher.execute(() -> run(slot, n));
        }
    }

    private boolean recycleDue(Slot slot, long now) {
        if (slot.recycleAfter > 0 && slot.served >= slot.recycleAfter) {
            return true;
        }
        Optional<Duration> age = config.maxWorkerAge();
        return age.isPresent() && now - slot.readyNanos >= age.get().toNanos();
    }

    /** Takes the next live request from the queue. Caller holds the lock. */
    private Pending<?> pollQueue() {
        Pending<?> p;
        while ((p = queue.pollFirst()) != null) {
            if (!p.ended()) {
                return p;
            }
        }
        return null;
    }

    /** Counts slots toward the target size. Caller holds the lock. */
    private int liveCount() {
        int n = 0;
        for (Slot s : slots) {
            if (s.counts()) {
                n++;
            }
        }
        return n;
    }

    void cancelledByCaller() {
        metrics.failed(Failure.ABORTED);
    }

    /** The caller cancelled {@code p}'s future: take it out of the queue, or ask its worker to stop. */
    void cancelled(Pending<?> p) {
        Slot slot = null;
        lock.lock();
        try {
            if (p.slot == null) {
                queue.remove(p);
            } else if (p.slot.current == p && p.slot.cancelDeadlineNanos == 0) {
                slot = p.slot;
                slot.cancelDeadlineNanos = System.nanoTime() + config.cancelGrace().toNanos();
            }
        } finally {
            lock.unlock();
        }
        if (slot != null) {
            askToCancel(slot);
        }
    }

    private void askToCancel(Slot slot) {
        boolean asked;
        try {
            asked = slot.worker.cancel();
        } catch (RuntimeException e) {
            LOG.warn("worker {} could not be asked to cancel", slot.id, e);
            asked = false;
        }
        if (!asked) {
            kill(slot, SpawnCause.TIMEOUT, "it cannot be asked to cancel");
        }
    }

    /** Ends a request with a failure, unless it already ended; counts it before the caller can see it. */
    private void fail(Pending<?> p, Throwable cause, Failure kind) {
        if (p.end()) {
            metrics.failed(kind);
            p.future.completeExceptionally(cause);
        }
    }

    /** Keeps the promise that a request fails with a WorkerPoolException: wraps anything else the transport threw. */
    private static Throwable typed(Slot slot, Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof WorkerPoolException || t instanceof java.util.concurrent.CancellationException) {
            return t;
        }
        return new WorkerPoolException("request could not be completed by worker " + slot.id + ": " + t.getMessage(), t);
    }

    private static Failure classify(Throwable t) {
        if (t instanceof WorkerErrorException) {
            return Failure.WORKER_ERROR;
        } else if (t instanceof WorkerCrashedException) {
            return Failure.CRASHED;
        } else if (t instanceof ProtocolException) {
            return Failure.PROTOCOL;
        } else if (t instanceof RequestTimeoutException rte) {
            return rte.phase() == RequestTimeoutException.Phase.QUEUE ? Failure.QUEUE_TIMEOUT : Failure.RUN_TIMEOUT;
        } else if (t instanceof PoolRejectedException) {
            return Failure.REJECTED;
        }
        return Failure.ABORTED;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    // ------------------------------------------------------------------ starting workers

    /** Creates a STARTING slot. Caller holds the lock. */
    private Slot newSlot(SpawnCause cause, Slot replaces) {
        Slot s = new Slot("w-" + workerIds.incrementAndGet(), cause, replaces);
        slots.add(s);
        metrics.spawned(cause);
        return s;
    }

    private void launch(Slot slot, CountDownLatch firstOutcome) {
        emit(PoolEvent.Type.WORKER_STARTING, slot.id, -1, "cause " + slot.spawnCause.name().toLowerCase());
        WorkerSpec spec = new WorkerSpec(slot.id, config.command(), workerEnvironment, config.directory(),
                config.startTimeout(), config.maxFrameBytes(), config.strictOutput(), config.stderrTailLines(),
                config.transportSettings());
        Thread t = Thread.ofVirtual().name("warmpool-start-" + slot.id).unstarted(() -> {
            try {
                Worker w;
                try {
                    w = transport.start(spec);
                } catch (RuntimeException | Error e) {
                    // An Error too (a class missing from the class path, say): the slot must not stay STARTING.
                    startFailed(slot, e instanceof WorkerStartException wse ? wse
                            : new WorkerStartException("worker " + slot.id + " could not be started: " + e, List.of(), e));
                    return;
                }
                started(slot, w);
            } finally {
                if (firstOutcome != null) {
                    firstOutcome.countDown();
                }
            }
        });
        lock.lock();
        try {
            slot.starter = t;
        } finally {
            lock.unlock();
        }
        t.start();
    }

    private void started(Slot slot, Worker w) {
        Pending<?> next = null;
        boolean recovered = false;
        boolean abandoned = false;
        Slot old = slot.replaces;
        boolean stopOld = false;
        lock.lock();
        try {
            slot.starter = null;
            slot.worker = w;
            if (state.compareTo(State.STOPPING) >= 0 || slot.state == Slot.State.DEAD) {
                abandoned = true;
                slot.state = Slot.State.DEAD;
                slots.remove(slot);
            } else {
                long now = System.nanoTime();
                slot.readyNanos = now;
                slot.lastUsedNanos = now;
                slot.recycleAfter = config.maxRequestsPerWorker() == 0 ? 0 : config.maxRequestsPerWorker()
                        + (config.maxRequestsJitter() == 0 ? 0 : ThreadLocalRandom.current().nextInt(config.maxRequestsJitter() + 1));
                consecutiveStartFailures = 0;
                if (unhealthy) {
                    unhealthy = false;
                    startFailures.clear();
                    recovered = true;
                }
                slot.state = Slot.State.IDLE;
                next = pollQueue();
                if (next != null) {
                    assign(slot, next, now);
                } else {
                    idle.addLast(slot);
                }
                if (old != null && old.state != Slot.State.DEAD) {
                    old.retiring = true;
                    old.retireCause = SpawnCause.RECYCLE;
                    if (old.state == Slot.State.IDLE) {
                        idle.remove(old);
                        stopOld = true;
                    } else {
                        old.retireAfterCall = true;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (abandoned) {
            w.kill();
            return;
        }
        w.onExit().whenComplete((code, e) -> exited(slot, code == null ? -1 : code));
        LOG.info("worker {} (pid {}) ready (started for: {})", slot.id, slot.pid(), slot.spawnCause.name().toLowerCase());
        emit(PoolEvent.Type.WORKER_READY, slot.id, slot.pid(), "ready");
        if (recovered) {
            emit(PoolEvent.Type.POOL_RECOVERED, "", -1, "worker " + slot.id + " started");
        }
        if (stopOld) {
            retire(old, "recycled after " + old.served + " requests");
        }
        if (next != null) {
            run(slot, next);
        }
    }

    private void startFailed(Slot slot, WorkerStartException e) {
        List<Pending<?>> toFail = List.of();
        boolean becameUnhealthy = false;
        long backoff;
        lock.lock();
        try {
            slot.state = Slot.State.DEAD;
            slot.starter = null;
            slots.remove(slot);
            if (state.compareTo(State.DRAINING) > 0) {
                return;
            }
            lastStartFailure = e;
            consecutiveStartFailures++;
            long now = System.nanoTime();
            startFailures.addLast(now);
            long window = config.crashLoopWindow().toNanos();
            while (!startFailures.isEmpty() && now - startFailures.peekFirst() > window) {
                startFailures.pollFirst();
            }
            if (!unhealthy && startFailures.size() >= config.crashLoopThreshold()) {
                unhealthy = true;
                becameUnhealthy = true;
            }
            if (unhealthy && busy == 0 && idle.isEmpty()) {
                toFail = new ArrayList<>(queue);
                queue.clear();
            }
            long base = config.restartBackoff().toNanos() << Math.min(consecutiveStartFailures - 1, 20);
            backoff = (long) (Math.min(base, config.maxRestartBackoff().toNanos())
                    * (0.5 + ThreadLocalRandom.current().nextDouble()));
        } finally {
            lock.unlock();
        }
        LOG.warn("worker {} failed to start: {}", slot.id, firstLine(e));
        emit(PoolEvent.Type.WORKER_START_FAILED, slot.id, -1, firstLine(e));
        if (becameUnhealthy) {
            LOG.error("pool is unhealthy: {} worker starts failed within {}; failing requests fast until a start succeeds",
                    config.crashLoopThreshold(), config.crashLoopWindow());
            emit(PoolEvent.Type.POOL_UNHEALTHY, "", -1, firstLine(e));
        }
        for (Pending<?> p : toFail) {
            fail(p, new PoolRejectedException(Reason.UNHEALTHY, "the pool is unhealthy: workers keep failing to start; last error: "
                    + firstLine(e), e), Failure.REJECTED);
        }
        try {
            timer.schedule(() -> ensureCapacity(SpawnCause.RETRY), backoff, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // shutting down
        }
    }

    /** Starts workers until the slots that count reach the target size. */
    private void ensureCapacity(SpawnCause cause) {
        List<Slot> fresh = new ArrayList<>();
        lock.lock();
        try {
            if (state.compareTo(State.DRAINING) > 0) {
                return;
            }
            for (int n = targetSize - liveCount(); n > 0; n--) {
                fresh.add(newSlot(cause, null));
            }
        } finally {
            lock.unlock();
        }
        for (Slot s : fresh) {
            launch(s, null);
        }
    }

    private void startReplacement(Slot old) {
        Slot fresh;
        lock.lock();
        try {
            if (state != State.RUNNING) {
                return;
            }
            fresh = newSlot(SpawnCause.RECYCLE, old);
        } finally {
            lock.unlock();
        }
        launch(fresh, null);
    }

    // ------------------------------------------------------------------ workers leaving

    private void exited(Slot slot, int code) {
        Pending<?> orphan;
        SpawnCause cause;
        boolean deliberate;
        lock.lock();
        try {
            if (slot.state == Slot.State.BUSY) {
                busy--;
            }
            idle.remove(slot);
            slots.remove(slot);
            slot.state = Slot.State.DEAD;
            orphan = slot.current;
            slot.current = null;
            deliberate = slot.retiring;
            cause = slot.retireCause != null ? slot.retireCause : SpawnCause.CRASH;
            if (busy == 0 && queue.isEmpty()) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
        // The worker is gone; a descendant it left behind (holding its pipes, say) goes with it.
        slot.worker.kill();
        String why = slot.retireCause != null ? slot.retireCause.name().toLowerCase() : "stopped";
        if (deliberate) {
            LOG.info("worker {} (pid {}) exited with status {} ({})", slot.id, slot.pid(), code, why);
        } else {
            LOG.warn("worker {} (pid {}) exited unexpectedly with status {}; stderr tail: {}", slot.id, slot.pid(),
                    code, slot.worker.stderrTail());
        }
        emit(PoolEvent.Type.WORKER_EXITED, slot.id, slot.pid(), "exit status " + code
                + (deliberate ? " (" + why + ")" : " (unexpected)"));
        if (orphan != null && !orphan.ended()) {
            // The transport normally fails the call itself with more detail; this is the backstop.
            fail(orphan, new WorkerCrashedException(slot.id, code, "exited while running a request",
                    slot.worker.stderrTail()), Failure.CRASHED);
        }
        if (cause != SpawnCause.SCALE && cause != SpawnCause.RECYCLE) {
            ensureCapacity(cause);
        }
    }

    /** Stops a slot's worker politely; the slot leaves when the process exits. */
    private void retire(Slot slot, String why) {
        emit(PoolEvent.Type.WORKER_RETIRED, slot.id, slot.pid(), why);
        Worker w = slot.worker;
        if (w != null) {
            w.stop(config.stopGrace());
        }
    }

    private void kill(Slot slot, SpawnCause cause, String why) {
        lock.lock();
        try {
            slot.retiring = true;
            if (slot.retireCause == null) {
                slot.retireCause = cause;
            }
        } finally {
            lock.unlock();
        }
        LOG.warn("killing worker {} (pid {}): {}", slot.id, slot.pid(), why);
        emit(PoolEvent.Type.WORKER_RETIRED, slot.id, slot.pid(), "killed: " + why);
        slot.worker.kill();
    }

    // ------------------------------------------------------------------ housekeeping

    private void housekeeping() {
        try {
            deadlines();
            long now = System.nanoTime();
            Duration hc = config.healthCheckInterval();
            if (!hc.isZero() && now - lastHealthSweepNanos >= Math.min(hc.toNanos(), 1_000_000_000L)) {
                lastHealthSweepNanos = now;
                agesAndHealth(now);
            }
            Duration si = config.scalingInterval();
            if (scalingPolicy != null && !si.isZero() && now - lastScaleNanos >= si.toNanos()) {
                lastScaleNanos = now;
                autoscale();
            }
        } catch (RuntimeException e) {
            LOG.error("housekeeping failed", e);
        }
    }

    private void deadlines() {
        long now = System.nanoTime();
        List<Slot> overdue = null;
        List<Slot> toKill = null;
        List<Pending<?>> queueTimeouts = null;
        lock.lock();
        try {
            for (Slot s : slots) {
                if (s.state != Slot.State.BUSY) {
                    continue;
                }
                if (s.cancelDeadlineNanos != 0) {
                    if (now - s.cancelDeadlineNanos >= 0) {
                        (toKill == null ? toKill = new ArrayList<>() : toKill).add(s);
                        s.cancelDeadlineNanos = Long.MAX_VALUE; // kill once
                    }
                } else if (s.current != null && now - s.runDeadlineNanos >= 0) {
                    (overdue == null ? overdue = new ArrayList<>() : overdue).add(s);
                    s.cancelDeadlineNanos = now + config.cancelGrace().toNanos();
                }
            }
            Pending<?> head;
            while ((head = queue.peekFirst()) != null && head.queueDeadlineNanos != 0
                    && now - head.queueDeadlineNanos >= 0) {
                queue.pollFirst();
                (queueTimeouts == null ? queueTimeouts = new ArrayList<>() : queueTimeouts).add(head);
            }
        } finally {
            lock.unlock();
        }
        if (queueTimeouts != null) {
            for (Pending<?> p : queueTimeouts) {
                fail(p, new RequestTimeoutException(RequestTimeoutException.Phase.QUEUE, config.queueTimeout().orElseThrow(),
                        Duration.ofNanos(now - p.submittedNanos), Duration.ZERO), Failure.QUEUE_TIMEOUT);
            }
        }
        if (overdue != null) {
            for (Slot s : overdue) {
                Pending<?> p = s.current;
                if (p != null) {
                    fail(p, new RequestTimeoutException(RequestTimeoutException.Phase.RUN, Duration.ofNanos(s.runLimitNanos),
                            Duration.ofNanos(p.startedNanos - p.submittedNanos), Duration.ofNanos(now - p.startedNanos)),
                            Failure.RUN_TIMEOUT);
                }
                LOG.warn("worker {} (pid {}) passed the run deadline; asking it to cancel", s.id, s.pid());
                askToCancel(s);
            }
        }
        if (toKill != null) {
            for (Slot s : toKill) {
                kill(s, SpawnCause.TIMEOUT, "it did not answer within the cancel grace of " + config.cancelGrace());
            }
        }
    }

    private void agesAndHealth(long now) {
        List<Slot> toRecycle = new ArrayList<>();
        List<Slot> toPing = new ArrayList<>();
        long interval = config.healthCheckInterval().toNanos();
        lock.lock();
        try {
            if (state != State.RUNNING) {
                return;
            }
            for (Iterator<Slot> it = idle.iterator(); it.hasNext(); ) {
                Slot s = it.next();
                if (!s.recyclePending && recycleDue(s, now)) {
                    s.recyclePending = true;
                    toRecycle.add(s);
                } else if (now - s.lastUsedNanos >= interval) {
                    it.remove();
                    s.state = Slot.State.BUSY;
                    busy++;
                    toPing.add(s);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Slot s : toRecycle) {
            LOG.info("worker {} (pid {}) reached its maximum age; starting its replacement", s.id, s.pid());
            startReplacement(s);
        }
        for (Slot s : toPing) {
            ping(s);
        }
    }

    private CompletableFuture<WorkerHealth> ping(Slot s) {
        CompletableFuture<Void> ping;
        try {
            ping = s.worker.ping();
        } catch (RuntimeException e) {
            ping = CompletableFuture.failedFuture(e);
        }
        return ping.orTimeout(config.healthCheckTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, e) -> {
                    if (e == null) {
                        release(s, true, false);
                        return new WorkerHealth(s.id, s.pid(), "idle", true, "");
                    }
                    Throwable c = unwrap(e);
                    String why = c instanceof TimeoutException
                            ? "did not answer a health check within " + config.healthCheckTimeout()
                            : "failed a health check: " + c.getMessage();
                    kill(s, SpawnCause.HEALTH, why);
                    release(s, false, false);
                    return new WorkerHealth(s.id, s.pid(), "idle", false, why);
                });
    }

    @Override
    public HealthReport healthCheck() {
        List<Slot> toPing = new ArrayList<>();
        List<WorkerHealth> report = new ArrayList<>();
        boolean healthy;
        lock.lock();
        try {
            healthy = !unhealthy && state == State.RUNNING;
            for (Slot s : slots) {
                switch (s.state) {
                    case IDLE -> toPing.add(s);
                    case BUSY -> report.add(new WorkerHealth(s.id, s.pid(), "busy", true, ""));
                    case STARTING -> report.add(new WorkerHealth(s.id, -1, "starting", true, ""));
                    default -> { }
                }
            }
            for (Slot s : toPing) {
                idle.remove(s);
                s.state = Slot.State.BUSY;
                busy++;
            }
        } finally {
            lock.unlock();
        }
        List<CompletableFuture<WorkerHealth>> pings = toPing.stream().map(this::ping).toList();
        for (CompletableFuture<WorkerHealth> f : pings) {
            report.add(f.join());
        }
        return new HealthReport(healthy, report);
    }

    private void autoscale() {
        int desired;
        try {
            desired = scalingPolicy.desiredSize(new ScalingContext(metrics(), config.minSize(), config.maxSize(),
                    clock.instant()));
        } catch (RuntimeException e) {
            LOG.error("scaling policy {} failed; size unchanged", scalingPolicy.getClass().getName(), e);
            return;
        }
        resize(Math.max(config.minSize(), Math.min(config.maxSize(), desired)), "scaling policy");
    }

    @Override
    public void scale(int size) {
        if (size < config.minSize() || size > config.maxSize()) {
            throw new IllegalArgumentException("size " + size + " is outside minSize " + config.minSize()
                    + " and maxSize " + config.maxSize() + " (set in PoolConfig)");
        }
        resize(size, "scale()");
    }

    private void resize(int size, String why) {
        List<Slot> toRetire = new ArrayList<>();
        int old;
        lock.lock();
        try {
            if (state != State.RUNNING || size == targetSize) {
                return;
            }
            old = targetSize;
            targetSize = size;
            int excess = liveCount() - size;
            for (Iterator<Slot> it = idle.iterator(); excess > 0 && it.hasNext(); ) {
                Slot s = it.next();
                if (s.counts()) {
                    it.remove();
                    s.state = Slot.State.BUSY; // out of the idle set until it exits
                    busy++;
                    s.retiring = true;
                    s.retireCause = SpawnCause.SCALE;
                    toRetire.add(s);
                    excess--;
                }
            }
        } finally {
            lock.unlock();
        }
        LOG.info("pool size target {} -> {} ({})", old, size, why);
        emit(PoolEvent.Type.POOL_SCALED, "", -1, old + " -> " + size + " (" + why + ")");
        for (Slot s : toRetire) {
            retire(s, "scaled down");
        }
        ensureCapacity(SpawnCause.SCALE);
    }

    // ------------------------------------------------------------------ observing

    @Override
    public PoolMetrics metrics() {
        int idleCount;
        int busyCount;
        int starting = 0;
        int depth;
        lock.lock();
        try {
            idleCount = idle.size();
            busyCount = busy;
            for (Slot s : slots) {
                if (s.state == Slot.State.STARTING) {
                    starting++;
                }
            }
            depth = queue.size();
        } finally {
            lock.unlock();
        }
        return metrics.snapshot(idleCount, busyCount, starting, depth);
    }

    @Override
    public void addListener(PoolListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void addNotificationListener(NotificationListener listener) {
        notificationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public PoolConfig config() {
        return config;
    }

    /** @return the pids of the pool's live worker processes (for diagnostics and tests) */
    public List<Long> workerPids() {
        lock.lock();
        try {
            return slots.stream().map(Slot::pid).filter(pid -> pid > 0).toList();
        } finally {
            lock.unlock();
        }
    }

    private void emit(PoolEvent.Type type, String workerId, long pid, String detail) {
        if (listeners.isEmpty()) {
            return;
        }
        PoolEvent e = new PoolEvent(type, workerId, pid, detail, clock.instant());
        for (PoolListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("a pool listener failed on {}", type, ex);
            }
        }
    }

    private int startFailuresInWindow() {
        return startFailures.size();
    }

    private static String firstLine(Throwable t) {
        if (t == null) {
            return "none";
        }
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    public boolean shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        boolean first;
        lock.lock();
        try {
            first = state == State.RUNNING;
            if (first) {
                state = State.DRAINING;
            }
        } finally {
            lock.unlock();
        }
        if (!first) {
            return terminated.join();
        }
        LOG.info("pool shutting down (grace {})", grace);
        emit(PoolEvent.Type.POOL_SHUTDOWN, "", -1, "grace " + grace);
        boolean finished = drain(grace);
        List<Pending<?>> queued;
        List<Pending<?>> running = new ArrayList<>();
        List<Slot> all;
        List<Thread> starters = new ArrayList<>();
        lock.lock();
        try {
            state = State.STOPPING;
            queued = new ArrayList<>(queue);
            queue.clear();
            for (Slot s : slots) {
                if (s.current != null) {
                    running.add(s.current);
                }
                if (s.starter != null) {
                    starters.add(s.starter);
                }
                s.retiring = true;
            }
            all = new ArrayList<>(slots);
            idle.clear();
        } finally {
            lock.unlock();
        }
        for (Pending<?> p : queued) {
            fail(p, new PoolRejectedException(Reason.SHUTDOWN,
                    "the pool shut down before the request reached a worker (grace " + grace + ")"), Failure.ABORTED);
        }
        for (Pending<?> p : running) {
            fail(p, new PoolRejectedException(Reason.SHUTDOWN,
                    "the pool shut down while a worker was running the request (grace " + grace + " passed)"),
                    Failure.ABORTED);
        }
        for (Thread t : starters) {
            t.interrupt();
        }
        List<CompletableFuture<Integer>> exits = new ArrayList<>();
        for (Slot s : all) {
            if (s.worker != null) {
                exits.add(s.worker.stop(config.stopGrace()));
            }
        }
        long waitMillis = config.stopGrace().toMillis() * 2 + 2_000;
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("some workers did not stop within {} ms; killing them", waitMillis);
        }
        for (Slot s : all) {
            if (s.worker != null) {
                s.worker.kill();
            }
        }
        for (Thread t : starters) {
            try {
                t.join(config.startTimeout().toMillis() + 1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        timer.shutdownNow();
        dispatcher.shutdown();
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
        lock.lock();
        try {
            state = State.TERMINATED;
        } finally {
            lock.unlock();
        }
        LOG.info("pool shut down; {} requests submitted, {} succeeded", metrics.submitted.sum(), metrics.succeeded.sum());
        terminated.complete(finished);
        return finished;
    }

    private boolean drain(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        lock.lock();
        try {
            while (busy > 0 || !queue.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (busy == 0 && idle.isEmpty() && slots.isEmpty()) {
                    return false; // nothing can run what is queued
                }
                drained.awaitNanos(Math.min(left, 50_000_000L));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        shutdown(config.shutdownGrace());
    }

    @Override
    public String toString() {
        return "WarmPool[" + transport.name() + " " + config.command() + ", target " + targetSize + "]";
    }
}
