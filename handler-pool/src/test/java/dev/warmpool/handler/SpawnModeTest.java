package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.handler.HandlerResult.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code HANDLER_POOL_MODE=spawn}, the rollout switch: every event is one cold
 * {@code claude -p "<prompt>" --output-format json} of the real CLI, with stdin from
 * {@code /dev/null}, the pool's environment rule, and at most {@code HANDLER_POOL_MAX} at once. A
 * wrapper script in front of the CLI logs what each run was started with.
 */
class SpawnModeTest extends RealCliTest {
    @Test
    @Timeout(180)
    void everyEventIsAColdClaudeWithStdinFromDevNullAtMostMaxAtOnce() throws Exception {
        Path log = dir.resolve("runs.log");
        Path wrapper = cli.wrapper("claude-logged", "{ echo \"stdin=$(readlink /proc/$$/fd/0)\"; for a in \"$@\"; do "
                + "echo \"arg=$a\"; done; env | sort | sed 's/^/env=/'; echo end; } >> '" + log + "'");
        HandlerPool pool = cli.started(cli.builder(Map.of(HandlerMode.ENV, "spawn", "HANDLER_POOL_SIZE", "1",
                        "HANDLER_POOL_MAX", "1", "LISTENER_SECRET", "not for the CLI"), List.of(wrapper.toString()))
                .build());
        assertEquals(Serving.COLD, pool.serving());
        assertTrue(pool.poolMetrics().isEmpty(), "no warm pool in spawn mode");
        assertThrows(IllegalStateException.class, () -> pool.scale(1));

        // HANDLER_POOL_MAX=1: while the first event's API call is held, the second waits for the slot
        cli.api.mode("HOLD");
        CompletableFuture<HandlerResult> first = pool.execute("say-something-nice", Map.of("id", 1));
        CompletableFuture<HandlerResult> second = pool.execute("say-something-nice", Map.of("id", 2));
        assertTrue(cli.api.awaitRequest(60), "the first cold run reached the API");
        assertEquals(1, pool.metrics().coldRunning(), pool.metrics().toString());
        assertFalse(second.isDone());
        cli.api.mode("OK");
        for (CompletableFuture<HandlerResult> f : List.of(first, second)) {
            HandlerResult r = f.get(60, TimeUnit.SECONDS);
            assertTrue(r.success(), r.toString());
            assertEquals(Serving.COLD, r.servedBy());
            assertTrue(r.output().startsWith("fake answer "), r.output());
            assertTrue(r.costUsd() > 0, r.toString());
        }

        cli.api.mode("SERVER_ERROR_500");
        HandlerResult failed = pool.execute("say-something-nice", Map.of("id", 3)).get(60, TimeUnit.SECONDS);
        cli.api.mode("OK");
        assertEquals(Failure.HANDLER_ERROR, failed.failure(), failed.toString());
        assertEquals(Serving.COLD, failed.servedBy());
        assertTrue(failed.error().contains("500"), failed.error());

        List<List<String>> runs = runs(Files.readAllLines(log));
        assertEquals(3, runs.size(), runs.toString());
        List<String> prompts = new ArrayList<>();
        for (List<String> run : runs) {
            assertEquals("stdin=/dev/null", run.get(0), run.toString());
            List<String> args = run.stream().filter(l -> l.startsWith("arg=")).map(l -> l.substring(4)).toList();
            assertEquals(4, args.size(), args.toString());
            assertEquals(List.of("-p", "--output-format", "json"), List.of(args.get(0), args.get(2), args.get(3)));
            prompts.add(args.get(1));
            List<String> env = run.stream().filter(l -> l.startsWith("env=")).map(l -> l.substring(4)).toList();
            assertTrue(env.contains("HOME=" + cli.home), env.toString());
            assertTrue(env.contains("ANTHROPIC_BASE_URL=" + cli.api.baseUrl()), env.toString());
            assertTrue(env.stream().noneMatch(v -> v.startsWith("LISTENER_SECRET=") || v.startsWith("HANDLER_")),
                    env.toString());
        }
        // the first two in either order (they raced for the one slot), the third last
        assertEquals(java.util.Set.of("/say-something-nice {\"id\":1}", "/say-something-nice {\"id\":2}"),
                java.util.Set.copyOf(prompts.subList(0, 2)));
        assertEquals("/say-something-nice {\"id\":3}", prompts.get(2));

        HandlerMetrics m = pool.metrics();
        assertEquals(3, m.cold(), m.toString());
        assertEquals(0, m.warm(), m.toString());
        assertEquals(0, m.fallback(), "spawn mode is not a fallback: " + m);
        assertEquals(0, m.switchesToCold(), m.toString());
        HandlerHealth health = pool.healthCheck();
        assertTrue(health.healthy(), health.toString());
        assertEquals(List.of(), health.workers());
    }

    /** Splits the log into one list of lines per run. */
    private static List<List<String>> runs(List<String> lines) {
        List<List<String>> runs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String l : lines) {
            if (l.equals("end")) {
                runs.add(current);
                current = new ArrayList<>();
            } else {
                current.add(l);
            }
        }
        return runs;
    }
}
