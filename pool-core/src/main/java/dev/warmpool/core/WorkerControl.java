package dev.warmpool.core;

import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.spi.Worker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks workers to cancel, ping, stop and die, each on a thread of its own.
 *
 * <p>A transport may block in {@link Worker#cancel()}, {@link Worker#kill()},
 * {@link Worker#stop(Duration)} or {@link Worker#ping()}: a cancel message queued behind a write to
 * a worker that stopped reading its stdin, say. If the housekeeper called them itself, one such
 * worker would stop every other worker's deadlines and health checks. So they run here, on
 * platform threads that are started as needed and end a minute after their last task (platform,
 * not virtual: on JDK 21 a virtual thread blocked on a monitor pins its carrier, and a few stuck
 * workers could then starve every virtual thread of the pool). A stuck call holds up only its own
 * thread; the deadline that follows it (the kill after the cancel grace) is decided by the
 * housekeeper regardless. Thread-safe.
 */
final class WorkerControl {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);

    private final SlotTable table;
    private final Events events;
    private final Duration stopGrace;
    private final ExecutorService threads;

    WorkerControl(SlotTable table, Events events, Duration stopGrace) {
        this.table = table;
        this.events = events;
        this.stopGrace = stopGrace;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "warmpool-control-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks the slot's worker to cancel its request; kills it if the transport cannot ask. */
    void askToCancel(Slot slot) {
        Worker w = slot.worker;
        execute(() -> {
            boolean asked;
            try {
                asked = w.cancel();
            } catch (RuntimeException e) {
                LOG.warn("worker {} could not be asked to cancel", slot.id, e);
                asked = false;
            }
            if (!asked) {
                kill(slot, SpawnCause.TIMEOUT, "it cannot be asked to cancel");
            }
        });
    }

    /** Kills the slot's worker, which leaves the pool when it exits and is replaced for {@code cause}. */
    void kill(Slot slot, SpawnCause cause, String why) {
        table.lock.lock();
        try {
            slot.retiring = true;
            if (slot.retireCause == null) {
                slot.retireCause = cause;
            }
        } finally {
            table.lock.unlock();
        }
        LOG.warn("killing worker {}: {}", slot.describe(), why);
        events.worker(PoolEvent.Type.WORKER_RETIRED, slot, "killed: " + why);
        kill(slot);
    }

    /** Kills the slot's worker and its descendants, without a word: it is gone or abandoned already. */
    void kill(Slot slot) {
        Worker w = slot.worker;
        execute(w::kill);
    }

    /** Stops the slot's worker politely; the slot leaves when the process exits. */
    void retire(Slot slot, String why) {
        events.worker(PoolEvent.Type.WORKER_RETIRED, slot, why);
        stop(slot.worker);
    }

    /** @return completes with the worker's exit status once it and its descendants are gone */
    CompletableFuture<Integer> stop(Worker w) {
        return relay(() -> w.stop(stopGrace));
    }

    /** @return the worker's ping */
    CompletableFuture<Void> ping(Worker w) {
        return relay(w::ping);
    }

    /** @return what {@code call} returns, called on a thread of this class's */
    private <T> CompletableFuture<T> relay(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> out = new CompletableFuture<>();
        execute(() -> {
            try {
                call.get().whenComplete((v, e) -> {
                    if (e == null) {
                        out.complete(v);
                    } else {
                        out.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private void execute(Runnable task) {
        try {
            threads.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // the pool has shut down; what is left to do is done here
        }
    }

    /**
     * Lets the tasks given so far finish, waiting for them up to {@code nanos}; their threads end
     * then. Later tasks run on the caller's thread.
     */
    void shutdown(long nanos) {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(nanos, TimeUnit.NANOSECONDS)) {
                LOG.warn("a worker did not return from a cancel, stop or kill call; leaving it to its thread");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
