package dev.warmpool.cli;

import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.Request;
import dev.warmpool.api.WorkerPool;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands the requests of {@code warmpool run} to the pool from a thread of its own, so the thread
 * that reads the input is never the one that blocks when a send cannot finish (a worker that
 * stops reading its stdin fills the pipe, and a write to it blocks until the worker is killed).
 *
 * <p>One dispatcher thread submits the requests in input order. A submit that has not returned
 * within {@link #STALL} is taken to be stuck in a write: a new dispatcher takes over the rest of
 * the queue while the old thread stays with its send, and ends when that returns. So there is one
 * sender thread, plus one for each send that is stuck at the moment. A request whose submit has not
 * returned within the <em>send limit</em> (the run deadline plus the cancel and stop graces and a
 * second, by which the pool has killed a worker that passed its deadline) is answered
 * {@code timeout} by the command; if the pool answers it later, that answer is dropped (each
 * request is answered once).
 *
 * <p>Back-pressure: at most {@code window} requests are in the pool at once (the queue limit plus
 * the most workers), so reading pauses while the pool is full; a request the pool still turns away
 * as queue-full is offered again when another completes (the dispatcher keeps its place in line
 * meanwhile).
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

    /**
     * How long a submit may take before the next request goes to a new dispatcher. A submit that
     * does not block takes microseconds; a garbage collection may cost an extra thread, never an
     * answer.
     */
    static final Duration STALL = Duration.ofMillis(200);

    private static final long POLL_MILLIS = 50;

    /** A request waiting to be submitted. */
    private record Job(Ledger.Ticket ticket, Request<?> request) {
    }

    private final WorkerPool pool;
    private final Completion completion;
    private final Duration sendLimit;
    private final Semaphore window;
    private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final ScheduledThreadPoolExecutor timers;
    private final AtomicInteger threads = new AtomicInteger();
    private final Object completions = new Object();
    private long completed;
    /** The thread that takes the next job; a dispatcher that is no longer it ends after its send. */
    private volatile Thread dispatcher;
    private volatile boolean stopped;
    private volatile boolean closed;

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
        this.timers = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().name("warmpool-send-timer").daemon().unstarted(r));
        this.timers.setRemoveOnCancelPolicy(true);
        newDispatcher();
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
     * Queues a request for the dispatcher. Blocks while the pool holds {@code window} requests.
     *
     * @param ticket the request's ticket
     * @param request the request
     * @return {@code false} if {@link #stop()} ran first: the request was not sent and the caller answers it
     */
    boolean submit(Ledger.Ticket ticket, Request<?> request) {
        try {
            while (!window.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
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
        jobs.add(new Job(ticket, request));
        return true;
    }

    /** @return how many sender threads have been started: one, plus one per send that stalled */
    int threadsStarted() {
        return threads.get();
    }

    private void newDispatcher() {
        Thread t = Thread.ofPlatform().name("warmpool-send-" + threads.incrementAndGet()).daemon().unstarted(this::dispatch);
        dispatcher = t;
        t.start();
    }

    private void dispatch() {
        Thread me = Thread.currentThread();
        while (dispatcher == me && !closed) {
            Job job;
            try {
                job = jobs.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job != null) {
                send(job, me);
            }
        }
    }

    private void send(Job job, Thread me) {
        ScheduledFuture<?> limit = timers.schedule(() -> job.ticket().fail(Failure.timeout("no answer: sending the "
                + "request to a worker did not finish within " + RunHelp.seconds(sendLimit) + " (the run deadline "
                + "plus the cancel and stop graces); a worker that does not read its input blocks the send")),
                sendLimit.toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture<?> future;
        try {
            future = submitUntilQueued(job.request(), me);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        } finally {
            limit.cancel(false);
        }
        future.whenComplete((value, error) -> {
            try {
                completion.complete(job.ticket(), value, error);
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
    private CompletableFuture<?> submitUntilQueued(Request<?> request, Thread me) {
        while (true) {
            long seen;
            synchronized (completions) {
                seen = completed;
            }
            CompletableFuture<?> f = watched(request, me);
            if (stopped || !queueFull(f)) {
                return f;
            }
            synchronized (completions) {
                if (completed == seen) {
                    try {
                        completions.wait(POLL_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return f;
                    }
                }
            }
        }
    }

    /** One submit, with a new dispatcher taking over if it does not return within {@link #STALL}. */
    private CompletableFuture<?> watched(Request<?> request, Thread me) {
        ScheduledFuture<?> stall = timers.schedule(() -> {
            synchronized (this) {
                if (dispatcher == me && !closed) {
                    newDispatcher();
                }
            }
        }, STALL.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return pool.submit(request);
        } finally {
            stall.cancel(false);
        }
    }

    private static boolean queueFull(CompletableFuture<?> f) {
        if (!f.isCompletedExceptionally()) {
            return false;
        }
        return Failure.unwrap(f.exceptionNow()) instanceof PoolRejectedException r
                && r.reason() == PoolRejectedException.Reason.QUEUE_FULL;
    }

    /**
     * Takes no more requests: a caller waiting for room returns {@code false}. Those queued are still
     * submitted (a stopping pool answers them rejected).
     */
    void stop() {
        stopped = true;
    }

    /**
     * Stops the dispatcher and the timers. Requests still queued are answered rejected (there are
     * none once every ticket is answered); sender threads blocked in a send end with the pool.
     */
    @Override
    public void close() {
        stopped = true;
        closed = true;
        Job left;
        while ((left = jobs.poll()) != null) {
            left.ticket().fail(Failure.rejected("not sent: warmpool run ended before the request reached the pool"));
        }
        timers.shutdownNow();
    }
}
