package dev.warmpool.handler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.handler.HandlerResult.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The plan's variables end to end, read from a map as a listener's environment would hold them:
 * the pool's sizes, the request timeout (an event held past it is a {@code TIMEOUT} result),
 * recycling after {@code HANDLER_MAX_REQUESTS}, the mode, and the CLI's own variables
 * ({@code ANTHROPIC_*}, {@code CLAUDE_*}, {@code DISABLE_*}: the fake API's URL and key reach the CLI
 * only this way here) while nothing else of the map does.
 */
class EnvironmentVariablesTest extends RealCliTest {
    @Test
    @Timeout(240)
    void theListenersVariablesSizeTimeRecycleAndReachTheCli() throws Exception {
        Path log = dir.resolve("env.log");
        Path wrapper = cli.wrapper("claude-env", "env | sort >> '" + log + "'; echo end >> '" + log + "'");
        HandlerPool pool = cli.started(cli.builder(Map.of(
                        "HANDLER_POOL_SIZE", "2", "HANDLER_POOL_MIN", "1", "HANDLER_POOL_MAX", "3",
                        "HANDLER_REQUEST_TIMEOUT", "5", "HANDLER_MAX_REQUESTS", "2", "HANDLER_POOL_MODE", "pool",
                        "LISTENER_SECRET", "not for the CLI"), List.of(wrapper.toString()))
                .build());

        PoolConfig c = pool.poolConfig();
        assertEquals(HandlerMode.POOL, pool.mode());
        assertEquals(List.of(2, 1, 3), List.of(c.size(), c.minSize(), c.maxSize()));
        assertEquals(Duration.ofSeconds(5), c.requestTimeout());
        assertEquals(Duration.ofSeconds(5), c.queueTimeout().orElseThrow());
        assertEquals(2, c.maxRequestsPerWorker());
        assertEquals(PoolConfig.DispatchOrder.LEAST_RECENTLY_USED, c.dispatchOrder());
        assertEquals(Duration.ofSeconds(30), c.scalingInterval());
        assertEquals(2, pool.poolMetrics().orElseThrow().spawns().get(SpawnCause.INITIAL));

        // every CLI started with the fake API's variables from the map, and with nothing else of it
        List<String> firstStart = Files.readAllLines(log).stream().takeWhile(l -> !l.equals("end")).toList();
        assertTrue(firstStart.contains("ANTHROPIC_BASE_URL=" + cli.api.baseUrl()), firstStart.toString());
        assertTrue(firstStart.contains("CLAUDE_CODE_MAX_RETRIES=0"), firstStart.toString());
        assertTrue(firstStart.contains("DISABLE_AUTOUPDATER=1"), firstStart.toString());
        assertTrue(firstStart.stream().noneMatch(l -> l.startsWith("LISTENER_SECRET") || l.startsWith("HANDLER_")),
                firstStart.toString());

        // HANDLER_MAX_REQUESTS=2 (no jitter below 10): after four events on two workers, both are replaced
        for (int id = 1; id <= 4; id++) {
            HandlerResult r = pool.execute("triage", Map.of("id", id)).get(60, TimeUnit.SECONDS);
            assertTrue(r.success(), r.toString());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.poolMetrics().orElseThrow().spawns().get(SpawnCause.RECYCLE),
                n -> n >= 2);

        // HANDLER_REQUEST_TIMEOUT=5: an event whose API call hangs ends as a timeout, and the pool serves on
        cli.api.mode("HOLD");
        HandlerResult held = pool.execute("triage", Map.of("id", 5)).get(60, TimeUnit.SECONDS);
        cli.api.mode("OK");
        assertEquals(Failure.TIMEOUT, held.failure(), held.toString());
        assertTrue(held.error().contains("run deadline of 5 s"), held.error());
        assertTrue(held.duration().compareTo(Duration.ofSeconds(5)) >= 0, held.toString());
        HandlerResult after = pool.execute("triage", Map.of("id", 6)).get(60, TimeUnit.SECONDS);
        assertTrue(after.success(), after.toString());
        PoolMetrics m = pool.poolMetrics().orElseThrow();
        assertEquals(1, m.failed().get(PoolMetrics.Failure.RUN_TIMEOUT), m.toString());
    }
}
