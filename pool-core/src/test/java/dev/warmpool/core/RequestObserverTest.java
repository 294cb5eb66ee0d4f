package dev.warmpool.core;

import static dev.warmpool.core.ScriptedPools.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.RequestObserver;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.core.ScriptedTransport.Reply;
import dev.warmpool.core.ScriptedTransport.ScriptedWorker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RequestObserver}s on a scripted pool with a manual clock: each request that ends is
 * reported once, with its exact queue wait and run time and the outcome the metrics count, before
 * its caller sees it; a removed observer hears nothing more; one that throws does not stop a request.
 */
@Timeout(30)
class RequestObserverTest {
    private final ScriptedPools pools = new ScriptedPools();

    @AfterEach
    void close() {
        pools.close();
    }

    /** One report, as the observer received it; {@code outcome} is {@code success} or the failure. */
    record Seen(String method, long waitNanos, long runNanos, String outcome) {
        static Seen ok(String method, Duration wait, Duration run) {
            return new Seen(method, wait.toNanos(), run.toNanos(), "success");
        }

        static Seen failed(String method, Duration wait, long runNanos, Failure f) {
            return new Seen(method, wait.toNanos(), runNanos, f.name());
        }
    }

    /** Records what it is told. */
    static final class Recorder implements RequestObserver {
        final List<Seen> seen = new CopyOnWriteArrayList<>();

        @Override
        public void succeeded(String method, long queueWaitNanos, long runNanos) {
            seen.add(new Seen(method, queueWaitNanos, runNanos, "success"));
        }

        @Override
        public void failed(String method, long queueWaitNanos, long runNanos, Failure failure) {
            seen.add(new Seen(method, queueWaitNanos, runNanos, failure.name()));
        }

        Seen last() {
            return seen.get(seen.size() - 1);
        }
    }

    private ScriptedWorker onlyWorker() {
        assertEquals(1, pools.transport.workers.size());
        return pools.transport.workers.get(0);
    }

    @Test
    void eachEndedRequestIsReportedOnceWithItsQueueWaitRunTimeAndOutcomeBeforeItsCallerSeesIt() {
        WarmPool pool = pools.start(pools.config(1).maxQueueSize(1).queueTimeout(Duration.ofSeconds(30)));
        Recorder r = new Recorder();
        pool.addRequestObserver(r);

        CompletableFuture<Object> held = pool.submit("hang", null);
        pools.ticker.advance(Duration.ofSeconds(2));
        CompletableFuture<Object> queued = pool.submit("next", null);
        failure(PoolRejectedException.class, pool.submit("turnedAway", null)); // the queue of one is full
        assertEquals(List.of(Seen.failed("turnedAway", Duration.ZERO, RequestObserver.NOT_RUN, Failure.REJECTED)),
                r.seen);

        pools.ticker.advance(Duration.ofSeconds(3));
        ScriptedWorker w = onlyWorker();
        w.answer(w.unanswered().get(0), new Reply.Value("released"));
        assertEquals("released", held.join());
        assertEquals("w-1", queued.join()); // sent when the worker freed, 3 s after it was submitted
        // no waiting: each was reported before its future completed
        assertEquals(List.of(Seen.ok("hang", Duration.ZERO, Duration.ofSeconds(5)),
                Seen.ok("next", Duration.ofSeconds(3), Duration.ZERO)), r.seen.subList(1, 3));

        failure(WorkerErrorException.class, pool.submit("fail", null));
        assertEquals(Seen.failed("fail", Duration.ZERO, 0, Failure.WORKER_ERROR), r.last());

        CompletableFuture<Object> busy = pool.submit("hang", null);
        CompletableFuture<Object> timesOut = pool.submit("late", null);
        pools.advance(pool, Duration.ofSeconds(30));
        failure(RequestTimeoutException.class, timesOut);
        assertEquals(Seen.failed("late", Duration.ofSeconds(30), RequestObserver.NOT_RUN, Failure.QUEUE_TIMEOUT),
                r.last());

        CompletableFuture<Object> cancelled = pool.submit("queuedThenCancelled", null);
        pools.ticker.advance(Duration.ofSeconds(1));
        assertTrue(cancelled.cancel(true));
        assertEquals(Seen.failed("queuedThenCancelled", Duration.ofSeconds(1), RequestObserver.NOT_RUN,
                Failure.ABORTED), r.last());
        assertTrue(busy.cancel(true));
        assertEquals(Seen.failed("hang", Duration.ZERO, Duration.ofSeconds(31).toNanos(), Failure.ABORTED), r.last());

        assertEquals(pool.metrics().submitted(), r.seen.size(), "one report per request: " + r.seen);
    }

    @Test
    void aRemovedObserverHearsNothingMoreAndOneThatThrowsDoesNotStopTheRequest() {
        WarmPool pool = pools.start(pools.config(1));
        Recorder kept = new Recorder();
        Recorder removed = new Recorder();
        RequestObserver throwing = new RequestObserver() {
            @Override
            public void succeeded(String method, long queueWaitNanos, long runNanos) {
                throw new IllegalStateException("broken observer");
            }

            @Override
            public void failed(String method, long queueWaitNanos, long runNanos, Failure failure) {
                throw new IllegalStateException("broken observer");
            }
        };
        pool.addRequestObserver(throwing);
        pool.addRequestObserver(removed);
        pool.addRequestObserver(kept);
        assertEquals("w-1", pool.submit("first", null).join());

        assertTrue(pool.removeRequestObserver(removed));
        assertFalse(pool.removeRequestObserver(removed), "it was removed already");
        assertEquals("w-1", pool.submit("second", null).join());
        failure(WorkerErrorException.class, pool.submit("fail", null));

        assertEquals(List.of("first"), removed.seen.stream().map(Seen::method).toList());
        assertEquals(List.of("first", "second", "fail"), kept.seen.stream().map(Seen::method).toList());
    }
}
