package dev.warmpool.core;

import dev.warmpool.api.Durations;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.PoolRejectedException.Reason;
import dev.warmpool.api.WorkerStartException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The pool's one lock and everything it guards: the slots, the idle set, the queue, the target
 * size, the pool's state and its {@link CrashLoop}. Each method takes a decision under the lock and
 * returns what is to be done about it, which its caller does after the lock is released: no
 * transport method, listener, log line or future completion ever runs under this lock.
 *
 * <p>The request path decides here ({@link #admit}, {@link #release}, {@link #cancel}), and so does
 * sizing. The {@link StartSupervisor} (starts and exits), the {@link Housekeeper} (deadlines,
 * pings, ages) and {@link Shutdown} take their decisions under the same {@link #lock}, with the
 * helpers marked "caller holds the lock". Thread-safe.
 */
final class SlotTable {
    /** The pool's life: taking requests, finishing them, stopping workers, done. */
    enum PoolState { RUNNING, DRAINING, STOPPING, TERMINATED }

    final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private final PoolConfig config;
    private final Metrics metrics;
    private final boolean mostRecentFirst;
    // --- guarded by lock ---
    final List<Slot> slots = new ArrayList<>();
    final ArrayDeque<Slot> idle = new ArrayDeque<>();
    final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
    final CrashLoop crashLoop;
    PoolState state = PoolState.RUNNING;
    int busy;
    private int target;
    private int ids;
    /** The last failed start, the cause of {@link Reason#UNHEALTHY} rejections. */
    @Nullable WorkerStartException lastStartFailure;
    // ---

    SlotTable(PoolConfig config, Metrics metrics, CrashLoop crashLoop) {
        this.config = config;
        this.metrics = metrics;
        this.crashLoop = crashLoop;
        this.mostRecentFirst = config.dispatchOrder() == PoolConfig.DispatchOrder.MOST_RECENTLY_USED;
        this.target = config.size();
    }

    // ------------------------------------------------------------------ requests

    /**
     * What {@link #admit} decided: run on {@code slot} (already assigned); reject for
     * {@code rejected}, saying {@code message}, with {@code cause}; or neither: queued.
     */
    record Admission(@Nullable Slot slot, @Nullable Reason rejected, @Nullable String message,
            @Nullable Throwable cause) {
        /** @return the rejection to fail the request with (built outside the lock: it fills in a stack trace) */
        PoolRejectedException rejection() {
            // (called for a rejection only, which admit always builds with its reason and message)
            return new PoolRejectedException(Objects.requireNonNull(rejected, "rejected"),
                    Objects.requireNonNull(message, "message"), cause);
        }
    }

    Admission admit(Pending<?> p, long now) {
        lock.lock();
        try {
            if (state != PoolState.RUNNING) {
                return new Admission(null, Reason.SHUTDOWN, "the pool is shutting down and accepts no new requests",
                        null);
            }
            if (crashLoop.unhealthy() && busy == 0 && idle.isEmpty()) {
                return new Admission(null, Reason.UNHEALTHY, "the pool is unhealthy: "
                        + crashLoop.failuresInWindow(now) + " worker starts failed within the last "
                        + Durations.format(config.crashLoopWindow()) + "; last error: "
                        + firstLine(lastStartFailure), lastStartFailure);
            }
            Slot slot = mostRecentFirst ? idle.pollLast() : idle.pollFirst();
            if (slot != null) {
                assign(slot, p, now);
                return new Admission(slot, null, null, null);
            }
            if (queue.size() >= config.maxQueueSize()) {
                return new Admission(null, Reason.QUEUE_FULL, "the queue is full: " + queue.size()
                        + " requests are waiting (maxQueueSize " + config.maxQueueSize() + "); raise it with "
                        + "PoolConfig.Builder.maxQueueSize(int), or add workers (maxSize " + config.maxSize() + ")",
                        null);
            }
            queue.addLast(p);
            return new Admission(null, null, null, null);
        } finally {
            lock.unlock();
        }
    }

    /** Gives {@code p} to {@code slot}. Caller holds the lock. */
    void assign(Slot slot, Pending<?> p, long now) {
        slot.state = Slot.State.BUSY;
        slot.current = p;
        busy++;
        p.slot = slot;
        p.startedNanos = now;
        slot.runLimitNanos = p.request.timeout().orElse(config.requestTimeout()).toNanos();
        slot.runDeadlineNanos = now + slot.runLimitNanos;
        slot.cancelling = false;
    }

    /**
     * What {@link #release} decided: stop the slot's worker politely ({@code stop}), start a replacement
     * for it before it goes ({@code recycle}), run {@code next} on it (already assigned), and
     * whether its answer ended an unhealthy spell ({@code recovered}).
     */
    record Release(boolean stop, boolean recycle, @Nullable Pending<?> next, boolean recovered) {
        static final Release NOTHING = new Release(false, false, null, false);
    }

    /**
     * A slot is back from a request or a ping: to the next queued request, to the idle set, or out.
     *
     * @param usable whether its worker can take another request
     * @param served whether it ran a request (not a ping)
     * @param cause why it leaves if it is not usable, or null
     */
    Release release(Slot slot, boolean usable, boolean served, @Nullable SpawnCause cause, long now) {
        lock.lock();
        try {
            if (slot.state != Slot.State.BUSY) {
                return Release.NOTHING; // already dead
            }
            slot.state = Slot.State.IDLE;
            slot.current = null;
            slot.pinging = false;
            slot.cancelling = false;
            busy--;
            slot.lastUsedNanos = now;
            if (served) {
                slot.served++;
            }
            boolean recovered = false;
            if (usable && !slot.proven) {
                slot.proven = true;
                recovered = crashLoop.succeeded();
            }
            Release r;
            if (!usable || slot.retiring || slot.retireAfterCall || state.compareTo(PoolState.STOPPING) >= 0) {
                boolean underWay = slot.retiring; // killed, or stopped at shutdown: nothing more to do
                slot.crashed = cause == SpawnCause.CRASH && !underWay;
                retire(slot, cause);
                r = new Release(!underWay, false, null, recovered);
            } else if (state == PoolState.RUNNING && queue.isEmpty() && !slot.recyclePending && liveCount() > target) {
                retire(slot, SpawnCause.SCALE);
                r = new Release(true, false, null, recovered);
            } else {
                boolean recycle = !slot.recyclePending && recycleDue(slot, now);
                slot.recyclePending |= recycle;
                Pending<?> next = pollQueue();
                if (next != null) {
                    assign(slot, next, now);
                } else if (served) {
                    idle.addLast(slot);
                } else {
                    // back from a ping, which is not use: it goes where the longest-idle workers are,
                    // so most-recently-used dispatch keeps serving from the worker that served last
                    idle.addFirst(slot);
                }
                r = next == null && !recycle && !recovered ? Release.NOTHING : new Release(false, recycle, next, recovered);
            }
            signalIfDrained();
            return r;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a slot out of service while its worker is stopped. Caller holds the lock; the slot is not idle. */
    void retire(Slot slot, @Nullable SpawnCause cause) {
        slot.state = Slot.State.RETIRING;
        slot.retiring = true;
        if (slot.retireCause == null) {
            slot.retireCause = cause;
        }
    }

    /** @return whether the slot's worker is due for recycling (request count or age). Caller holds the lock. */
    boolean recycleDue(Slot slot, long now) {
        if (slot.recycleAfter > 0 && slot.served >= slot.recycleAfter) {
            return true;
        }
        return config.maxWorkerAge().map(age -> now - slot.readyNanos >= age.toNanos()).orElse(false);
    }

    /** Takes the next request from the queue that has not ended. Caller holds the lock. */
    @Nullable Pending<?> pollQueue() {
        Pending<?> p;
        while ((p = queue.pollFirst()) != null) {
            if (!p.ended()) {
                return p;
            }
        }
        return null;
    }

    /**
     * The caller cancelled {@code p}: out of the queue, or its worker is to be asked to stop.
     *
     * @return the slot whose worker to ask, or null
     */
    @Nullable Slot cancel(Pending<?> p, long now) {
        lock.lock();
        try {
            if (p.slot == null) {
                queue.remove(p);
                signalIfDrained();
            } else if (p.slot.current == p && !p.slot.cancelling) {
                p.slot.cancelling = true;
                p.slot.cancelDeadlineNanos = now + config.cancelGrace().toNanos();
                return p.slot;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ starts and exits

    /** @return new STARTING slots for what the target size lacks (none once the pool is stopping) */
    List<Slot> fill(SpawnCause cause) {
        lock.lock();
        try {
            List<Slot> fresh = new ArrayList<>();
            if (state.compareTo(PoolState.DRAINING) <= 0) {
                for (int n = target - liveCount(); n > 0; n--) {
                    fresh.add(newSlot(cause, null));
                }
            }
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    /** Creates a STARTING slot, counted as a spawn. Caller holds the lock. */
    Slot newSlot(SpawnCause cause, @Nullable Slot replaces) {
        Slot s = new Slot("w-" + ++ids, cause, replaces);
        slots.add(s);
        metrics.spawned(cause);
        return s;
    }

    // ------------------------------------------------------------------ sizing

    /** What {@link #resize} decided: the old target, and the idle slots to retire. */
    record Resize(int old, List<Slot> toRetire) {}

    /** @return the decision, or null if the size did not change or the pool is not running */
    @Nullable Resize resize(int size) {
        lock.lock();
        try {
            if (state != PoolState.RUNNING || size == target) {
                return null;
            }
            int old = target;
            target = size;
            List<Slot> toRetire = new ArrayList<>();
            int excess = liveCount() - size;
            for (var it = idle.iterator(); excess > 0 && it.hasNext(); ) {
                Slot s = it.next();
                if (s.counts()) {
                    it.remove();
                    retire(s, SpawnCause.SCALE);
                    toRetire.add(s);
                    excess--;
                }
            }
            return new Resize(old, toRetire);
        } finally {
            lock.unlock();
        }
    }

    int target() {
        lock.lock();
        try {
            return target;
        } finally {
            lock.unlock();
        }
    }

    /** Counts slots toward the target size. Caller holds the lock. */
    int liveCount() {
        int n = 0;
        for (Slot s : slots) {
            if (s.counts()) {
                n++;
            }
        }
        return n;
    }

    /** Caller holds the lock. */
    void signalIfDrained() {
        if (busy == 0 && queue.isEmpty()) {
            drained.signalAll();
        }
    }

    /**
     * Waits until no request is queued or running, or until {@code deadline} ({@link System#nanoTime()}).
     *
     * @return whether every request finished
     */
    boolean awaitDrained(long deadline) {
        lock.lock();
        try {
            while (busy > 0 || !queue.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (busy == 0 && idle.isEmpty() && slots.isEmpty())) {
                    return false; // out of time, or nothing can run what is queued
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

    // ------------------------------------------------------------------ views

    /** How many workers stand where (idle and busy ones also by host), and how many requests wait, at one moment. */
    record Counts(int idle, int busy, int starting, int queueDepth, Map<String, Integer> byHost) {}

    Counts counts() {
        lock.lock();
        try {
            int starting = 0;
            Map<String, Integer> byHost = new HashMap<>();
            for (Slot s : slots) {
                if (s.state == Slot.State.STARTING) {
                    starting++;
                } else if (s.state == Slot.State.IDLE || s.state == Slot.State.BUSY) {
                    s.host.ifPresent(h -> byHost.merge(h, 1, Integer::sum));
                }
            }
            return new Counts(idle.size(), busy, starting, queue.size(), byHost);
        } finally {
            lock.unlock();
        }
    }

    /** @return the pids of the live workers that are processes */
    List<Long> pids() {
        lock.lock();
        try {
            List<Long> pids = new ArrayList<>();
            for (Slot s : slots) {
                s.pid().ifPresent(pids::add);
            }
            return pids;
        } finally {
            lock.unlock();
        }
    }

    static String firstLine(@Nullable Throwable t) {
        if (t == null) {
            return "none";
        }
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
