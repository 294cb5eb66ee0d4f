package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.Request;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.testkit.BadWorker;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per misbehaving worker ({@link BadWorker}), each stating the exact outcome, each ending
 * with no process of the test left alive.
 */
@Timeout(60)
class FaultToleranceTest {
    private final List<WarmPool> pools = new ArrayList<>();

    private WarmPool start(PoolConfig.Builder b) {
        WarmPool pool = WarmPool.start(b.noShutdownHook().scalingInterval(Duration.ZERO).build());
        pools.add(pool);
        return pool;
    }

    private static PoolConfig.Builder bad(String... behaviour) {
        return PoolConfig.builder().command(TestWorkers.java(BadWorker.class, behaviour)).size(1)
                .startTimeout(TestWorkers.START_TIMEOUT);
    }

    private static <T extends Throwable> T failure(Class<T> type, CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(type, e.getCause());
    }

    private static long respawns(WarmPool pool, SpawnCause cause) {
        return pool.metrics().spawns().get(cause);
    }

    @AfterEach
    void nothingLeftBehind() {
        for (WarmPool p : pools) {
            p.shutdown(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants()
                .noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void sigkillMidRequestIsACrashWithTheSignalAndStderr() {
        WarmPool pool = start(bad("crash-kill"));
        WorkerCrashedException e = failure(WorkerCrashedException.class, pool.submit("echo", List.of(1)));
        assertEquals(137, e.exitCode());
        assertEquals(9, e.signal().orElseThrow());
        assertTrue(e.stderrTail().stream().anyMatch(l -> l.contains("crash-kill")), e.stderrTail().toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> respawns(pool, SpawnCause.CRASH) == 1 && pool.metrics().idle() == 1);
    }

    @Test
    void exitZeroMidRequestIsACrashNotAnEmptySuccess() {
        WarmPool pool = start(bad("crash-exit0"));
        assertEquals(0, failure(WorkerCrashedException.class, pool.submit("echo", List.of(1))).exitCode());
    }

    @Test
    void exitAtStartFailsTheStartWithItsStderr() {
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> start(bad("exit-at-start")));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
        assertTrue(e.stderrTail().stream().anyMatch(l -> l.contains("exit-at-start")), e.stderrTail().toString());
    }

    @Test
    void aWorkerThatNeverBecomesReadyFailsTheStartWithinTheStartTimeout() {
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> start(
                PoolConfig.builder().command(TestWorkers.java(BadWorker.class, "hang-start")).size(1)
                        .startTimeout(Duration.ofSeconds(3))));
        assertTrue(e.getMessage().contains("did not become ready"), e.getMessage());
        assertTrue(e.stderrTail().stream().anyMatch(l -> l.contains("hang-start")), e.stderrTail().toString());
    }

    @Test
    void aWorkerThatKeepsFailingToStartMakesThePoolUnhealthyThenFailsFast(@TempDir Path dir) {
        // The first start succeeds and leaves a flag; every later start sees the flag and exits at once.
        Path flag = dir.resolve("started-once");
        List<String> argv = new ArrayList<>(List.of("sh", "-c",
                "if [ -e \"$0\" ]; then echo 'broken install' >&2; exit 3; fi; touch \"$0\"; shift; exec \"$@\"",
                flag.toString(), "--"));
        argv.addAll(TestWorkers.java(EchoWorker.class));
        WarmPool pool = start(PoolConfig.builder().command(argv).size(1)
                .restartBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .crashLoop(3, Duration.ofSeconds(30)).startTimeout(TestWorkers.START_TIMEOUT));
        failure(WorkerCrashedException.class, pool.submit("exit", Map.of("code", 1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !pool.healthCheck().poolHealthy());
        PoolRejectedException r = failure(PoolRejectedException.class, pool.submit("echo", List.of(2)));
        assertEquals(PoolRejectedException.Reason.UNHEALTHY, r.reason());
        WorkerStartException cause = assertInstanceOf(WorkerStartException.class, r.getCause());
        assertTrue(cause.stderrTail().contains("broken install"), cause.stderrTail().toString());
        // It recovers by itself once a start succeeds.
        assertTrue(flag.toFile().delete());
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.healthCheck().poolHealthy());
        assertEquals(List.of(3), pool.submit("echo", List.of(3)).join());
    }

    @Test
    void aHungWorkerIsKilledAfterTheRunDeadlineAndCancelGrace() {
        WarmPool pool = start(bad("hang").requestTimeout(Duration.ofMillis(300)).cancelGrace(Duration.ofMillis(300)));
        long pid = pool.workerPids().get(0);
        RequestTimeoutException e = failure(RequestTimeoutException.class, pool.submit("echo", List.of(1)));
        assertEquals(RequestTimeoutException.Phase.RUN, e.phase());
        assertTrue(e.getMessage().contains("run deadline of 300 ms"), e.getMessage());
        await().atMost(Duration.ofSeconds(20)).until(() -> respawns(pool, SpawnCause.TIMEOUT) == 1 && pool.metrics().idle() == 1);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void anAnswerAfterTheDeadlineIsDiscarded() {
        WarmPool pool = start(bad("late", "1500").requestTimeout(Duration.ofMillis(200)).cancelGrace(Duration.ofSeconds(5)));
        CompletableFuture<Object> f = pool.submit("echo", List.of("late"));
        failure(RequestTimeoutException.class, f);
        // The late answer arrives inside the cancel grace: the worker is kept, the caller's outcome stays the timeout.
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.metrics().idle() == 1);
        assertEquals(1, pool.metrics().timedOut());
        assertEquals(0, pool.metrics().succeeded());
        assertEquals(List.of("next"), pool.submit(Request.of("echo", List.of("next")).withTimeout(Duration.ofSeconds(10))).join());
    }

    @Test
    void garbageLinesAreSkippedUnlessStrict() {
        WarmPool lenient = start(bad("garbage"));
        assertEquals(List.of("ok"), lenient.submit("echo", List.of("ok")).join());
        WarmPool strict = start(bad("garbage").strictOutput());
        assertThrows(CompletionException.class, () -> strict.submit("echo", List.of("ok")).join());
        await().atMost(Duration.ofSeconds(20)).until(() -> respawns(strict, SpawnCause.PROTOCOL) + respawns(strict, SpawnCause.CRASH) >= 1);
    }

    @Test
    void aTruncatedAnswerThenEofIsACrashNeverAResult() {
        WarmPool pool = start(bad("truncated", "half"));
        assertEquals(0, failure(WorkerCrashedException.class, pool.submit("echo", List.of("x"))).exitCode());
        WarmPool full = start(bad("truncated", "full"));
        failure(WorkerCrashedException.class, full.submit("echo", List.of("x")));
    }

    @Test
    void anOversizeAnswerFailsNamingSizeAndLimitAndTheWorkerIsReplaced() {
        WarmPool pool = start(bad("oversize", "200000").maxFrameBytes(100_000));
        ProtocolException e = failure(ProtocolException.class, pool.submit("echo", List.of("x")));
        assertTrue(e.getMessage().contains("100000"), e.getMessage());
        await().atMost(Duration.ofSeconds(20)).until(() -> respawns(pool, SpawnCause.PROTOCOL) == 1);
    }

    @Test
    void aStderrFloodDoesNotBlockAndTheTailStaysBounded() {
        WarmPool pool = start(bad("stderr-flood", "8").stderrTailLines(5));
        assertEquals(List.of("after flood"), pool.submit("echo", List.of("after flood")).join());
        assertEquals(List.of("again"), pool.submit("echo", List.of("again")).join());
    }

    @Test
    void aWorkerThatIgnoresSigtermIsKilledAtShutdown() {
        WarmPool pool = start(PoolConfig.builder()
                .command(TestWorkers.ignoringTerm(TestWorkers.java(BadWorker.class, "ignore-term"))).size(1)
                .stopGrace(Duration.ofMillis(300)));
        long pid = pool.workerPids().get(0);
        assertEquals(List.of(1), pool.submit("echo", List.of(1)).join());
        pool.shutdown(Duration.ofSeconds(1));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aGrandchildHoldingStdoutDoesNotOutliveItsWorker() {
        WarmPool pool = start(bad("grandchild"));
        WorkerCrashedException e = failure(WorkerCrashedException.class, pool.submit("echo", List.of(1)));
        long grandchild = e.stderrTail().stream().map(Pattern.compile("grandchild pid (\\d+)")::matcher)
                .filter(Matcher::find).mapToLong(m -> Long.parseLong(m.group(1))).findFirst()
                .orElseThrow(() -> new AssertionError("no grandchild pid in " + e.stderrTail()));
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aLargeRequestToAWorkerThatEchoesAsItReadsDoesNotDeadlock() {
        WarmPool pool = start(PoolConfig.builder().command(TestWorkers.java(BadWorker.class, "echo-as-read"))
                .transport("line").size(1));
        String big = "x".repeat(4 * 1024 * 1024);
        assertEquals(big, pool.submit("line", big).join());
    }

    @Test
    void closingStdoutWhileAliveIsACrashAndTheWorkerIsReplaced() {
        WarmPool pool = start(bad("close-stdout"));
        long pid = pool.workerPids().get(0);
        failure(WorkerCrashedException.class, pool.submit("echo", List.of(1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && pool.metrics().idle() == 1);
    }

    @Test
    void anUnknownIdOrResultAndErrorIsAProtocolViolation() {
        WarmPool unknown = start(bad("unknown-id"));
        failure(ProtocolException.class, unknown.submit("echo", List.of(1)));
        WarmPool both = start(bad("result-and-error"));
        failure(ProtocolException.class, both.submit("echo", List.of(1)));
    }

    @Test
    void aBannerBeforeTheHandshakeIsSkipped() {
        WarmPool pool = start(bad("banner"));
        assertEquals(List.of("hi"), pool.submit("echo", List.of("hi")).join());
    }

    @Test
    void aQueueWaitDeadlineFailsWaitingRequests() {
        WarmPool pool = start(PoolConfig.builder().command(TestWorkers.java(EchoWorker.class)).size(1)
                .queueTimeout(Duration.ofMillis(200)));
        CompletableFuture<Object> running = pool.submit("sleep", Map.of("ms", 1000));
        RequestTimeoutException e = failure(RequestTimeoutException.class, pool.submit("echo", List.of(1)));
        assertEquals(RequestTimeoutException.Phase.QUEUE, e.phase());
        assertEquals(Duration.ZERO, e.ran());
        running.join();
    }

    @Test
    void aWorkerThatDoesNotAnswerItsHealthPingIsKilledAndReplacedCountedAsAHealthSpawn() {
        WarmPool pool = start(bad("hang").healthCheckInterval(Duration.ofMillis(300))
                .healthCheckTimeout(Duration.ofMillis(300)));
        long pid = pool.workerPids().get(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> respawns(pool, SpawnCause.HEALTH) >= 1
                && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(0, respawns(pool, SpawnCause.CRASH), "a deliberate kill, not a crash");
    }

    @Test
    void everyFailureIsAWorkerPoolException() {
        WarmPool pool = start(bad("crash-kill"));
        CompletionException e = assertThrows(CompletionException.class, () -> pool.submit("echo", List.of(1)).join());
        assertInstanceOf(WorkerPoolException.class, e.getCause());
    }
}
