package dev.warmpool.handler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.WorkerStartException;
import dev.warmpool.handler.HandlerResult.Failure;
import dev.warmpool.testkit.ProcessAudit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link HandlerPool}'s life and its worst cases, with scripts for the CLI (no real CLI needed):
 * a CLI that cannot run at all, an event cut short by shutdown, calls out of order.
 */
class ScriptedHandlerPoolTest {
    @TempDir
    Path dir;
    private Path project;
    private HandlerPool pool;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(dir.resolve("project"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pool != null) {
            pool.shutdown(Duration.ZERO);
        }
        ProcessAudit.assertNoDescendants(Duration.ofSeconds(10));
    }

    private HandlerPool.Builder builder(Path cli, String mode) {
        return HandlerPool.fromEnvironment(project, Map.of(HandlerMode.ENV, mode, "HANDLER_POOL_SIZE", "1"))
                .command(cli.toString())
                .restartBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .shutdownGrace(Duration.ZERO)
                .noShutdownHook();
    }

    @Test
    @Timeout(60)
    void inAutoModeACliThatCannotRunAtAllGivesEveryEventAFallbackFailedResult() throws Exception {
        Path broken = Scripts.script(dir, "claude", "echo 'claude: broken install' >&2; exit 3");
        pool = builder(broken, "auto").build().start();
        assertEquals(Serving.COLD, pool.serving());

        HandlerResult r = pool.execute("triage", Map.of("id", 1)).get(30, TimeUnit.SECONDS);
        assertEquals(Failure.FALLBACK_FAILED, r.failure(), r.toString());
        assertEquals(Serving.COLD, r.servedBy());
        assertEquals("claude: broken install", r.stderr());
        assertTrue(r.error().contains("exited with status 3"), r.error());

        HandlerHealth h = pool.healthCheck();
        assertFalse(h.healthy());
        assertTrue(h.detail().contains("serving events cold since") && h.detail().contains("claude: broken install"),
                h.detail());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.scale(2));
        assertTrue(e.getMessage().startsWith("no warm pool is running to scale: serving events cold since"), e.getMessage());
        HandlerMetrics m = pool.metrics();
        assertEquals(1, m.fallback(), m.toString());
        assertEquals(1, m.switchesToCold(), m.toString());
        assertEquals(1, m.failed().get(Failure.FALLBACK_FAILED), m.toString());
    }

    @Test
    @Timeout(60)
    void inPoolModeAPoolThatCannotStartFailsTheStartAndTakesNoEvents() throws Exception {
        Path broken = Scripts.script(dir, "claude", "echo 'claude: broken install' >&2; exit 3");
        HandlerPool p = builder(broken, "pool").build();
        WorkerStartException e = assertThrows(WorkerStartException.class, p::start);
        assertTrue(e.getMessage().contains("exited with code 3 before it answered its initialize request") && e.getMessage().contains("claude: broken install"),
                e.getMessage());
        HandlerResult r = p.execute("triage", null).get(5, TimeUnit.SECONDS);
        assertEquals(Failure.REJECTED, r.failure());
        assertEquals("the handler pool is shut down and takes no more events", r.error());
    }

    @Test
    @Timeout(60)
    void shutdownEndsAColdEventStillRunningWithARejectedResult() throws Exception {
        Path slow = Scripts.script(dir, "claude", "sleep 60");
        pool = builder(slow, "spawn").build().start();
        CompletableFuture<HandlerResult> f = pool.execute("triage", Map.of("id", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.metrics().coldRunning() == 1);

        assertFalse(pool.shutdown(Duration.ZERO));
        HandlerResult r = f.get(30, TimeUnit.SECONDS);
        assertEquals(Failure.REJECTED, r.failure(), r.toString());
        assertTrue(r.error().startsWith("the handler pool shut down while the event ran cold"), r.error());
        assertFalse(pool.shutdown(Duration.ZERO), "shutdown is idempotent and says the same");
    }

    @Test
    @Timeout(60)
    void cancellingAColdEventKillsItsCliAndCountsItCancelled() throws Exception {
        Path pidFile = dir.resolve("cli.pid");
        Path slow = Scripts.script(dir, "claude", "echo $$ > '" + pidFile + ".tmp' && mv '" + pidFile + ".tmp' '"
                + pidFile + "'; exec sleep 60");
        pool = builder(slow, "spawn").build().start();
        CompletableFuture<HandlerResult> f = pool.execute("triage", Map.of("id", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile));
        long pid = Long.parseLong(Files.readString(pidFile).trim());

        assertTrue(f.cancel(true));

        assertTrue(f.isCancelled());
        assertTrue(ProcessAudit.awaitGone(pid, Duration.ofSeconds(10)), "the cold CLI (pid " + pid + ") was killed");
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.metrics().failed().get(Failure.CANCELLED) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.metrics().coldRunning() == 0);
        assertEquals(1, pool.metrics().cold(), pool.metrics().toString());
    }

    @Test
    @Timeout(60)
    void eventsNeedAStartedPoolWhichStartsOnce() throws Exception {
        Path cli = Scripts.script(dir, "claude", "echo '" + Scripts.resultJson("hello") + "'");
        pool = builder(cli, "spawn").build();
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> pool.execute("triage", null));
        assertEquals("the handler pool is not started: call start() first", early.getMessage());
        pool.start();
        assertThrows(IllegalStateException.class, pool::start);
        HandlerResult r = pool.execute("triage", null).get(30, TimeUnit.SECONDS);
        assertTrue(r.success(), r.toString());
        assertEquals("hello", r.output());
        assertTrue(pool.shutdown(Duration.ZERO));
        assertEquals(Failure.REJECTED, pool.execute("triage", null).get(5, TimeUnit.SECONDS).failure());
        assertEquals(2, pool.metrics().completed());
    }
}
