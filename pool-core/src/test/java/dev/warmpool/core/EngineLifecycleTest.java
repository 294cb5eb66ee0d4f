package dev.warmpool.core;

import static dev.warmpool.core.ScriptedPools.failure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.HealthReport;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.core.ScriptedTransport.ScriptedWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers coming and going in the engine, driven by a scripted in-memory transport and a manual
 * clock: crashes and their replacements, the crash loop and recovery, recycling, scaling, health
 * pings, start failures and shutdown with work in flight. No processes and no sleeps; Awaitility
 * only where a start or an exit is handed to another thread.
 */
@Timeout(30)
class EngineLifecycleTest {
    private final ScriptedPools pools = new ScriptedPools();

    @AfterEach
    void close() {
        pools.close();
    }

    private long spawns(WarmPool pool, SpawnCause cause) {
        return pool.metrics().spawns().get(cause);
    }

    @Test
    void aWorkerThatCrashesAfterServingIsReplacedAtOnce() {
        WarmPool pool = pools.start(pools.config(1));
        assertEquals("w-1", pool.submit("who", null).join());
        assertEquals(3, failure(WorkerCrashedException.class, pool.submit("crash", null)).exitCode());
        await().until(() -> pool.metrics().idle() == 1); // no tick: no backoff
        assertEquals("w-2", pool.submit("who", null).join());
        assertEquals(1, spawns(pool, SpawnCause.CRASH));
        assertEquals(List.of("exit status 3 (unexpected)"), pools.details(PoolEvent.Type.WORKER_EXITED));
    }

    @Test
    void aWorkerThatDiesRunningItsFirstRequestIsReplacedAtOnce() {
        WarmPool pool = pools.start(pools.config(1));
        failure(WorkerCrashedException.class, pool.submit("crash", null));
        await().until(() -> pool.metrics().idle() == 1); // no tick: the request, or a killer, may be to blame
        assertEquals(1, spawns(pool, SpawnCause.CRASH));
        assertTrue(pool.healthCheck().poolHealthy());
    }

    @Test
    void aWorkerThatExitsWhileIdleBeforeAnsweringAnythingIsReplacedOnlyAfterTheBackoff() {
        WarmPool pool = pools.start(pools.config(1).restartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        pools.transport.worker("w-1").exitNow(1);
        await().until(() -> pool.metrics().size() == 0);
        pools.advance(pool, Duration.ZERO);
        assertEquals(1, pools.transport.startAttempts.get(), "no start before the backoff");
        pools.advance(pool, Duration.ofSeconds(1)); // the backoff is at most restartBackoff's max, 1 s
        await().until(() -> pool.metrics().idle() == 1);
        assertEquals(2, pools.transport.startAttempts.get());
        assertEquals(1, spawns(pool, SpawnCause.CRASH));
        assertEquals("w-2", pool.submit("who", null).join());
    }

    @Test
    void startsThatKeepFailingMakeThePoolUnhealthyUntilAWorkerAnswersAgain() {
        WarmPool pool = pools.start(pools.config(1).restartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .crashLoop(3, Duration.ofMinutes(1)));
        pools.transport.worker("w-1").exitNow(1); // failure 1: up, but could not stay up
        await().until(() -> pool.metrics().size() == 0);
        pools.transport.failStarts(2, "broken install");
        for (int attempt = 2; attempt <= 3; attempt++) { // failures 2 and 3
            int expected = attempt;
            pools.advance(pool, Duration.ofSeconds(1));
            await().until(() -> pools.transport.startAttempts.get() == expected && pool.metrics().starting() == 0);
        }
        CompletableFuture<Object> rejected = pool.submit("who", null);
        assertTrue(rejected.isDone());
        PoolRejectedException r = failure(PoolRejectedException.class, rejected);
        assertEquals(PoolRejectedException.Reason.UNHEALTHY, r.reason());
        assertTrue(r.getMessage().startsWith("the pool is unhealthy: 3 worker starts failed within the last 1 min; "
                + "last error: worker w-"), r.getMessage());
        assertEquals(List.of("broken install"), assertInstanceOf(WorkerStartException.class, r.getCause()).stderrTail());
        assertFalse(pool.healthCheck().poolHealthy());
        assertEquals(1, pools.details(PoolEvent.Type.POOL_UNHEALTHY).size());

        pools.advance(pool, Duration.ofSeconds(1)); // the next start succeeds
        await().until(() -> pool.metrics().idle() == 1);
        assertEquals(List.of(), pools.details(PoolEvent.Type.POOL_RECOVERED), "up is not yet working");
        assertFalse(pool.healthCheck().poolHealthy()); // which pings w-4: its answer ends the spell
        assertEquals(List.of("worker w-4 answered"), pools.details(PoolEvent.Type.POOL_RECOVERED));
        assertTrue(pool.healthCheck().poolHealthy());
        assertEquals("w-4", pool.submit("who", null).join());
    }

    @Test
    void aWorkerIsRecycledAfterItsRequestLimitAndLeavesOnceItsReplacementIsReady() {
        WarmPool pool = pools.start(pools.config(1).maxRequestsPerWorker(3));
        for (int i = 0; i < 3; i++) {
            assertEquals("w-1", pool.submit("who", null).join());
        }
        ScriptedWorker old = pools.transport.worker("w-1");
        await().until(() -> old.stops.get() == 1 && pool.metrics().idle() == 1 && pool.metrics().size() == 1);
        assertEquals("w-2", pool.submit("who", null).join());
        assertEquals(1, spawns(pool, SpawnCause.RECYCLE));
        assertEquals(4, pool.metrics().succeeded());
        assertEquals(List.of("recycled after 3 requests"), pools.details(PoolEvent.Type.WORKER_RETIRED));
    }

    @Test
    void scalingUpStartsWorkersAndScalingDownRetiresIdleOnesAndBusyOnesAfterTheirRequest() {
        WarmPool pool = pools.start(pools.config(1));
        pool.scale(3);
        await().until(() -> pool.metrics().idle() == 3);
        assertEquals(2, spawns(pool, SpawnCause.SCALE));
        List<CompletableFuture<Object>> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            running.add(pool.submit("hang", null));
        }
        pool.scale(1);
        assertEquals(3, pool.metrics().busy(), "no request is interrupted");
        for (ScriptedWorker w : pools.transport.workers) {
            w.unanswered().forEach(f -> w.answer(f, new ScriptedTransport.Reply.Value("done")));
        }
        running.forEach(f -> assertEquals("done", f.join()));
        await().until(() -> pool.metrics().size() == 1);
        assertEquals(2, pools.transport.workers.stream().filter(w -> w.stops.get() == 1).count());
        assertEquals(List.of("1 -> 3 (scale())", "3 -> 1 (scale())"), pools.details(PoolEvent.Type.POOL_SCALED));
    }

    @Test
    void aWorkerThatFailsItsHealthPingIsKilledAndReplacedCountedAsAHealthSpawn() {
        WarmPool pool = pools.start(pools.config(1).healthCheckInterval(Duration.ofSeconds(30)));
        pools.transport.failPings(true);
        ScriptedWorker first = pools.transport.worker("w-1");
        pools.advance(pool, Duration.ofSeconds(29));
        assertEquals(0, first.pings.get());
        pools.advance(pool, Duration.ofSeconds(1));
        await().until(() -> first.kills.get() >= 1 && spawns(pool, SpawnCause.HEALTH) == 1);
        assertEquals(List.of("killed: failed a health check: ping refused"), pools.details(PoolEvent.Type.WORKER_RETIRED));
        HealthReport report = pool.healthCheck(); // w-2's ping fails too, on demand
        HealthReport.WorkerHealth w2 = report.workers().stream().filter(w -> w.workerId().equals("w-2"))
                .findFirst().orElseThrow();
        assertEquals(HealthReport.State.FAILED, w2.state());
        assertEquals(Optional.of("failed a health check: ping refused"), w2.problem());
        assertFalse(report.healthy());
    }

    @Test
    void whenNoWorkerStartsTheErrorNamesTheCountAndGivesTheStderrTailOnce() {
        pools.transport.failStarts(2, "boom");
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> pools.start(pools.config(2)));
        assertTrue(e.getMessage().matches("the pool could not start any of its 2 workers: worker w-[12] exited "
                + "with code 3 before it became ready; last stderr lines:\n  boom"), e.getMessage());
        assertEquals(List.of("boom"), e.stderrTail());
    }

    @Test
    void whenNoWorkerStartsAndStderrIsEmptyTheErrorSaysSoOnce() {
        pools.transport.failStarts(1, "");
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> pools.start(pools.config(1)));
        assertEquals("the pool could not start any of its 1 workers: worker w-1 exited with code 3 before it "
                + "became ready; its stderr was empty", e.getMessage());
    }

    @Test
    void shutdownFailsQueuedAndRunningRequestsKillsBusyWorkersAndStopsIdleOnes() {
        WarmPool pool = pools.start(pools.config(2));
        CompletableFuture<Object> running = pool.submit("hang", null);
        ScriptedWorker busy = pools.transport.workers.stream().filter(w -> !w.unanswered().isEmpty()).findFirst()
                .orElseThrow();
        CompletableFuture<Object> alsoRunning = pool.submit("hang", null);
        CompletableFuture<Object> queued = pool.submit("who", null);
        assertFalse(pool.shutdown(Duration.ZERO));
        assertEquals("the pool shut down while a worker was running the request (grace 0 s passed)",
                failure(PoolRejectedException.class, running).getMessage());
        failure(PoolRejectedException.class, alsoRunning);
        assertEquals("the pool shut down before the request reached a worker (grace 0 s)",
                failure(PoolRejectedException.class, queued).getMessage());
        assertEquals(0, busy.stops.get(), "a busy worker is killed, not asked to finish");
        assertTrue(busy.kills.get() >= 1);
        assertEquals(PoolRejectedException.Reason.SHUTDOWN,
                failure(PoolRejectedException.class, pool.submit("who", null)).reason());
        assertEquals(3, pool.metrics().failed().get(dev.warmpool.api.PoolMetrics.Failure.ABORTED));
    }

    @Test
    void shutdownDoesNotWaitForRequestsTheGraceDidNotLetFinish() {
        // each worker would finish its call before exiting on a polite stop, and the calls never end
        pools.transport.stopWaitsForCall();
        WarmPool pool = pools.start(pools.config(2).stopGrace(Duration.ofSeconds(2)));
        CompletableFuture<Object> a = pool.submit("hang", null);
        CompletableFuture<Object> b = pool.submit("hang", null);
        assertFalse(pool.shutdown(Duration.ofMillis(50)));
        failure(PoolRejectedException.class, a);
        failure(PoolRejectedException.class, b);
        for (ScriptedWorker w : pools.transport.workers) {
            assertEquals(0, w.stops.get(), w + " was asked to stop politely");
            assertTrue(w.onExit().isDone(), w + " is still running");
        }
    }

    @Test
    void aPoolThatCannotScaleWarnsOnceNamingTheArtifactToAdd() {
        PoolConfig cannot = PoolConfig.builder().command("x").size(1).maxSize(4).build();
        assertEquals("maxSize is 4, but no scaling policy is on the class or module path, so the pool stays at 1 "
                + "workers unless scale(int) is called; add the artifact dev.warmpool:scaler-queue-depth (or set "
                + "PoolConfig.Builder.scalingPolicy), or set maxSize to 1", WarmPool.noScalingWarning(cannot).orElseThrow());
        assertTrue(WarmPool.noScalingWarning(PoolConfig.builder().command("x").size(4).maxSize(4).build()).isEmpty());
        assertTrue(WarmPool.noScalingWarning(PoolConfig.builder().command("x").size(1).maxSize(4)
                .scalingInterval(Duration.ZERO).build()).isEmpty(), "scaling switched off on purpose");
    }
}
