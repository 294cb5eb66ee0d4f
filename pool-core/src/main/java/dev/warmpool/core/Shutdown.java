package dev.warmpool.core;

import dev.warmpool.api.Durations;
import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.PoolRejectedException.Reason;
import dev.warmpool.core.SlotTable.PoolState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shuts a pool down, once: drain within the grace, fail what is left, kill the workers still
 * running a request, stop the others politely, wait for them all, and release the pool's threads.
 *
 * <p>Bounded: it returns within the grace plus {@link #ladderNanos() the stop ladder} (twice the
 * stop grace and one second for the processes to be reaped). Workers busy when the grace ends are
 * killed at once, not stopped: their callers have been told already, and a polite stop would
 * wait for the very work the grace refused to wait for. A second call waits for the first. Thread-safe.
 */
final class Shutdown {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);

    private final WarmPool pool;
    private final SlotTable table;
    private final Outcomes outcomes;
    private final WorkerControl control;
    private final Events events;
    private final Duration stopGrace;
    private final Runnable releaseThreads;
    private final CompletableFuture<Boolean> terminated = new CompletableFuture<>();

    /** @param releaseThreads stops the pool's housekeeper and sender threads */
    Shutdown(WarmPool pool, SlotTable table, Outcomes outcomes, WorkerControl control, Events events,
             Duration stopGrace, Runnable releaseThreads) {
        this.pool = pool;
        this.table = table;
        this.outcomes = outcomes;
        this.control = control;
        this.events = events;
        this.stopGrace = stopGrace;
        this.releaseThreads = releaseThreads;
    }

    /** @return twice the stop grace and a second to reap: how long stopping the workers may take */
    long ladderNanos() {
        return stopGrace.toNanos() * 2 + TimeUnit.SECONDS.toNanos(1);
    }

    /**
     * @param grace how long in-flight and queued requests may take
     * @return whether every request finished within the grace
     */
    boolean run(Duration grace) {
        if (!beginDrain()) {
            return terminated.join();
        }
        String g = Durations.format(grace);
        LOG.info("pool shutting down (grace {})", g);
        events.pool(PoolEvent.Type.POOL_SHUTDOWN, "grace " + g);
        boolean finished = table.awaitDrained(System.nanoTime() + grace.toNanos());
        long deadline = System.nanoTime() + ladderNanos();
        Stopping s = stop();
        for (Pending<?> p : s.queued()) {
            outcomes.fail(p, new PoolRejectedException(Reason.SHUTDOWN,
                    "the pool shut down before the request reached a worker (grace " + g + ")"), Failure.ABORTED);
        }
        for (Pending<?> p : s.running()) {
            outcomes.fail(p, new PoolRejectedException(Reason.SHUTDOWN,
                    "the pool shut down while a worker was running the request (grace " + g + " passed)"),
                    Failure.ABORTED);
        }
        s.starters().forEach(Thread::interrupt);
        List<CompletableFuture<?>> exits = new ArrayList<>();
        for (Slot slot : s.toKill()) {
            control.kill(slot);
            exits.add(slot.gone);
        }
        for (Slot slot : s.toStop()) {
            exits.add(control.stop(slot.worker));
            exits.add(slot.gone);
        }
        for (Slot slot : s.leaving()) {
            exits.add(slot.gone);
        }
        awaitExits(exits, deadline);
        for (Slot slot : all(s)) {
            control.kill(slot); // whatever did not stop in time, and what the others left behind
        }
        for (Thread t : s.starters()) {
            try {
                t.join(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        releaseThreads.run();
        control.shutdown(Math.max(deadline - System.nanoTime(), 0));
        terminated();
        PoolMetrics m = pool.metrics();
        LOG.info("pool shut down; {} requests submitted, {} succeeded", m.submitted(), m.succeeded());
        terminated.complete(finished);
        return finished;
    }

    /** @return whether this call began the shutdown: the pool was running, and now drains */
    private boolean beginDrain() {
        table.lock.lock();
        try {
            boolean first = table.state == PoolState.RUNNING;
            if (first) {
                table.state = PoolState.DRAINING;
            }
            return first;
        } finally {
            table.lock.unlock();
        }
    }

    /**
     * What {@link #stop} decided: the requests to fail, queued and running; the workers to kill
     * (they were running a request the grace did not let finish), to stop politely, and to wait for
     * (already leaving); the start threads to interrupt.
     */
    record Stopping(List<Pending<?>> queued, List<Pending<?>> running, List<Slot> toKill, List<Slot> toStop,
                    List<Slot> leaving, List<Thread> starters) {}

    /** Ends draining: nothing runs or starts from now on. */
    private Stopping stop() {
        table.lock.lock();
        try {
            table.state = PoolState.STOPPING;
            List<Pending<?>> queued = new ArrayList<>(table.queue);
            table.queue.clear();
            List<Pending<?>> running = new ArrayList<>();
            List<Slot> toKill = new ArrayList<>();
            List<Slot> toStop = new ArrayList<>();
            List<Slot> leaving = new ArrayList<>();
            List<Thread> starters = new ArrayList<>();
            for (Slot s : table.slots) {
                boolean already = s.retiring;
                s.retiring = true;
                if (s.starter != null) {
                    starters.add(s.starter);
                }
                if (s.current != null) {
                    running.add(s.current);
                    toKill.add(s);
                } else if (s.worker != null) {
                    (already ? leaving : toStop).add(s);
                }
            }
            table.idle.clear();
            return new Stopping(queued, running, toKill, toStop, leaving, starters);
        } finally {
            table.lock.unlock();
        }
    }

    private void terminated() {
        table.lock.lock();
        try {
            table.state = PoolState.TERMINATED;
        } finally {
            table.lock.unlock();
        }
    }

    private static List<Slot> all(Stopping s) {
        List<Slot> all = new ArrayList<>(s.toKill());
        all.addAll(s.toStop());
        all.addAll(s.leaving());
        return all;
    }

    private void awaitExits(List<CompletableFuture<?>> exits, long deadline) {
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
                    .get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("some workers did not stop within {}; killing them", Durations.format(Duration.ofNanos(ladderNanos())));
        }
    }
}
