package dev.warmpool.handler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolMetrics.SpawnCause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code HANDLER_POOL_MODE=auto} (the default) with a CLI whose warm mode can be switched off: a
 * wrapper script in front of the real CLI exits at once when started with {@code stream-json}
 * while a flag file exists, and runs the CLI otherwise — so cold {@code claude -p … --output-format
 * json} runs always work, and warm workers start only while the flag is absent.
 */
class AutoFallbackTest extends RealCliTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static HandlerResult served(HandlerPool pool, int id) throws Exception {
        HandlerResult r = pool.execute("say-something-nice", Map.of("id", id)).get(60, TimeUnit.SECONDS);
        assertTrue(r.success(), r.toString());
        assertTrue(r.output().startsWith("fake answer "), r.toString());
        return r;
    }

    @Test
    @Timeout(240)
    void eventsAreServedColdWhileWarmWorkersCannotStartAndWarmAgainWhenTheyCan() throws Exception {
        Path off = Files.createFile(dir.resolve("warm-mode-off"));
        Path wrapper = cli.wrapper("claude-flaky", "for a in \"$@\"; do if [ \"$a\" = stream-json ] && [ -e '" + off
                + "' ]; then echo 'warm mode is switched off for this test' >&2; exit 3; fi; done");
        HandlerPool pool = cli.started(cli.builder(Map.of("HANDLER_POOL_SIZE", "1"), List.of(wrapper.toString()))
                .restartBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .build());
        assertEquals(HandlerMode.AUTO, pool.mode(), "auto is the default");

        // the warm pool could not start: events are served cold, as a fallback
        assertEquals(Serving.COLD, pool.serving());
        assertEquals(Serving.COLD, served(pool, 1).servedBy());
        HandlerHealth cold = pool.healthCheck();
        assertFalse(cold.healthy(), cold.toString());
        assertTrue(cold.detail().contains("the warm pool could not start") && cold.detail().contains("exit"),
                cold.detail());

        // warm mode works again: the pool is started in the background, and events are served warm
        Files.delete(off);
        await().atMost(WAIT).until(pool::serving, Serving.WARM::equals);
        assertEquals(Serving.WARM, served(pool, 2).servedBy());
        assertTrue(pool.healthCheck().healthy(), pool.healthCheck().toString());

        // warm mode breaks while the pool runs: its worker dies and cannot be replaced
        Files.createFile(off);
        long pid = pool.healthCheck().workers().get(0).pid().orElseThrow();
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
        await().atMost(WAIT).until(() -> pool.healthCheck().serving(), Serving.COLD::equals);
        assertEquals(Serving.COLD, served(pool, 3).servedBy());

        // and recovers: the pool's own restarts bring a worker back
        Files.delete(off);
        await().atMost(WAIT).until(pool::serving, Serving.WARM::equals);
        assertEquals(Serving.WARM, served(pool, 4).servedBy());

        HandlerMetrics m = pool.metrics();
        assertEquals(2, m.warm(), m.toString());
        assertEquals(2, m.cold(), m.toString());
        assertEquals(2, m.fallback(), m.toString());
        assertEquals(2, m.switchesToCold(), m.toString());
        assertEquals(2, m.switchesToWarm(), m.toString());
        assertEquals(4, m.succeeded(), m.toString());
        assertTrue(pool.poolMetrics().orElseThrow().spawns().get(SpawnCause.CRASH) >= 1, pool.poolMetrics().toString());
    }
}
