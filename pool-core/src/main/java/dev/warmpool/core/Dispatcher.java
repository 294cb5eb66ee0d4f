package dev.warmpool.core;

import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.Request;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Worker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path after admission: hands a request to its worker, and when the worker's future
 * completes, frees the worker (for the next queued request, the idle set, recycling or retirement)
 * and only then ends the request, so that a caller who submits again at once finds the worker idle.
 *
 * <p>A request admitted straight to an idle worker is sent on the submitting thread. A queued one
 * is sent when a worker frees up: by the thread that completed the worker's previous call (a
 * transport's reader, typically) if the worker {@linkplain Worker#callNeverBlocks() promises} that
 * sending cannot block, which saves a thread wake-up per request under load; else from a virtual
 * thread, so that a transport's reader never blocks writing the next request. A send that fails at
 * once, and so ends its request and frees the worker again on the same thread, hands the next one
 * to a virtual thread: a queue of requests that all fail at once does not nest calls. Thread-safe.
 */
final class Dispatcher implements Pending.Cancellation {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);

    private final SlotTable table;
    private final Metrics metrics;
    private final JfrEvents jfr;
    private final Outcomes outcomes;
    private final RequestObservers observers;
    private final Events events;
    private final WorkerControl control;
    private final StartSupervisor supervisor;
    private final LongSupplier ticker;
    private final Executor sender;
    /** Whether this thread is sending a queued request itself, from a completion (no nesting). */
    private final ThreadLocal<Boolean> sendingInline = ThreadLocal.withInitial(() -> Boolean.FALSE);

    Dispatcher(SlotTable table, Metrics metrics, JfrEvents jfr, Outcomes outcomes, RequestObservers observers,
               Events events, WorkerControl control, StartSupervisor supervisor, LongSupplier ticker, Executor sender) {
        this.table = table;
        this.metrics = metrics;
        this.jfr = jfr;
        this.outcomes = outcomes;
        this.observers = observers;
        this.events = events;
        this.control = control;
        this.supervisor = supervisor;
        this.ticker = ticker;
        this.sender = sender;
    }

    /** Sends {@code p}, already assigned to {@code slot}, to the slot's worker on this thread. */
    <T> void run(Slot slot, Pending<T> p) {
        metrics.queueWait(p.startedNanos - p.submittedNanos);
        Request<T> r = p.request;
        CompletableFuture<@Nullable T> call;
        try {
            call = slot.worker.call(new Call<>(r.method(), r.params(), r.resultType(), events.listenerFor(r)));
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((value, error) -> completed(slot, p, value, error));
    }

    private <T> void completed(Slot slot, Pending<T> p, @Nullable T value, @Nullable Throwable error) {
        long now = ticker.getAsLong();
        metrics.runTime(now - p.startedNanos);
        Throwable cause = error == null ? null : Outcomes.typed(slot.id, error);
        // A protocol error may leave the stream intact (a result of the wrong type): the transport decides.
        boolean usable = slot.worker.isUsable() && !(cause instanceof WorkerCrashedException);
        SpawnCause leaves = cause instanceof ProtocolException ? SpawnCause.PROTOCOL
                : cause instanceof WorkerCrashedException ? SpawnCause.CRASH : null;
        released(slot, table.release(slot, usable, true, leaves, now),
                usable ? "retired" : "not usable after its last request", usable && slot.worker.callNeverBlocks());
        if (cause == null) {
            outcomes.succeed(p, value);
        } else {
            outcomes.fail(p, cause);
        }
    }

    /** Does what {@link SlotTable#release} decided for {@code slot}; a next request goes to a virtual thread. */
    void released(Slot slot, SlotTable.Release r, String whyStop) {
        released(slot, r, whyStop, false);
    }

    /**
     * @param sendHere whether the next request may be sent on this thread (its worker's call never
     *     blocks, and this thread completed the worker's call)
     */
    private void released(Slot slot, SlotTable.Release r, String whyStop, boolean sendHere) {
        if (r.recovered()) {
            LOG.info("pool recovered: worker {} answered", slot.describe());
            events.pool(PoolEvent.Type.POOL_RECOVERED, "worker " + slot.id + " answered");
        }
        if (r.stop()) {
            control.retire(slot, whyStop);
        }
        if (r.recycle()) {
            LOG.info("worker {} is due for recycling after {} requests; starting its replacement",
                    slot.describe(), slot.served);
            supervisor.replace(slot);
        }
        Pending<?> next = r.next();
        if (next != null && sendHere && !sendingInline.get()) {
            sendingInline.set(Boolean.TRUE);
            try {
                run(slot, next);
            } finally {
                sendingInline.set(Boolean.FALSE);
            }
        } else if (next != null) {
            try {
                sender.execute(() -> run(slot, next));
            } catch (RejectedExecutionException e) {
                run(slot, next); // shutting down: the request is still sent, or fails
            }
        }
    }

    @Override
    public void cancelled(Pending<?> p) {
        metrics.failed(Failure.ABORTED);
        Slot slot = table.cancel(p, ticker.getAsLong());
        if (JfrEvents.requestsOn()) {
            jfr.cancelled(p);
        }
        observers.ended(p, Failure.ABORTED);
        if (slot != null) {
            control.askToCancel(slot);
        }
    }
}
