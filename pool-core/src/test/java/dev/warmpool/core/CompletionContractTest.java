package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.Request;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a caller of a real {@code jsonrpc} pool sees of a request's future: {@code join()},
 * {@code get()} and callbacks see one outcome, completed once; by default callbacks run on the
 * transport's reader thread, with a callback executor they run there instead, and a callback that
 * waits for the next request then does not deadlock; the caller's own timeouts work. Real worker
 * processes throughout. (The same contract without processes, with a manual clock: {@link EngineRequestTest}.)
 */
@Timeout(60)
class CompletionContractTest {
    private final List<WarmPool> pools = new ArrayList<>();
    private final ExecutorService callbacks = Executors.newCachedThreadPool(r -> new Thread(r, "test-callbacks"));

    private WarmPool start(PoolConfig.Builder b) {
        WarmPool pool = WarmPool.start(b.command(TestWorkers.java(EchoWorker.class)).size(1).noShutdownHook().build());
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void stop() {
        pools.forEach(p -> p.shutdown(Duration.ofSeconds(5)));
        callbacks.shutdown();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants()
                .noneMatch(ProcessHandle::isAlive));
    }

    private static void joinSeveral(WarmPool pool, int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(List.of(i), pool.submit("echo", List.of(i)).join());
        }
    }

    @Test
    void joinGetAndACallbackSeeTheSameResult() throws Exception {
        WarmPool pool = start(PoolConfig.builder());
        for (int i = 0; i < 20; i++) {
            AtomicReference<Object> seen = new AtomicReference<>();
            CompletableFuture<Object> f = pool.submit("echo", List.of(i));
            CompletableFuture<Void> callback = f.thenAccept(seen::set);
            Object joined = f.join();
            assertEquals(List.of(i), joined);
            assertSame(joined, f.get());
            callback.join();
            assertSame(joined, seen.get());
        }
    }

    @Test
    void joinGetAndACallbackSeeTheSameFailure() {
        WarmPool pool = start(PoolConfig.builder());
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CompletableFuture<Object> f = pool.submit("fail", Map.of("code", -32010, "message", "nope"));
        CompletableFuture<Object> callback = f.whenComplete((v, e) -> seen.set(e));
        Throwable joined = assertThrows(CompletionException.class, f::join).getCause();
        assertInstanceOf(WorkerErrorException.class, joined);
        assertSame(joined, assertThrows(ExecutionException.class, f::get).getCause());
        assertThrows(CompletionException.class, callback::join);
        assertSame(joined, seen.get());
    }

    @Test
    void byDefaultCallbacksAndNotificationsRunOnTheTransportsReaderThread() {
        WarmPool pool = start(PoolConfig.builder());
        List<String> notified = new CopyOnWriteArrayList<>();
        List<String> calledBack = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            pool.submit(Request.of("notify", Map.of("count", 1))
                    .withListener(n -> notified.add(Thread.currentThread().getName()))).join();
            CompletableFuture<Object> f = pool.submit("sleep", Map.of("ms", 50));
            Thread attaching = Thread.currentThread();
            AtomicReference<Boolean> duringAttach = new AtomicReference<>(true);
            CompletableFuture<Void> cb = f.thenRun(() -> {
                // a stage attached to a future that is already complete runs on the attaching thread
                if (!(Thread.currentThread() == attaching && duringAttach.get())) {
                    calledBack.add(Thread.currentThread().getName());
                }
            });
            duringAttach.set(false);
            cb.join();
        }
        assertEquals(List.of("warmpool-jsonrpc-w-1-reader"), notified.stream().distinct().toList(), notified.toString());
        assertFalse(calledBack.isEmpty(), "every answer came back before its callback was attached");
        assertEquals(List.of("warmpool-jsonrpc-w-1-reader"), calledBack.stream().distinct().toList(), calledBack.toString());
    }

    @Test
    void withACallbackExecutorCallbacksRunThere() {
        WarmPool pool = start(PoolConfig.builder().callbackExecutor(callbacks));
        for (int i = 0; i < 5; i++) {
            // a request that takes a while, so that the stage is attached before the answer completes the
            // future (a stage attached to a completed future runs on the attaching thread, whatever the pool)
            assertEquals("test-callbacks", pool.submit("sleep", Map.of("ms", 200))
                    .thenApply(v -> Thread.currentThread().getName()).join());
        }
    }

    @Test
    void aCallbackThatWaitsForTheNextRequestOnTheSameWorkerDoesNotDeadlockWithACallbackExecutor() {
        WarmPool pool = start(PoolConfig.builder().callbackExecutor(callbacks));
        for (int round = 0; round < 5; round++) {
            int r = round;
            // size 1: the nested request goes to the worker whose answer completed the outer one
            Object nested = pool.submit("echo", List.of("outer", r))
                    .thenApply(outer -> pool.submit("echo", List.of("inner", r)).join())
                    .join();
            assertEquals(List.of("inner", r), nested);
            joinSeveral(pool, 2);
        }
    }

    @Test
    void aWorkerThatDiesFailsTheCallAndIsReplaced() {
        WarmPool pool = start(PoolConfig.builder());
        long pid = pool.workerPids().get(0);
        joinSeveral(pool, 5);
        CompletionException e = assertThrows(CompletionException.class,
                () -> pool.submit("exit", Map.of("code", 3)).join());
        WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, e.getCause());
        assertEquals(3, crash.exitCode());
        assertEquals(List.of("after"), pool.submit(Request.of("echo", List.of("after"))
                .withTimeout(Duration.ofSeconds(10))).join());
        assertNotEquals(pid, pool.workerPids().get(0));
    }

    @Test
    void joinAfterOrTimeoutReturnsAtThatTimeoutWhileTheRequestRunsOn() {
        WarmPool pool = start(PoolConfig.builder());
        joinSeveral(pool, 3);
        CompletableFuture<Object> slow = pool.submit("sleep", Map.of("ms", 4000));
        CompletionException e = assertThrows(CompletionException.class,
                () -> slow.orTimeout(200, TimeUnit.MILLISECONDS).join());
        assertInstanceOf(TimeoutException.class, e.getCause());
        // join() returned at the caller's timeout: the worker is still running the request
        assertEquals(1, pool.metrics().busy());
        assertEquals(3, pool.metrics().completed());
    }

    @Test
    void healthPingsBetweenRequestsAreAnswered() {
        WarmPool pool = start(PoolConfig.builder());
        joinSeveral(pool, 5);
        assertTrue(pool.healthCheck().healthy(), pool.healthCheck().toString());
        joinSeveral(pool, 2);
    }
}
