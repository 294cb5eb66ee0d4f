package dev.warmpool.core;

import dev.warmpool.api.PoolMetrics.Failure;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * One pool's JDK Flight Recorder events: a worker's start and exit, each request's end, and each
 * change of the target size. They are recorded when a recording enables them, with the JDK's own
 * switches ({@code -XX:StartFlightRecording}, {@code jcmd PID JFR.start}, a {@code Recording} or
 * {@code RecordingStream}). All four are on in a recording with the JDK's default settings (events
 * that a settings file does not name are); one is turned off with
 * {@code -XX:StartFlightRecording:+dev.warmpool.Request#enabled=false} (the {@code +} because the JDK's
 * settings files do not name warmpool's events).
 *
 * <p>Disabled, they cost nothing that matters: worker and size events are rare, and the request
 * event, on the path of every request, is neither created nor filled in unless a recording wants
 * it ({@link #requestsOn()}: a volatile read while no recording has run in this JVM, two once one
 * has). Checking that through {@link EventType#getEventType} before the Flight Recorder is up would
 * start it, which takes a quarter of a second, so it is asked only once something else started it.
 *
 * <p>Values are those of {@link dev.warmpool.api.PoolMetrics} and its Micrometer tags: an outcome
 * is {@code success} or a {@link Failure} in lower case, a cause a
 * {@link dev.warmpool.api.PoolMetrics.SpawnCause} in lower case. Thread-safe.
 */
final class JfrEvents {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static volatile @Nullable EventType requestType;

    /** Tells this JVM's pools apart in a recording: 1 for the first pool started, and so on. */
    private final int pool = POOLS.incrementAndGet();
    private final LongSupplier ticker;

    /** @param ticker the pool's clock for durations ({@link System#nanoTime()} outside tests) */
    JfrEvents(LongSupplier ticker) {
        this.ticker = ticker;
    }

    /**
     * Times a worker's start, from now until {@link WorkerStartEvent#ready} or {@link WorkerStartEvent#failed}.
     *
     * @param slot the slot being filled
     * @param program the worker's program (its command's first word)
     * @return the event, begun
     */
    WorkerStartEvent workerStart(Slot slot, String program) {
        WorkerStartEvent e = new WorkerStartEvent();
        if (e.isEnabled()) {
            e.pool = pool;
            e.worker = slot.id;
            e.cause = lower(slot.spawnCause);
            e.program = program;
            e.begin();
        }
        return e;
    }

    /**
     * Records a worker's exit.
     *
     * @param status its exit status as the JDK reports it (128 + n when killed by signal n; -1 if unknown)
     * @param served the requests it answered
     * @param cause why it left: a spawn cause in lower case, or {@code the pool shut down}
     * @param expected whether the pool stopped it (recycling, scaling, a kill, shutdown), not a crash
     * @param readyNanos when it became ready, on the pool's ticker
     */
    void workerExit(Slot slot, int status, int served, String cause, boolean expected, long readyNanos) {
        WorkerExitEvent e = new WorkerExitEvent();
        if (e.shouldCommit()) {
            e.pool = pool;
            e.worker = slot.id;
            e.pid = pidOrZero(slot.pid());
            e.exitStatus = status;
            // the same reading as transport-stdio's wording of an exit ("was killed by signal 9")
            e.signal = status > 128 && status < 128 + 65 ? status - 128 : 0;
            e.requestsServed = served;
            e.cause = cause;
            e.expected = expected;
            e.lifetime = ticker.getAsLong() - readyNanos;
            e.commit();
        }
    }

    /** Records a change of the target size. */
    void poolScaled(int from, int to, String why) {
        PoolScaledEvent e = new PoolScaledEvent();
        if (e.shouldCommit()) {
            e.pool = pool;
            e.from = from;
            e.to = to;
            e.reason = why;
            e.commit();
        }
    }

    /**
     * Tells whether a recording wants request events; call it before {@link #request}, so that a pool
     * without a recording creates no event per request.
     *
     * @return whether {@code dev.warmpool.Request} is enabled in a running recording
     */
    static boolean requestsOn() {
        if (!FlightRecorder.isInitialized()) {
            return false;
        }
        EventType t = requestType;
        if (t == null) {
            t = EventType.getEventType(RequestEvent.class);
            requestType = t;
        }
        return t.isEnabled();
    }

    /**
     * Records the end of a request. Its times are read without the pool's lock: the thread that ends
     * a request took part in handing it to its worker (or found it queued), so it sees them.
     *
     * @param p the request, just ended
     * @param failure what it failed with, or null if it succeeded
     * @param kind the metrics bucket of {@code failure}, or null if it succeeded
     */
    void request(Pending<?> p, @Nullable Throwable failure, @Nullable Failure kind) {
        record(p, kind == null ? "success" : lower(kind), failure == null ? null : SlotTable.firstLine(failure));
    }

    /** Records the end of a request its caller cancelled (counted as {@link Failure#ABORTED}). */
    void cancelled(Pending<?> p) {
        record(p, lower(Failure.ABORTED), "cancelled by the caller");
    }

    private void record(Pending<?> p, String outcome, @Nullable String failure) {
        RequestEvent e = new RequestEvent();
        if (e.shouldCommit()) {
            long now = ticker.getAsLong();
            Slot slot = p.slot;
            e.pool = pool;
            e.method = p.request.method();
            if (slot == null) { // never reached a worker
                e.queueWait = now - p.submittedNanos;
            } else {
                e.queueWait = p.startedNanos - p.submittedNanos;
                e.runTime = now - p.startedNanos;
                e.worker = slot.id;
                e.pid = pidOrZero(slot.pid());
            }
            e.outcome = outcome;
            e.failure = failure;
            e.commit();
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static long pidOrZero(OptionalLong pid) {
        return pid.orElse(0);
    }

    /** A worker's start: how long its transport took to make it ready, or why it could not. */
    @Name("dev.warmpool.WorkerStart")
    @Label("Worker Start")
    @Category("warmpool")
    @Description("A worker process started for a pool: the duration is the time until it was ready")
    @StackTrace(false)
    static final class WorkerStartEvent extends Event {
        @Label("Pool")
        @Description("Which pool of this JVM: 1 for the first one started")
        int pool;
        @Label("Worker")
        @Nullable String worker;
        @Label("Process Id")
        @Description("0 if the start failed or the worker is not a process")
        long pid;
        @Label("Cause")
        @Description("Why it was started: initial, crash, timeout, health, recycle, protocol, scale or retry")
        @Nullable String cause;
        @Label("Program")
        @Nullable String program;
        @Label("Failure")
        @Description("Why the start failed; empty if the worker became ready")
        @Nullable String failure;

        /** Records that the worker is ready. */
        void ready(OptionalLong processId) {
            if (shouldCommitStarted()) {
                pid = pidOrZero(processId);
                commit();
            }
        }

        /** Records that the start failed. */
        void failed(Throwable why) {
            if (shouldCommitStarted()) {
                failure = SlotTable.firstLine(why);
                commit();
            }
        }

        private boolean shouldCommitStarted() {
            end();
            return worker != null && shouldCommit(); // worker is set when the event was enabled at begin
        }
    }

    /** A worker's exit. */
    @Name("dev.warmpool.WorkerExit")
    @Label("Worker Exit")
    @Category("warmpool")
    @Description("A worker process of a pool exited, on purpose or not")
    @StackTrace(false)
    static final class WorkerExitEvent extends Event {
        @Label("Pool")
        int pool;
        @Label("Worker")
        @Nullable String worker;
        @Label("Process Id")
        long pid;
        @Label("Exit Status")
        @Description("As the JDK reports it: 128 + n when killed by signal n; -1 if unknown")
        int exitStatus;
        @Label("Signal")
        @Description("The signal that killed it, or 0")
        int signal;
        @Label("Requests Served")
        int requestsServed;
        @Label("Cause")
        @Description("Why it left: recycle, scale, timeout, health, protocol, crash, or the pool shut down")
        @Nullable String cause;
        @Label("Expected")
        @Description("Whether the pool stopped it; false for a crash")
        boolean expected;
        @Label("Lifetime")
        @Timespan
        long lifetime;
    }

    /** The end of one request. */
    @Name("dev.warmpool.Request")
    @Label("Request")
    @Category("warmpool")
    @Description("A request to a pool ended: with its result, or failed")
    @StackTrace(false)
    static final class RequestEvent extends Event {
        @Label("Pool")
        int pool;
        @Label("Method")
        @Nullable String method;
        @Label("Queue Wait")
        @Description("From submit until a worker took it (until it ended, if none did)")
        @Timespan
        long queueWait;
        @Label("Run Time")
        @Description("From the moment a worker took it until it ended; 0 if none did")
        @Timespan
        long runTime;
        @Label("Outcome")
        @Description("success, rejected, queue_timeout, run_timeout, crashed, protocol, worker_error, "
                + "invalid_request or aborted")
        @Nullable String outcome;
        @Label("Failure")
        @Description("The first line of what it failed with; empty on success")
        @Nullable String failure;
        @Label("Worker")
        @Description("The worker that ran it; empty if none did")
        @Nullable String worker;
        @Label("Process Id")
        long pid;
    }

    /** A change of the pool's target size. */
    @Name("dev.warmpool.PoolScaled")
    @Label("Pool Scaled")
    @Category("warmpool")
    @Description("A pool's target size changed")
    @StackTrace(false)
    static final class PoolScaledEvent extends Event {
        @Label("Pool")
        int pool;
        @Label("From")
        int from;
        @Label("To")
        int to;
        @Label("Reason")
        @Description("What asked for it: the scaling policy, or scale()")
        @Nullable String reason;
    }
}
