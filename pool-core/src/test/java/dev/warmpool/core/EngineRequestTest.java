package dev.warmpool.core;

import static dev.warmpool.core.ScriptedPools.failure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.HealthReport;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolListener;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.Request;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.core.ScriptedTransport.OnCancel;
import dev.warmpool.core.ScriptedTransport.Reply;
import dev.warmpool.core.ScriptedTransport.ScriptedWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request path of the engine, driven by a scripted in-memory transport and a manual clock:
 * dispatch order, the queue and its limits, run deadlines, cancellation, how each kind of answer
 * is typed and counted, and which thread runs callbacks. No processes and no sleeps; a deadline
 * passes when the test moves the clock.
 */
@Timeout(30)
class EngineRequestTest {
    private final ScriptedPools pools = new ScriptedPools();

    @AfterEach
    void close() {
        pools.close();
    }

    private WarmPool start(PoolConfig.Builder b) {
        return pools.start(b);
    }

    /** @return the worker that has a call in flight, once there is exactly one */
    private ScriptedWorker busyWorker() {
        List<ScriptedWorker> busy = pools.transport.workers.stream().filter(w -> !w.unanswered().isEmpty()).toList();
        assertEquals(1, busy.size(), "workers with a call in flight: " + busy);
        return busy.get(0);
    }

    @Test
    void mostRecentlyUsedDispatchKeepsServingFromOneWorker() {
        WarmPool pool = start(pools.config(3));
        List<Object> served = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            served.add(pool.submit("who", null).join());
        }
        assertEquals(1, new HashSet<>(served).size(), served.toString());
    }

    @Test
    void leastRecentlyUsedDispatchTakesTurns() {
        WarmPool pool = start(pools.config(3).dispatchOrder(PoolConfig.DispatchOrder.LEAST_RECENTLY_USED));
        List<Object> served = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            served.add(pool.submit("who", null).join());
        }
        assertEquals(3, new HashSet<>(served.subList(0, 3)).size(), served.toString());
        assertEquals(served.subList(0, 3), served.subList(3, 6), served.toString());
    }

    @Test
    void queuedRequestsRunInOrderWhenTheWorkerFrees() {
        WarmPool pool = start(pools.config(1));
        CompletableFuture<Object> held = pool.submit("hang", null);
        List<String> order = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Object>> queued = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            queued.add(pool.submit(name, null).whenComplete((v, e) -> order.add(name)));
        }
        assertEquals(3, pool.metrics().queueDepth());
        ScriptedWorker w = busyWorker();
        w.answer(w.unanswered().get(0), new Reply.Value("released"));
        assertEquals("released", held.join());
        queued.forEach(CompletableFuture::join);
        assertEquals(List.of("a", "b", "c"), order);
        assertEquals(0, pool.metrics().queueDepth());
    }

    /** @return the name of the thread that sent a request queued behind one the worker then answers */
    private String senderOfAQueuedRequest() {
        WarmPool pool = start(pools.config(1));
        CompletableFuture<Object> held = pool.submit("hang", null);
        CompletableFuture<Object> queued = pool.submit("next", null);
        ScriptedWorker w = busyWorker();
        w.answer(w.unanswered().get(0), new Reply.Value("released"));
        assertEquals("released", held.join());
        assertEquals("w-1", queued.join());
        return w.callThreads.get(w.callThreads.size() - 1);
    }

    @Test
    void aQueuedRequestIsSentByTheThreadThatFreedAWorkerWhoseCallNeverBlocks() {
        pools.transport.callNeverBlocks();
        assertEquals("scripted-w-1-reader", senderOfAQueuedRequest());
    }

    @Test
    void aQueuedRequestIsHandedToAThreadOfThePoolWhenTheWorkersCallMayBlock() {
        String sender = senderOfAQueuedRequest();
        assertTrue(sender.startsWith("warmpool-send-"), sender);
    }

    @Test
    void aLongQueueOfRequestsThatFailAtOnceEndsEveryOneWithoutNestingSends() {
        pools.transport.callNeverBlocks().answer((w, c) -> c.method().equals("hang") ? new Reply.Hang()
                : new Reply.InvalidAtOnce("params of " + c.method() + " cannot be written"));
        WarmPool pool = start(pools.config(1).maxQueueSize(20_000));
        CompletableFuture<Object> held = pool.submit("hang", null);
        List<CompletableFuture<Object>> queued = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            queued.add(pool.submit("bad", null));
        }
        ScriptedWorker w = busyWorker();
        w.answer(w.unanswered().get(0), new Reply.Value("released"));
        assertEquals("released", held.join());
        for (CompletableFuture<Object> f : queued) {
            failure(IllegalArgumentException.class, f); // a StackOverflowError would have left some unended
        }
        assertEquals(1, pools.transport.workers.size(), "the caller's mistakes cost no worker");
    }

    @Test
    void aFullQueueRejectsAtOnceNamingTheLimitAndWhereItIsSet() {
        WarmPool pool = start(pools.config(1).maxQueueSize(2));
        pool.submit("hang", null);
        pool.submit("a", null);
        pool.submit("b", null);
        CompletableFuture<Object> turnedAway = pool.submit("c", null);
        assertTrue(turnedAway.isDone(), "rejected before submit returned");
        PoolRejectedException r = failure(PoolRejectedException.class, turnedAway);
        assertEquals(PoolRejectedException.Reason.QUEUE_FULL, r.reason());
        assertEquals("the queue is full: 2 requests are waiting (maxQueueSize 2); raise it with "
                + "PoolConfig.Builder.maxQueueSize(int), or add workers (maxSize 10)", r.getMessage());
        assertEquals(1, pool.metrics().rejected());
    }

    @Test
    void aQueuedRequestFailsWhenItsQueueDeadlinePassesAndNotBefore() {
        WarmPool pool = start(pools.config(1).queueTimeout(Duration.ofSeconds(1)));
        pool.submit("hang", null);
        CompletableFuture<Object> waiting = pool.submit("a", null);
        pools.advance(pool, Duration.ofMillis(999));
        assertFalse(waiting.isDone());
        pools.advance(pool, Duration.ofMillis(1));
        RequestTimeoutException e = failure(RequestTimeoutException.class, waiting);
        assertEquals(RequestTimeoutException.Phase.QUEUE, e.phase());
        assertEquals(Duration.ofSeconds(1), e.queued());
        assertEquals(Duration.ZERO, e.ran());
        assertEquals(1, pool.metrics().failed().get(Failure.QUEUE_TIMEOUT));
        assertEquals(0, pool.metrics().queueDepth());
    }

    @Test
    void aRunDeadlineFailsTheRequestAsksTheWorkerToCancelAndKillsItAfterTheGrace() {
        pools.transport.onCancel(OnCancel.IGNORE);
        WarmPool pool = start(pools.config(1).requestTimeout(Duration.ofSeconds(10)).cancelGrace(Duration.ofSeconds(2)));
        CompletableFuture<Object> r = pool.submit("hang", null);
        ScriptedWorker w = busyWorker();
        pools.advance(pool, Duration.ofMillis(9_999));
        assertFalse(r.isDone());
        pools.advance(pool, Duration.ofMillis(1));
        RequestTimeoutException e = failure(RequestTimeoutException.class, r);
        assertEquals(RequestTimeoutException.Phase.RUN, e.phase());
        assertEquals(Duration.ofSeconds(10), e.ran());
        await().until(() -> w.cancels.get() == 1);
        pools.advance(pool, Duration.ofMillis(1_999));
        assertEquals(List.of(), pools.details(PoolEvent.Type.WORKER_RETIRED), "not killed within the grace");
        pools.advance(pool, Duration.ofMillis(1));
        assertEquals(List.of("killed: it did not answer within the cancel grace of 2 s"),
                pools.details(PoolEvent.Type.WORKER_RETIRED));
        await().until(() -> w.kills.get() >= 1 && pool.metrics().idle() == 1);
        assertEquals(1, pool.metrics().spawns().get(SpawnCause.TIMEOUT));
        assertEquals(1, pool.metrics().failed().get(Failure.RUN_TIMEOUT));
        assertNotEquals(w.id(), pool.submit("who", null).join());
    }

    @Test
    void aWorkerThatAnswersTheCancelIsKeptAndItsCallerSeesTheTimeout() {
        WarmPool pool = start(pools.config(1).requestTimeout(Duration.ofSeconds(1)));
        CompletableFuture<Object> r = pool.submit("hang", null);
        ScriptedWorker w = busyWorker();
        pools.advance(pool, Duration.ofSeconds(1));
        failure(RequestTimeoutException.class, r);
        await().until(() -> pool.metrics().idle() == 1);
        assertEquals(w.id(), pool.submit("who", null).join());
        assertEquals(0, w.kills.get());
        assertEquals(1, pool.metrics().totalSpawns());
        assertEquals(0, pool.metrics().failed().get(Failure.WORKER_ERROR), "the cancel's answer is not counted twice");
    }

    @Test
    void aWorkerStuckInCancelDelaysNoOtherWorkersDeadlineNorDispatch() {
        pools.transport.onCancel(OnCancel.BLOCK_FOREVER);
        WarmPool pool = start(pools.config(3).cancelGrace(Duration.ofSeconds(5)));
        CompletableFuture<Object> first = pool.submit(Request.of("hang", null).withTimeout(Duration.ofSeconds(1)));
        ScriptedWorker stuck = busyWorker();
        CompletableFuture<Object> second = pool.submit(Request.of("hang", null).withTimeout(Duration.ofSeconds(2)));
        pools.advance(pool, Duration.ofSeconds(1));
        failure(RequestTimeoutException.class, first);
        await().until(() -> stuck.cancels.get() == 1); // its cancel() never returns from here on
        assertFalse(second.isDone());
        pools.advance(pool, Duration.ofSeconds(1)); // the housekeeper is not held up by the stuck cancel
        assertEquals(RequestTimeoutException.Phase.RUN, failure(RequestTimeoutException.class, second).phase());
        assertNotEquals(stuck.id(), pool.submit("who", null).join(), "dispatch goes on meanwhile");
        pools.advance(pool, Duration.ofSeconds(4)); // the first one's cancel grace ends
        await().until(() -> stuck.kills.get() >= 1);
        assertEquals(1, stuck.cancels.get());
        await().until(() -> pool.metrics().spawns().get(SpawnCause.TIMEOUT) >= 1);
    }

    @Test
    void cancellingAQueuedRequestTakesItOutOfTheQueueAndCountsItOnce() {
        WarmPool pool = start(pools.config(1));
        pool.submit("hang", null);
        CompletableFuture<Object> queued = pool.submit("a", null);
        assertTrue(queued.cancel(true));
        assertFalse(queued.cancel(true));
        assertEquals(0, pool.metrics().queueDepth());
        assertEquals(1, pool.metrics().failed().get(Failure.ABORTED));
    }

    @Test
    void cancellingARunningRequestAsksItsWorkerAndKeepsIt() {
        WarmPool pool = start(pools.config(1));
        CompletableFuture<Object> running = pool.submit("hang", null);
        ScriptedWorker w = busyWorker();
        assertTrue(running.cancel(true));
        await().until(() -> w.cancels.get() == 1 && pool.metrics().idle() == 1);
        assertEquals(w.id(), pool.submit("who", null).join());
        assertEquals(1, pool.metrics().failed().get(Failure.ABORTED));
        assertEquals(1, pool.metrics().completed() - pool.metrics().succeeded());
    }

    @Test
    void aCallersMistakeFailsWithItsIllegalArgumentExceptionCountedApartAndTheWorkerStays() {
        WarmPool pool = start(pools.config(1));
        IllegalArgumentException e = failure(IllegalArgumentException.class, pool.submit("invalid", new Object()));
        assertEquals("params of invalid cannot be written as JSON: no serializer for Object", e.getMessage());
        assertEquals(1, pool.metrics().failed().get(Failure.INVALID_REQUEST));
        assertEquals(0, pool.metrics().failed().get(Failure.ABORTED) + pool.metrics().failed().get(Failure.PROTOCOL));
        assertEquals("w-1", pool.submit("who", null).join());
        assertEquals(1, pool.metrics().totalSpawns());
    }

    @Test
    void aWorkerErrorKeepsTheWorkerAndAViolationReplacesIt() {
        WarmPool pool = start(pools.config(1));
        assertEquals(-32010, failure(WorkerErrorException.class, pool.submit("fail", null)).code());
        assertEquals("w-1", pool.submit("who", null).join());
        failure(ProtocolException.class, pool.submit("violate", null));
        await().until(() -> pool.metrics().spawns().get(SpawnCause.PROTOCOL) == 1 && pool.metrics().idle() == 1);
        assertEquals("w-2", pool.submit("who", null).join());
        assertEquals(1, pool.metrics().failed().get(Failure.WORKER_ERROR));
        assertEquals(1, pool.metrics().failed().get(Failure.PROTOCOL));
    }

    @Test
    void withoutACallbackExecutorACallbackWaitingForTheSameWorkerWaitsUntilTheRunDeadline() {
        WarmPool pool = start(pools.config(1).requestTimeout(Duration.ofSeconds(5)));
        CompletableFuture<Object> outer = pool.submit("hang", null);
        // attached before the answer: it runs on w-1's reader thread, which then cannot deliver the inner answer
        CompletableFuture<Object> nested = outer.thenApply(o -> pool.submit("inner", null).join());
        ScriptedWorker w = busyWorker();
        w.answer(w.unanswered().get(0), new Reply.Value("outer"));
        await().until(() -> pool.metrics().completed() == 1 && pool.metrics().busy() == 1);
        assertFalse(nested.isDone());
        pools.advance(pool, Duration.ofSeconds(5)); // the inner request's deadline ends the wait
        assertEquals(RequestTimeoutException.Phase.RUN, failure(RequestTimeoutException.class, nested).phase());
    }

    @Test
    void withACallbackExecutorACallbackCanWaitForTheNextRequestOfTheSameWorker() {
        ExecutorService callbacks = Executors.newCachedThreadPool();
        try {
            WarmPool pool = start(pools.config(1).callbackExecutor(callbacks));
            for (int round = 0; round < 5; round++) {
                assertEquals("w-1", pool.submit("outer", null).thenApply(o -> pool.submit("inner", null).join()).join());
            }
        } finally {
            callbacks.shutdown();
        }
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        WarmPool pool = start(pools.config(1));
        List<PoolEvent> heard = new CopyOnWriteArrayList<>();
        PoolListener l = heard::add;
        pool.addListener(l);
        pool.scale(2);
        await().until(() -> pool.metrics().idle() == 2);
        int before = heard.size();
        assertTrue(before > 0);
        assertTrue(pool.removeListener(l));
        assertFalse(pool.removeListener(l));
        pool.scale(1);
        await().until(() -> pool.metrics().size() == 1);
        assertEquals(before, heard.size());
        dev.warmpool.api.NotificationListener n = x -> { };
        pool.addNotificationListener(n);
        assertTrue(pool.removeNotificationListener(n));
        assertFalse(pool.removeNotificationListener(n));
    }

    @Test
    void aHealthReportShowsEachBusyWorkersRequestWithItsAgeAndDeadline() {
        WarmPool pool = start(pools.config(2).requestTimeout(Duration.ofSeconds(60)));
        pool.submit("hang", null);
        pools.advance(pool, Duration.ofSeconds(3));
        HealthReport report = pool.healthCheck();
        assertTrue(report.healthy(), report.toString());
        HealthReport.WorkerHealth busy = report.workers().stream()
                .filter(w -> w.state() == HealthReport.State.BUSY).findFirst().orElseThrow();
        HealthReport.RunningRequest r = busy.request().orElseThrow();
        assertEquals(new HealthReport.RunningRequest("hang", Duration.ofSeconds(3), Duration.ofSeconds(60)), r);
        assertEquals(Duration.ofSeconds(57), r.remaining());
        assertEquals(1, report.workers().stream().filter(w -> w.state() == HealthReport.State.IDLE).count());
    }

    @Test
    void healthAndMetricsPlaceWorkersOfATransportWithoutHostsOnTheLocalHostBusyAndIdleAlike() {
        WarmPool pool = start(pools.config(2).requestTimeout(Duration.ofSeconds(60)));
        pool.submit("hang", null);
        HealthReport report = pool.healthCheck();
        assertEquals(List.of(Optional.of("local"), Optional.of("local")),
                report.workers().stream().map(HealthReport.WorkerHealth::host).toList(), report.toString());
        assertEquals(Map.of("local", 2), pool.metrics().workersByHost());
    }
}
