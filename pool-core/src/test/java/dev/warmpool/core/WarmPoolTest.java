package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.Notification;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.Request;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.testkit.BadWorker;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool end to end, with real worker processes. */
@Timeout(60)
class WarmPoolTest {
    private final List<WarmPool> pools = new ArrayList<>();

    private WarmPool start(PoolConfig.Builder b) {
        WarmPool pool = WarmPool.start(b.noShutdownHook().build());
        pools.add(pool);
        return pool;
    }

    private static PoolConfig.Builder echo(int size) {
        return PoolConfig.builder().command(TestWorkers.java(EchoWorker.class)).size(size).maxSize(Math.max(size, 10));
    }

    @AfterEach
    void noWorkerLeftBehind() {
        for (WarmPool p : pools) {
            p.shutdown(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants()
                .noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void healthPingsOfIdleWorkersDoNotChangeWhichWorkerServesNext() throws Exception {
        // most recently used first: the busy worker keeps serving while the idle one is pinged
        WarmPool pool = start(echo(2).healthCheckInterval(Duration.ofMillis(400)));
        long served = ((Number) pool.submit("pid", null).join()).longValue();
        long until = System.nanoTime() + Duration.ofMillis(2000).toNanos();
        while (System.nanoTime() < until) {
            Thread.sleep(20); // far below the interval: the serving worker is never due for a ping
            assertEquals(served, ((Number) pool.submit("pid", null).join()).longValue());
        }
        assertEquals(2, pool.workerPids().size());
    }

    @Test
    void threeWorkersAnswerAThousandRequestsFromEightThreadsWithoutSpawning() throws Exception {
        WarmPool pool = start(echo(3));
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(callers.submit(() -> {
                    for (int i = 0; i < 125; i++) {
                        String token = thread + ":" + i;
                        Object answer = pool.submit("echo", Map.of("token", token)).join();
                        assertEquals(Map.of("token", token), answer);
                        if (i % 25 == 0) {
                            pids.add(((Number) pool.submit("pid", null).join()).longValue());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            callers.shutdown();
        }
        PoolMetrics m = pool.metrics();
        assertEquals(3, m.totalSpawns(), "processes started");
        assertEquals(3, m.spawns().get(PoolMetrics.SpawnCause.INITIAL));
        assertEquals(1000 + 40, m.succeeded());
        assertEquals(1040, m.runTime().count());
        assertTrue(pids.size() <= 3 && !pids.isEmpty(), pids.toString());
        assertTrue(new HashSet<>(pool.workerPids()).containsAll(pids), pool.workerPids() + " vs " + pids);
    }

    @Test
    void lineTransportServesAnUnmodifiedProgram() {
        WarmPool pool = start(PoolConfig.builder().command("cat").transport("line").size(2));
        for (int i = 0; i < 50; i++) {
            assertEquals("line " + i, pool.submit("ignored", "line " + i).join());
        }
        assertEquals(2, pool.metrics().totalSpawns());
    }

    @Test
    void workerErrorsAreTypedAndKeepTheWorker() {
        WarmPool pool = start(echo(1));
        CompletionException e = assertThrows(CompletionException.class,
                () -> pool.submit("fail", Map.of("code", -32010, "message", "nope")).join());
        WorkerErrorException we = assertInstanceOf(WorkerErrorException.class, e.getCause());
        assertEquals(-32010, we.code());
        assertEquals(WorkerErrorException.Kind.SERVER_ERROR, we.kind());
        CompletionException missing = assertThrows(CompletionException.class, () -> pool.submit("nosuch", null).join());
        assertEquals(WorkerErrorException.Kind.METHOD_NOT_FOUND,
                assertInstanceOf(WorkerErrorException.class, missing.getCause()).kind());
        assertEquals(List.of("still here"), pool.submit("echo", List.of("still here")).join());
        assertEquals(1, pool.metrics().totalSpawns());
    }

    @Test
    void notificationsReachTheRequestAndThePool() {
        WarmPool pool = start(echo(1));
        List<Notification> perRequest = new CopyOnWriteArrayList<>();
        List<Notification> poolWide = new CopyOnWriteArrayList<>();
        pool.addNotificationListener(poolWide::add);
        pool.submit(Request.of("notify", Map.of("count", 3)).withListener(perRequest::add)).join();
        assertEquals(3, perRequest.size());
        assertEquals(3, poolWide.size());
        assertEquals("$/progress", perRequest.get(0).method());
    }

    @Test
    void aFullQueueIsRejectedAtOnceNamingTheLimit() {
        WarmPool pool = start(echo(1).maxQueueSize(2));
        List<CompletableFuture<Object>> held = new ArrayList<>();
        held.add(pool.submit("sleep", Map.of("ms", 1500)));
        held.add(pool.submit("sleep", Map.of("ms", 10)));
        held.add(pool.submit("sleep", Map.of("ms", 10)));
        CompletionException e = assertThrows(CompletionException.class, () -> pool.submit("echo", List.of(1)).join());
        PoolRejectedException r = assertInstanceOf(PoolRejectedException.class, e.getCause());
        assertEquals(PoolRejectedException.Reason.QUEUE_FULL, r.reason());
        assertTrue(r.getMessage().contains("maxQueueSize 2"), r.getMessage());
        assertTrue(r.getMessage().contains("maxQueueSize(int)"), r.getMessage());
        held.forEach(CompletableFuture::join);
        assertEquals(1, pool.metrics().rejected());
    }

    @Test
    void aRunDeadlineCancelsAndTheWorkerIsReused() {
        WarmPool pool = start(echo(1).requestTimeout(Duration.ofMillis(300)));
        CompletionException e = assertThrows(CompletionException.class,
                () -> pool.submit("sleep", Map.of("ms", 30_000)).join());
        RequestTimeoutException t = assertInstanceOf(RequestTimeoutException.class, e.getCause());
        assertEquals(RequestTimeoutException.Phase.RUN, t.phase());
        assertTrue(t.ran().toMillis() >= 300, t.getMessage());
        assertEquals(List.of("after"), pool.submit("echo", List.of("after")).join());
        assertEquals(1, pool.metrics().totalSpawns(), "the worker honoured the cancel and was kept");
    }

    @Test
    void aWorkerThatIgnoresCancelIsKilledAndReplaced() {
        WarmPool pool = start(PoolConfig.builder().command(TestWorkers.java(BadWorker.class, "hang")).size(1)
                .requestTimeout(Duration.ofMillis(300)).cancelGrace(Duration.ofMillis(200)));
        long firstPid = pool.workerPids().get(0);
        CompletionException e = assertThrows(CompletionException.class, () -> pool.submit("echo", List.of("x")).join());
        assertEquals(RequestTimeoutException.Phase.RUN,
                assertInstanceOf(RequestTimeoutException.class, e.getCause()).phase());
        await().atMost(Duration.ofSeconds(15)).until(() -> pool.metrics().spawns().get(PoolMetrics.SpawnCause.TIMEOUT) == 1
                && pool.metrics().idle() == 1);
        assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "the hung worker is gone");
    }

    @Test
    void aCrashFailsOnlyItsRequestAndTheQueueGoesOn() {
        WarmPool pool = start(echo(1));
        CompletableFuture<Object> doomed = pool.submit("exit", Map.of("code", 0));
        List<CompletableFuture<Object>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(pool.submit("echo", List.of(i)));
        }
        CompletionException e = assertThrows(CompletionException.class, doomed::join);
        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, e.getCause());
        assertEquals(0, c.exitCode(), "an exit with status 0 mid-request is a crash, not a result");
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(i), queued.get(i).join());
        }
        assertEquals(1, pool.metrics().spawns().get(PoolMetrics.SpawnCause.CRASH));
    }

    @Test
    void aMissingProgramFailsTheStartClearly() {
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> start(
                PoolConfig.builder().command("/nonexistent/warmpool-worker").size(2)));
        assertTrue(e.getMessage().startsWith("the pool could not start any of its 2 workers"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/warmpool-worker"), e.getMessage());
    }

    @Test
    void closeWithRequestsInFlightResolvesEveryFuture() {
        WarmPool pool = start(echo(2).requestTimeout(Duration.ofSeconds(30)));
        List<CompletableFuture<Object>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(pool.submit("sleep", Map.of("ms", 5_000)));
        }
        assertFalse(pool.shutdown(Duration.ofMillis(200)));
        for (CompletableFuture<Object> f : all) {
            CompletionException e = assertThrows(CompletionException.class, f::join);
            assertEquals(PoolRejectedException.Reason.SHUTDOWN,
                    assertInstanceOf(PoolRejectedException.class, e.getCause()).reason());
        }
        CompletionException after = assertThrows(CompletionException.class, () -> pool.submit("echo", List.of(1)).join());
        assertEquals(PoolRejectedException.Reason.SHUTDOWN,
                assertInstanceOf(PoolRejectedException.class, after.getCause()).reason());
        assertTrue(pool.workerPids().isEmpty());
    }

    @Test
    void shutdownWithinItsGraceKillsWorkersStillRunningARequestInsteadOfWaitingForThem() {
        WarmPool pool = start(echo(2));
        List<Long> pids = pool.workerPids();
        List<String> exits = new CopyOnWriteArrayList<>();
        pool.addListener(e -> {
            if (e.type() == dev.warmpool.api.PoolEvent.Type.WORKER_EXITED) {
                exits.add(e.detail());
            }
        });
        List<CompletableFuture<Object>> slow = List.of(pool.submit("sleep", Map.of("ms", 2_000)),
                pool.submit("sleep", Map.of("ms", 2_000)));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.metrics().busy() == 2);
        assertFalse(pool.shutdown(Duration.ofMillis(500)));
        for (CompletableFuture<Object> f : slow) {
            CompletionException e = assertThrows(CompletionException.class, f::join);
            assertEquals(PoolRejectedException.Reason.SHUTDOWN,
                    assertInstanceOf(PoolRejectedException.class, e.getCause()).reason());
        }
        // gone when shutdown returned: killed at the end of the grace, not left to finish their sleep
        assertTrue(pids.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)), pids.toString());
        assertEquals(List.of("exit status 137 (the pool shut down)", "exit status 137 (the pool shut down)"), exits,
                "SIGKILLed, not asked to finish their requests and exit");
        assertEquals(0, pool.metrics().succeeded());
    }

    @Test
    void scaleByHandGrowsAndShrinksWithoutFailingRequests() {
        WarmPool pool = start(PoolConfig.builder().command(TestWorkers.java(EchoWorker.class)).size(1).maxSize(4)
                .scalingInterval(Duration.ZERO));
        pool.scale(3);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.metrics().idle() == 3);
        List<CompletableFuture<Object>> inFlight = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inFlight.add(pool.submit("sleep", Map.of("ms", 200)));
        }
        pool.scale(1);
        inFlight.forEach(CompletableFuture::join);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.metrics().size() == 1);
        assertThrows(IllegalArgumentException.class, () -> pool.scale(5));
    }

    @Test
    void aTransportThatThrowsAnErrorFailsTheStartInsteadOfHanging() {
        // A fake transport is the clearest way to make start() throw an Error (a class missing at run time).
        Transport broken = new Transport() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public dev.warmpool.api.spi.Worker start(dev.warmpool.api.spi.WorkerSpec spec) {
                throw new NoClassDefFoundError("com/fasterxml/jackson/annotation/JsonView");
            }
        };
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> start(PoolConfig.builder().command("unused").transport(broken).size(2)));
        assertTrue(e.getMessage().contains("NoClassDefFoundError"), e.getMessage());
    }

    @Test
    void cancellingTheFutureCancelsTheRequestOnItsWorker() {
        WarmPool pool = start(echo(1));
        CompletableFuture<Object> slow = pool.submit("sleep", Map.of("ms", 30_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.metrics().busy() == 1);
        assertTrue(slow.cancel(true));
        assertTrue(slow.isCancelled());
        // The worker was asked to cancel, answered, and is free again: no kill, no respawn.
        assertEquals(List.of("free"), pool.submit("echo", List.of("free")).join());
        PoolMetrics m = pool.metrics();
        assertEquals(1, m.failed().get(PoolMetrics.Failure.ABORTED));
        assertEquals(1, m.totalSpawns());
        assertFalse(slow.cancel(true), "a request ends once");
    }

    @Test
    void leastRecentlyUsedDispatchSpreadsWorkOverEveryWorker() {
        WarmPool pool = start(echo(3).dispatchOrder(PoolConfig.DispatchOrder.LEAST_RECENTLY_USED));
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pids.add(((Number) pool.submit("pid", null).join()).longValue());
        }
        assertEquals(3, new HashSet<>(pids).size(), pids.toString());
        assertEquals(pids.subList(0, 3), pids.subList(3, 6), "round robin: " + pids);
        WarmPool mru = start(echo(3));
        Set<Long> mruPids = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            mruPids.add(((Number) mru.submit("pid", null).join()).longValue());
        }
        assertEquals(1, mruPids.size(), "one caller keeps one hot worker: " + mruPids);
    }
}
