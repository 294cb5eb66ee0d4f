package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.Notification;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.Request;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.core.WarmPool;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every example worker does, checked through a real {@link WarmPool} of two of its processes:
 * the Java, Python and Node workers answer the same methods the same way.
 */
abstract class ExampleWorkerContract {
    private static final int SIZE = 2;

    /** @return the argv that starts the worker under test */
    abstract List<String> command();

    private PoolConfig.Builder config() {
        return PoolConfig.builder()
                .command(command())
                .transport("jsonrpc")
                .size(SIZE)
                .minSize(SIZE) // a fixed size, so the spawn count is the pool's doing alone
                .maxSize(SIZE);
    }

    @AfterEach
    void noProcessLeftBehind() throws InterruptedException {
        Processes.assertNoDescendantsLeft();
    }

    @Test
    @Timeout(60)
    void answersEchoAndUpper() throws Exception {
        try (WarmPool pool = WarmPool.start(config().build())) {
            Map<String, Object> params = Map.of("n", 1, "list", Arrays.asList(1, "two", null, true), "text", "héllo ✓");
            assertEquals(params, get(pool.submit("echo", params)));
            assertEquals(List.of("a", 2), get(pool.submit("echo", List.of("a", 2))));
            assertNull(get(pool.submit("echo", null)));
            assertEquals("WARM POOL", get(pool.submit("upper", Map.of("text", "warm pool"))));
            for (int i = 0; i < 20; i++) {
                assertEquals("REQUEST " + i, get(pool.submit("upper", Map.of("text", "request " + i), String.class)));
            }
            assertEquals(SIZE, pool.metrics().totalSpawns(), "no process per request");
        }
    }

    @Test
    @Timeout(60)
    void reportsUnknownMethodsAndBadParamsAndStaysUp() throws Exception {
        try (WarmPool pool = WarmPool.start(config().build())) {
            WorkerErrorException unknown = failure(pool.submit("no-such-method", Map.of()), WorkerErrorException.class);
            assertEquals(WorkerErrorException.Kind.METHOD_NOT_FOUND, unknown.kind());
            assertEquals(-32601, unknown.code());

            for (Object bad : List.of(Map.of("text", 42), Map.of(), List.of("text"))) {
                WorkerErrorException e = failure(pool.submit("upper", bad), WorkerErrorException.class);
                assertEquals(WorkerErrorException.Kind.INVALID_PARAMS, e.kind(), "upper " + bad);
            }
            WorkerErrorException negative = failure(pool.submit("slow", Map.of("ms", -1)), WorkerErrorException.class);
            assertEquals(WorkerErrorException.Kind.INVALID_PARAMS, negative.kind());
            WorkerErrorException text = failure(pool.submit("slow", Map.of("ms", "soon")), WorkerErrorException.class);
            assertEquals(WorkerErrorException.Kind.INVALID_PARAMS, text.kind());

            assertEquals("STILL HERE", get(pool.submit("upper", Map.of("text", "still here"))));
            PoolMetrics m = pool.metrics();
            assertEquals(SIZE, m.totalSpawns(), "an error answer does not cost a worker");
            assertEquals(6, m.failed().get(Failure.WORKER_ERROR));
        }
    }

    @Test
    @Timeout(60)
    void slowIsCancelledAtTheRunDeadlineAndItsWorkerIsReused() throws Exception {
        PoolConfig config = config().requestTimeout(Duration.ofMillis(300)).build();
        try (WarmPool pool = WarmPool.start(config)) {
            long start = System.nanoTime();
            RequestTimeoutException e = failure(pool.submit("slow", Map.of("ms", 60_000)), RequestTimeoutException.class);
            assertEquals(RequestTimeoutException.Phase.RUN, e.phase());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "the deadline ended the request");

            // The worker answers the pool's $/cancelRequest with -32800 within the cancel grace (2 s)
            // and goes back to the idle set; a worker that ignored it would be killed and replaced.
            awaitIdle(pool, SIZE);
            PoolMetrics m = pool.metrics();
            assertEquals(SIZE, m.totalSpawns(), "the cancelled worker was reused, not replaced: " + m.spawns());
            assertEquals(0, m.spawns().get(SpawnCause.TIMEOUT));
            assertEquals(1, m.failed().get(Failure.RUN_TIMEOUT));

            for (int i = 0; i < 2 * SIZE; i++) {
                assertEquals(Map.of("sleptMs", 10), get(pool.submit("slow", Map.of("ms", 10))));
            }
            assertEquals(SIZE, pool.metrics().totalSpawns());
        }
    }

    @Test
    @Timeout(60)
    void slowReportsProgressToTheRequestsListener() throws Exception {
        try (WarmPool pool = WarmPool.start(config().build())) {
            List<Notification> received = new CopyOnWriteArrayList<>();
            Object result = get(pool.submit(Request.of("slow", Map.of("ms", 250)).withListener(received::add)));
            assertEquals(Map.of("sleptMs", 250), result);
            assertTrue(received.size() >= 2, "progress at the start and at the end at least: " + received);
            for (Notification n : received) {
                assertEquals("$/progress", n.method());
                Map<?, ?> params = assertInstanceOf(Map.class, n.params());
                assertTrue(params.containsKey("id") && params.containsKey("value"), "params: " + params);
            }
            assertEquals(Map.of("sleptMs", 250, "ms", 250), ((Map<?, ?>) received.getLast().params()).get("value"));
        }
    }

    @Test
    @Timeout(60)
    void speaksContentLengthFramingWhenThePoolAsksForIt() throws Exception {
        PoolConfig config = config().transportSetting("framing", "content-length").build();
        try (WarmPool pool = WarmPool.start(config)) {
            assertEquals("FRAMED", get(pool.submit("upper", Map.of("text", "framed"))));
            assertEquals(Map.of("a", List.of(1, 2)), get(pool.submit("echo", Map.of("a", List.of(1, 2)))));
            WorkerErrorException e = failure(pool.submit("nope", null), WorkerErrorException.class);
            assertEquals(WorkerErrorException.Kind.METHOD_NOT_FOUND, e.kind());
            assertEquals(SIZE, pool.metrics().totalSpawns());
        }
    }

    @Test
    @Timeout(60)
    void answersHealthChecks() {
        try (WarmPool pool = WarmPool.start(config().build())) {
            var report = pool.healthCheck();
            assertTrue(report.healthy(), report.toString());
            assertEquals(SIZE, report.workers().size(), report.toString());
            assertEquals(SIZE, pool.metrics().totalSpawns());
        }
    }

    private static Object get(CompletableFuture<?> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static <T extends Throwable> T failure(CompletableFuture<?> f, Class<T> type) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(type, e.getCause(), () -> "failed with " + e.getCause());
    }

    private static void awaitIdle(WarmPool pool, int idle) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            PoolMetrics m = pool.metrics();
            if (m.idle() == idle && m.busy() == 0 && m.starting() == 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the pool did not have " + idle + " idle workers within 10 s: " + pool.metrics());
    }
}
