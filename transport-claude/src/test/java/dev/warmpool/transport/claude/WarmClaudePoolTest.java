package dev.warmpool.transport.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.api.HealthReport;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.core.WarmPool;
import dev.warmpool.transport.claude.testing.ClaudeCliLocator;
import dev.warmpool.transport.claude.testing.FakeMessagesApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original listener's use, end to end: a real {@link WarmPool} of two warm {@code claude}
 * workers (the transport found by name through {@link java.util.ServiceLoader}), the real Claude
 * Code CLI, handlers in the project's {@code .claude/commands}, and a {@link FakeMessagesApi} on
 * loopback in place of the Messages API. Events go in as {@code execute_handler} requests and come
 * back as the map the listener expected from {@code claude -p}: {@code success}, {@code output},
 * {@code stderr}, ….
 *
 * <p>The CLI's whole environment is given explicitly (nothing but {@code PATH} is inherited): a
 * temporary {@code HOME}, a dummy API key, the fake's URL,
 * {@code CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1} and {@code DISABLE_AUTOUPDATER=1}, so nothing it
 * does leaves loopback, and {@code CLAUDE_CODE_MAX_RETRIES=0}, so an API error ends the turn at once.
 *
 * <p>Skipped, saying why, when the CLI is not installed: see {@link ClaudeCliLocator}.
 */
class WarmClaudePoolTest {
    private static final Optional<Path> CLAUDE = ClaudeCliLocator.find();

    @TempDir
    Path home;
    @TempDir
    Path project;

    private FakeMessagesApi api;
    private WarmPool pool;

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeTrue(CLAUDE.isPresent(), ClaudeCliLocator::notFound);
        api = new FakeMessagesApi();
        Path commands = Files.createDirectories(project.resolve(".claude/commands"));
        Files.writeString(commands.resolve("triage.md"), "---\ndescription: triages an event\n---\n"
                + "Triage this event: $ARGUMENTS\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (pool != null) {
                pool.close();
            }
        } finally {
            if (api != null) {
                api.close();
            }
        }
        if (pool != null) {
            assertNoProcessLeft();
        }
    }

    /** Every CLI the pool started has exited: the test JVM has no child process left. */
    private static void assertNoProcessLeft() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left = List.of();
        while (System.nanoTime() < end) {
            left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        assertEquals(List.of(), left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList(),
                "processes left after the pool was closed");
    }

    private WarmPool startPool() {
        PoolConfig.Builder builder = PoolConfig.builder()
                .transport("claude")
                .command(CLAUDE.orElseThrow().toString())
                .directory(project)
                .inheritEnvironment("PATH");
        api.claudeEnvironment(home).forEach(builder::environment);
        PoolConfig config = builder
                .size(2)
                .minSize(2)
                .maxSize(2)
                .startTimeout(Duration.ofSeconds(60))
                .requestTimeout(Duration.ofSeconds(60))
                .shutdownGrace(Duration.ofSeconds(10))
                .noShutdownHook()
                .build();
        long t0 = System.nanoTime();
        pool = WarmPool.start(config);
        System.out.printf("pool of 2 claude workers ready after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        return pool;
    }

    private static Map<String, Object> event(int n) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", n);
        event.put("kind", "push");
        return Map.of("handler_name", "triage", "event", event);
    }

    /** @return the pool's own future (cancelling it cancels the request) */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private CompletableFuture<Map<String, Object>> submit(int n) {
        return (CompletableFuture) pool.submit("execute_handler", event(n), Map.class);
    }

    /** The text the CLI sends to the API for event {@code n}: the handler's body with the event as its argument. */
    private static String expanded(int n) {
        return "Triage this event: {\"id\":" + n + ",\"kind\":\"push\"}";
    }

    private static String allUserText(JsonNode request) {
        return String.join("\n", FakeMessagesApi.userTexts(request).stream().flatMap(List::stream).toList());
    }

    private static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS)).getCause();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    /** Waits until {@code n} requests reached the fake API since the last wait. */
    private void awaitRequests(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            assertTrue(api.awaitRequest(60), "request " + (i + 1) + " of " + n + " reached the fake API");
        }
    }

    private static void assertSucceeded(Map<String, Object> result) {
        assertEquals(true, result.get("success"), result.toString());
        assertEquals(false, result.get("is_error"), result.toString());
        assertTrue(((String) result.get("output")).startsWith("fake answer "), result.toString());
        assertInstanceOf(String.class, result.get("stderr"), result.toString());
    }

    @Test
    @Timeout(180)
    void eventsGoThroughTwoWarmWorkersEachInAFreshConversation() throws Exception {
        startPool();
        assertEquals(2, pool.workerPids().size());
        HealthReport health = pool.healthCheck();
        assertTrue(health.healthy(), health.toString());

        // all at once: the pool queues them and the two workers take turns
        List<CompletableFuture<Map<String, Object>>> futures = new ArrayList<>();
        for (int n = 0; n < 6; n++) {
            futures.add(submit(n));
        }
        for (CompletableFuture<Map<String, Object>> f : futures) {
            assertSucceeded(get(f));
        }
        // and one after the other, as events arrive
        for (int n = 6; n < 10; n++) {
            assertSucceeded(get(submit(n)));
        }

        PoolMetrics m = settledMetrics();
        assertEquals(2, m.totalSpawns(), m.toString());
        assertEquals(2, m.spawns().get(SpawnCause.INITIAL));
        assertEquals(10, m.succeeded(), m.toString());
        assertEquals(2, pool.workerPids().size());

        // each event reached the API once, alone: no earlier user message and no earlier answer
        List<JsonNode> requests = api.requests();
        assertEquals(10, requests.size());
        for (int n = 0; n < 10; n++) {
            int event = n;
            List<JsonNode> carrying = requests.stream().filter(r -> allUserText(r).contains(expanded(event))).toList();
            assertEquals(1, carrying.size(), "requests carrying event " + n);
            JsonNode r = carrying.get(0);
            assertEquals(1, FakeMessagesApi.userTexts(r).size(), "user messages in the request for event " + n);
            assertEquals(0, FakeMessagesApi.assistantMessages(r), "earlier answers in the request for event " + n);
        }
    }

    @Test
    @Timeout(180)
    void anApiErrorIsAWorkerErrorAndThePoolKeepsServing() throws Exception {
        startPool();
        assertSucceeded(get(submit(0)));

        api.mode(FakeMessagesApi.Mode.SERVER_ERROR_500);
        WorkerErrorException e500 = assertInstanceOf(WorkerErrorException.class, failure(submit(1)));
        api.mode(FakeMessagesApi.Mode.OVERLOADED_529);
        WorkerErrorException e529 = assertInstanceOf(WorkerErrorException.class, failure(submit(2)));
        api.mode(FakeMessagesApi.Mode.OK);
        List<CompletableFuture<Map<String, Object>>> after = List.of(submit(3), submit(4), submit(5));
        for (CompletableFuture<Map<String, Object>> f : after) {
            assertSucceeded(get(f));
        }

        assertEquals(ClaudeTransport.TURN_FAILED, e500.code());
        assertTrue(e500.getMessage().contains("500"), e500.getMessage());
        Map<?, ?> data = (Map<?, ?>) e500.data().orElseThrow();
        assertEquals(false, data.get("success"));
        assertEquals(true, data.get("is_error"));
        assertEquals(ClaudeTransport.TURN_FAILED, e529.code());
        assertTrue(e529.getMessage().contains("529"), e529.getMessage());
        PoolMetrics m = settledMetrics();
        assertEquals(2, m.totalSpawns(), "no worker was replaced: " + m);
        assertEquals(2, m.failed().get(Failure.WORKER_ERROR), m.toString());
        assertEquals(4, m.succeeded(), m.toString());
        // the failed turns were cleared away with the rest: no later request carries their events
        for (JsonNode r : api.requests().subList(3, 6)) {
            assertFalse(allUserText(r).contains(expanded(1)) || allUserText(r).contains(expanded(2)),
                    allUserText(r));
        }
    }

    @Test
    @Timeout(180)
    void aWorkerKilledMidTurnFailsItsRequestAndIsReplaced() throws Exception {
        startPool();
        List<Long> pids = pool.workerPids();
        assertEquals(2, pids.size());
        Map<String, Long> pidOf = new HashMap<>();
        for (HealthReport.WorkerHealth w : pool.healthCheck().workers()) {
            pidOf.put(w.workerId(), w.pid().orElseThrow());
        }
        // both workers busy on a turn whose answer the fake API holds back
        api.mode(FakeMessagesApi.Mode.HOLD);
        CompletableFuture<Map<String, Object>> a = submit(0);
        CompletableFuture<Map<String, Object>> b = submit(1);
        awaitRequests(2);

        long victim = pids.get(0);
        assertTrue(ProcessHandle.of(victim).orElseThrow().destroyForcibly(), "SIGKILL sent to " + victim);

        // exactly the victim's request fails, as a crash
        CompletableFuture<Object> first = CompletableFuture.anyOf(a, b).exceptionally(e -> e);
        first.get(60, TimeUnit.SECONDS);
        CompletableFuture<Map<String, Object>> crashed = a.isCompletedExceptionally() ? a : b;
        CompletableFuture<Map<String, Object>> survivor = crashed == a ? b : a;
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(crashed));
        assertEquals(victim, pidOf.get(e.workerId()), "the crash names the killed worker " + e.getMessage());
        assertEquals(9, e.signal().orElseThrow(), e.getMessage());
        assertThrows(TimeoutException.class, () -> survivor.get(200, TimeUnit.MILLISECONDS),
                "the other worker's request is still waiting for the API");

        // the API answers again: the other request completes, and the pool has replaced the dead worker
        api.mode(FakeMessagesApi.Mode.OK);
        assertSucceeded(get(survivor));
        awaitReplacement(victim);
        for (int n = 2; n < 6; n++) {
            assertSucceeded(get(submit(n)));
        }

        PoolMetrics m = settledMetrics();
        assertEquals(1, m.spawns().get(SpawnCause.CRASH), m.toString());
        assertEquals(3, m.totalSpawns(), m.toString());
        assertEquals(1, m.failed().get(Failure.CRASHED), m.toString());
        assertEquals(5, m.succeeded(), m.toString());
        List<Long> now = pool.workerPids();
        assertEquals(2, now.size());
        assertFalse(now.contains(victim));
        assertTrue(now.contains(pids.get(1)), "the other worker is still the same process");
    }

    /**
     * The pool's metrics once every submitted request is counted: the pool counts a request just
     * after completing its future, so a caller that was just woken may see it not yet counted.
     */
    private PoolMetrics settledMetrics() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        PoolMetrics m = pool.metrics();
        while (m.completed() < m.submitted() && System.nanoTime() < end) {
            Thread.sleep(5);
            m = pool.metrics();
        }
        return m;
    }

    private void awaitNoneBusy() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pool.metrics().busy() > 0) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the cancelled turn did not end: " + pool.metrics());
            }
            Thread.sleep(10);
        }
    }

    /** Waits until the pool has two ready workers again, the killed one not among them. */
    private void awaitReplacement(long victim) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            PoolMetrics m = pool.metrics();
            if (m.spawns().get(SpawnCause.CRASH) == 1 && m.idle() + m.busy() == 2 && m.starting() == 0
                    && !pool.workerPids().contains(victim)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the killed worker was not replaced: " + pool.metrics());
    }

    @Test
    @Timeout(180)
    void cancellingAnEventInterruptsItsTurnAndTheWorkerStays() throws Exception {
        startPool();
        api.mode(FakeMessagesApi.Mode.HOLD);
        CompletableFuture<Map<String, Object>> f = submit(0);
        awaitRequests(1);

        assertTrue(f.cancel(true));
        // the interrupt ends the turn inside the CLI, which gives the worker back to the pool
        awaitNoneBusy();
        api.mode(FakeMessagesApi.Mode.OK);
        for (int n = 1; n < 5; n++) {
            assertSucceeded(get(submit(n)));
        }

        PoolMetrics m = settledMetrics();
        assertEquals(2, m.totalSpawns(), "no worker was replaced: " + m);
        assertEquals(4, m.succeeded(), m.toString());
        for (JsonNode r : api.requests().subList(1, api.requests().size())) {
            assertFalse(allUserText(r).contains(expanded(0)), "the cancelled event was cleared away: " + allUserText(r));
        }
    }
}
