package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.Request;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A caller waiting in {@code join()} reads its own answer from a {@code jsonrpc} worker's stdout
 * (no hand-off from the transport's reader thread); callers that do not wait that way, callbacks
 * and crashes still end every request. Which thread read an answer shows in which thread ran the
 * request's notification listener. Real worker processes throughout.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // join() ignores interrupts
class CallerReadsTest {
    private WarmPool pool;

    @BeforeEach
    void start() {
        pool = WarmPool.start(PoolConfig.builder().command(TestWorkers.java(EchoWorker.class)).size(1)
                .noShutdownHook().build());
    }

    @AfterEach
    void stop() {
        pool.shutdown(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants()
                .noneMatch(ProcessHandle::isAlive));
    }

    /** Sends {@code notify} with one progress notification; records the thread that delivered it. */
    private CompletableFuture<Object> notifyOnce(List<Thread> readers) {
        return pool.submit(Request.of("notify", Map.of("count", 1))
                .withListener(n -> readers.add(Thread.currentThread())));
    }

    private void joinSeveral(int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(List.of(i), pool.submit("echo", List.of(i)).join());
        }
    }

    @Test
    void aCallerWaitingInJoinReadsItsOwnAnswers() {
        List<Thread> readers = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            assertEquals(1, notifyOnce(readers).join());
        }
        assertEquals(20, readers.size());
        assertTrue(readers.contains(Thread.currentThread()),
                "no answer of 20 was read on the caller's thread: " + readers);
    }

    @Test
    void callersThatDoNotJoinGetTheirAnswersFromTheReaderThread() throws Exception {
        joinSeveral(10); // callers read their own answers now
        List<Thread> readers = new CopyOnWriteArrayList<>();
        // get() with a timeout never reads: the reader thread must notice the call and read it
        assertEquals(1, notifyOnce(readers).get(10, TimeUnit.SECONDS));
        List<CompletableFuture<Object>> async = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            async.add(notifyOnce(readers));
            async.get(i).get(10, TimeUnit.SECONDS);
        }
        for (CompletableFuture<Object> f : async) {
            assertEquals(1, f.join());
        }
        assertEquals(6, readers.size());
        assertTrue(readers.stream().noneMatch(t -> t == Thread.currentThread()), readers.toString());
        joinSeveral(3); // and back to the caller reading
    }

    @Test
    void aCallbackThatWaitsForTheNextRequestOnTheSameWorkerDoesNotDeadlock() {
        for (int round = 0; round < 5; round++) {
            int r = round;
            // size 1: the nested request goes to the worker whose answer the callback's thread is reading
            Object nested = pool.submit("echo", List.of("outer", r))
                    .thenApply(outer -> pool.submit("echo", List.of("inner", r)).join())
                    .join();
            assertEquals(List.of("inner", r), nested);
            joinSeveral(2);
        }
    }

    @Test
    void aWorkerThatDiesWhileItsCallerReadsFailsTheCallAndIsReplaced() {
        long pid = pool.workerPids().get(0);
        joinSeveral(5);
        CompletionException e = assertThrows(CompletionException.class,
                () -> pool.submit("exit", Map.of("code", 3)).join());
        WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, e.getCause());
        assertEquals(3, crash.exitCode());
        assertEquals(List.of("after"), pool.submit(Request.of("echo", List.of("after"))
                .withTimeout(Duration.ofSeconds(10))).join());
        assertNotEquals(pid, pool.workerPids().get(0));
    }

    @Test
    void joinAfterOrTimeoutReturnsAtThatTimeoutNotWhenTheWorkerAnswers() {
        joinSeveral(3);
        long start = System.nanoTime();
        CompletionException e = assertThrows(CompletionException.class, () -> pool.submit("sleep", Map.of("ms", 4000))
                .orTimeout(200, TimeUnit.MILLISECONDS).join());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
        // a caller sitting in read() would return only with the answer, 4 s later
        assertTrue(tookMillis < 3000, "join() returned after " + tookMillis + " ms");
    }

    @Test
    void healthPingsAfterCallersReadTheirAnswersAreAnswered() {
        joinSeveral(5);
        assertTrue(pool.healthCheck().healthy(), pool.healthCheck().toString());
        joinSeveral(2);
    }
}
