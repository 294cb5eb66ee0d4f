package dev.warmpool.cli;

import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.Request;
import dev.warmpool.api.WorkerPool;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands the requests of {@code warmpool run} to the pool from threads of its own, so the thread that
 * reads the input is never the one that blocks when a send cannot finish (a worker that stops
 * reading its stdin fills the pipe, and a write to it blocks until the worker is killed).
 *
 * <p>Each request is submitted on a thread of a cached pool: a send that blocks holds one thread
 * (at most one per stuck worker) while the others go on. A request whose submit has not returned
 * within the <em>send limit</em> (the run deadline plus the cancel and stop graces and a second,
 * by which the pool has killed a worker that passed its deadline) is answered {@code timeout}
 * by the command; if the pool answers it later, that answer is dropped (each request is
 * answered once).
 *
 * <p>Back-pressure: at most {@code window} requests are in the pool at once (the queue limit plus
 * the most workers), so reading pauses while the pool is full, and an input of any length is served
 * without queue-full rejections; a request the pool still turns away as queue-full is offered again
 * when another completes.
 *
 * <p>Thread-safe.
 */
final class Submitter implements AutoCloseable {
    /** What to do with a request's outcome. */
    @FunctionalInterface
    interface Completion {
        /**
         * @param ticket the request
         * @param value the result, when {@code error} is {@code null}
         * @param error the failure, or {@code null}
         */
        void complete(Ledger.Ticket ticket, Object value, Throwable error);
    }

    private static final long ROOM_POLL_MILLIS = 50;

    private final WorkerPool pool;
    private final Completion completion;
    private final Duration sendLimit;
    private final Semaphore window;
    private final ThreadPoolExecutor senders;
    private final ScheduledThreadPoolExecutor guards;
    private final Object completions = new Object();
    private long completed;
    private volatile boolean stopped;

    /**
     * @param pool where the requests go
     * @param completion receives every outcome, on a pool or sender thread
     * @param window the most requests in the pool at once
     * @param sendLimit how long a submit may take before the command answers the request itself
     */
    Submitter(WorkerPool pool, Completion completion, int window, Duration sendLimit) {
        this.pool = pool;
        this.completion = completion;
        this.sendLimit = sendLimit;
        this.window = new Semaphore(window);
        AtomicInteger n = new AtomicInteger();
        this.senders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> Thread.ofPlatform().name("warmpool-send-" + n.incrementAndGet()).daemon().unstarted(r));
        this.guards = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().name("warmpool-send-deadline").daemon().unstarted(r));
        this.guards.setRemoveOnCancelPolicy(true);
    }

    /**
     * The send limit for a configuration: by then the pool has had its run deadline, the cancel
     * grace and the stop grace to end a request that was sent.
     *
     * @param runDeadline the request's run deadline
     * @param cancelGrace how long a worker may take to honour a cancel
     * @param stopGrace how long a worker may take to exit before it is killed
     * @return the limit
     */
    static Duration sendLimit(Duration runDeadline, Duration cancelGrace, Duration stopGrace) {
        return runDeadline.plus(cancelGrace).plus(stopGrace).plusSeconds(1);
    }

    /**
     * Submits a request on a sender thread. Blocks while the pool holds {@code window} requests.
     *
     * @param ticket the request's ticket
     * @param request the request
     * @return {@code false} if {@link #stop()} ran first: the request was not sent and the caller answers it
     */
    boolean submit(Ledger.Ticket ticket, Request<?> request) {
        try {
            while (!window.tryAcquire(ROOM_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (stopped) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (stopped) {
            window.release();
            return false;
        }
        ticket.sent();
        senders.execute(() -> send(ticket, request));
        return true;
    }

    private void send(Ledger.Ticket ticket, Request<?> request) {
        ScheduledFuture<?> guard = guards.schedule(() -> ticket.fail(Failure.timeout("no answer: sending the request "
                + "to a worker did not finish within " + Latencies.formatSeconds(sendLimit.toNanos() / 1e9) + " (the run deadline plus the "
                + "cancel and stop graces); a worker that does not read its input blocks the send")),
                sendLimit.toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture<?> future;
        try {
            future = submitUntilQueued(request);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        } finally {
            guard.cancel(false);
        }
        future.whenComplete((value, error) -> {
            try {
                completion.complete(ticket, value, error);
            } finally {
                window.release();
                synchronized (completions) {
                    completed++;
                    completions.notifyAll();
                }
            }
        });
    }

    /** Submits, and while the pool says its queue is full, waits for a completion and offers it again. */
    private CompletableFuture<?> submitUntilQueued(Request<?> request) {
        while (true) {
            long seen;
            synchronized (completions) {
                seen = completed;
            }
            CompletableFuture<?> f = pool.submit(request);
            if (stopped || !queueFull(f)) {
                return f;
            }
            synchronized (completions) {
                if (completed == seen) {
                    try {
                        completions.wait(ROOM_POLL_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return f;
                    }
                }
            }
        }
    }

    private static boolean queueFull(CompletableFuture<?> f) {
        if (!f.isCompletedExceptionally()) {
            return false;
        }
        return Failure.unwrap(f.exceptionNow()) instanceof PoolRejectedException r
                && r.reason() == PoolRejectedException.Reason.QUEUE_FULL;
    }

    /** Sends nothing more: a caller waiting for room returns {@code false}. */
    void stop() {
        stopped = true;
    }

    /** Stops the deadline timer; sender threads still blocked in a send end with the pool. */
    @Override
    public void close() {
        stopped = true;
        guards.shutdownNow();
        senders.shutdown();
    }
}
