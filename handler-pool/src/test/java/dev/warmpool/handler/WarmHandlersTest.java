package dev.warmpool.handler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.handler.HandlerResult.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handlers served warm by the real CLI ({@code pool} mode), against the fake Messages API: the
 * plan's result per event, the stderr each turn wrote apart from the others', and a failing turn as
 * a result. The CLI runs with {@code --debug-to-stderr}, so every turn writes to stderr — among
 * other lines, one {@code [API REQUEST] /v1/messages} per call of the API.
 */
class WarmHandlersTest extends RealCliTest {
    private static final String API_REQUEST = "[API REQUEST] /v1/messages";
    /** A line the CLI writes at start-up only. */
    private static final String START_UP = "MDM settings load";

    private static HandlerResult get(java.util.concurrent.CompletableFuture<HandlerResult> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static long count(String text, String line) {
        return text.lines().filter(l -> l.contains(line)).count();
    }

    @Test
    @Timeout(180)
    void eventsAreServedWarmEachWithItsOwnStderrAndAFailingTurnIsAResult() throws Exception {
        HandlerPool pool = cli.started(cli.builder(Map.of(HandlerMode.ENV, "pool"),
                List.of(RealCli.claude().toString(), "--debug-to-stderr")).size(1).minSize(1).maxSize(2).build());
        assertEquals(Serving.WARM, pool.serving());

        HandlerResult first = get(pool.execute("say-something-nice", Map.of("id", 1, "kind", "push")));
        HandlerResult second = get(pool.execute("say-something-nice", Map.of("id", 2, "kind", "push")));
        for (HandlerResult r : List.of(first, second)) {
            assertTrue(r.success(), r.toString());
            assertEquals(Failure.NONE, r.failure());
            assertEquals("", r.error());
            assertEquals(Serving.WARM, r.servedBy());
            assertTrue(r.output().startsWith("fake answer "), r.output());
            assertTrue(r.costUsd() > 0, "the event's cost: " + r);
            assertTrue(r.turnDuration().compareTo(Duration.ZERO) > 0, r.toString());
            assertTrue(r.duration().compareTo(r.turnDuration()) >= 0, r.toString());
            // the stderr of this event's turn: its one API call, and nothing of the CLI's start-up
            assertEquals(1, count(r.stderr(), API_REQUEST), r.stderr());
            assertEquals(0, count(r.stderr(), START_UP), r.stderr());
        }
        assertFalse(first.stderr().equals(second.stderr()), "each event has its own stderr lines");
        List<JsonNode> requests = cli.api.requests();
        assertEquals(2, requests.size());
        assertTrue(RealCli.userText(requests.get(0)).contains("Say something nice about this event: {\"id\":1,\"kind\":\"push\"}")
                || RealCli.userText(requests.get(0)).contains("Say something nice about this event: {\"kind\":\"push\",\"id\":1}"),
                RealCli.userText(requests.get(0)));

        // the API fails: the turn ends with an error, which is a result, and the worker stays
        cli.api.mode("SERVER_ERROR_500");
        HandlerResult failed = get(pool.execute("say-something-nice", Map.of("id", 3)));
        cli.api.mode("OK");
        assertFalse(failed.success(), failed.toString());
        assertEquals(Failure.HANDLER_ERROR, failed.failure());
        assertEquals(Serving.WARM, failed.servedBy());
        assertTrue(failed.error().contains("500"), failed.error());
        assertTrue(failed.output().contains("500"), "the CLI's error text: " + failed.output());
        assertEquals(1, count(failed.stderr(), API_REQUEST), failed.stderr());

        HandlerResult unknown = get(pool.execute("no-such-handler", Map.of("id", 4)));
        assertEquals(Failure.UNKNOWN_HANDLER, unknown.failure(), unknown.toString());
        assertTrue(unknown.error().contains("no-such-handler"), unknown.error());

        HandlerResult badName = get(pool.execute("two words", Map.of("id", 5)));
        assertEquals(Failure.REJECTED, badName.failure(), badName.toString());
        assertTrue(badName.error().contains("'two words'"), badName.error());

        HandlerResult after = get(pool.execute("say-something-nice", Map.of("id", 6)));
        assertTrue(after.success(), after.toString());

        HandlerMetrics m = pool.metrics();
        assertEquals(5, m.warm(), m.toString());
        assertEquals(0, m.cold(), m.toString());
        assertEquals(3, m.succeeded(), m.toString());
        assertEquals(1, m.failed().get(Failure.HANDLER_ERROR), m.toString());
        assertEquals(1, m.failed().get(Failure.UNKNOWN_HANDLER), m.toString());
        assertEquals(1, m.failed().get(Failure.REJECTED), m.toString());
        assertEquals(6, m.completed(), m.toString());
        PoolMetrics pm = pool.poolMetrics().orElseThrow();
        assertEquals(1, pm.totalSpawns(), "no worker was replaced: " + pm);

        HandlerHealth health = pool.healthCheck();
        assertTrue(health.healthy(), health.toString());
        assertEquals(1, health.workers().size(), health.toString());
        assertEquals("", health.detail());
    }

    @Test
    @Timeout(180)
    void cancellingAnEventInterruptsItsTurnAndTheSameWorkerServesTheNext() throws Exception {
        HandlerPool pool = cli.started(cli.builder(Map.of(HandlerMode.ENV, "pool"),
                List.of(RealCli.claude().toString())).size(1).minSize(1).maxSize(1).build());
        List<Long> pids = workerPids(pool);
        cli.api.mode("HOLD");
        CompletableFuture<HandlerResult> held = pool.execute("say-something-nice", Map.of("id", 1));
        assertTrue(cli.api.awaitRequest(60), "the turn reached the API");

        assertTrue(held.cancel(true));

        assertTrue(held.isCancelled());
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.metrics().failed().get(Failure.CANCELLED) == 1);
        assertEquals(1, pool.poolMetrics().orElseThrow().failed().get(PoolMetrics.Failure.ABORTED),
                "the pool's request was cancelled");
        // the API still holds every answer: the next event reaches it only on a worker freed from the held
        // turn, which the interrupt does; a worker that ignored it would be killed and replaced instead
        CompletableFuture<HandlerResult> next = pool.execute("say-something-nice", Map.of("id", 2));
        assertTrue(cli.api.awaitRequest(60), "the next event reached the API");
        cli.api.mode("OK");
        HandlerResult r = get(next);
        assertTrue(r.success(), r.toString());
        assertEquals(pids, workerPids(pool), "the worker whose turn was interrupted served the next event");
        assertEquals(1, pool.poolMetrics().orElseThrow().totalSpawns(), "no worker was replaced");
        assertEquals(1, pool.metrics().failed().get(Failure.CANCELLED), pool.metrics().toString());
    }

    private static List<Long> workerPids(HandlerPool pool) {
        return pool.healthCheck().workers().stream().map(w -> w.pid().orElseThrow()).toList();
    }
}
