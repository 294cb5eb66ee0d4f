package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.handler.HandlerResult.Failure;
import dev.warmpool.transport.claude.ClaudeResult;
import dev.warmpool.transport.claude.ClaudeTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Every way an event ends, read as the one result contract. */
class ResultsTest {
    private static final long T0 = System.nanoTime();

    private static ColdRun exited(int code, String stdout) {
        return new ColdRun(ColdRun.End.EXITED, code, stdout, List.of("a warning", "the last line"), "");
    }

    @Test
    void aWarmTurnIsTheCliResultWithItsOwnStderr() {
        HandlerResult r = Results.warm(new ClaudeResult(true, "nice!", false, "success", 42, 0.001, "s"),
                List.of("one", "two"), T0);
        assertTrue(r.success());
        assertEquals("nice!", r.output());
        assertEquals("one\ntwo", r.stderr());
        assertEquals(0.001, r.costUsd());
        assertEquals(Duration.ofMillis(42), r.turnDuration());
        assertEquals(Serving.WARM, r.servedBy());
    }

    @Test
    void aFailedWarmTurnIsAHandlerErrorWithTheCliTextAndCost() {
        WorkerErrorException e = new WorkerErrorException("w-1", ClaudeTransport.TURN_FAILED, "API Error: 500",
                Map.of("output", "API Error: 500", "total_cost_usd", 0.002, "duration_ms", 17L));
        HandlerResult r = Results.warmFailure(new CompletionException(e), List.of("err"), T0);
        assertEquals(Failure.HANDLER_ERROR, r.failure());
        assertEquals("API Error: 500", r.output());
        assertEquals(0.002, r.costUsd());
        assertEquals(Duration.ofMillis(17), r.turnDuration());
        assertEquals("err", r.stderr());
        assertTrue(r.error().contains("API Error: 500"), r.error());
    }

    @Test
    void warmFailuresMapToTheirReasons() {
        assertEquals(Failure.UNKNOWN_HANDLER, Results.warmFailure(new WorkerErrorException("w-1",
                ClaudeTransport.METHOD_NOT_FOUND, "Unknown command: /x", null), List.of(), T0).failure());
        assertEquals(Failure.REJECTED, Results.warmFailure(new WorkerErrorException("w-1",
                ClaudeTransport.INVALID_PARAMS, "bad", null), List.of(), T0).failure());
        assertEquals(Failure.TIMEOUT, Results.warmFailure(new RequestTimeoutException(RequestTimeoutException.Phase.RUN,
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(5)), List.of(), T0).failure());
        assertEquals(Failure.TIMEOUT, Results.warmFailure(new RequestTimeoutException(RequestTimeoutException.Phase.QUEUE,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO), List.of(), T0).failure());
        assertEquals(Failure.CRASHED, Results.warmFailure(new WorkerCrashedException("w-1", 137, "exited while running a turn",
                List.of()), List.of(), T0).failure());
        HandlerResult rejected = Results.warmFailure(new PoolRejectedException(PoolRejectedException.Reason.QUEUE_FULL,
                "the queue is full"), List.of(), T0);
        assertEquals(Failure.REJECTED, rejected.failure());
        assertEquals("the queue is full", rejected.error());
    }

    @Test
    void aColdRunIsReadFromItsJsonResult() {
        HandlerResult ok = Results.cold(exited(0, "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,"
                + "\"duration_ms\":244,\"num_turns\":1,\"result\":\"nice!\",\"total_cost_usd\":0.0002}\n"), false, T0);
        assertTrue(ok.success(), ok.toString());
        assertEquals("nice!", ok.output());
        assertEquals(Duration.ofMillis(244), ok.turnDuration());
        assertEquals(0.0002, ok.costUsd());
        assertEquals("a warning\nthe last line", ok.stderr());
        assertEquals(Serving.COLD, ok.servedBy());
    }

    @Test
    void aColdTurnThatEndedInErrorIsAHandlerErrorEvenAsAFallback() {
        HandlerResult r = Results.cold(exited(1, "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
                + "\"result\":\"API Error: 500 fake internal error\",\"total_cost_usd\":0}"), true, T0);
        assertEquals(Failure.HANDLER_ERROR, r.failure());
        assertEquals("API Error: 500 fake internal error", r.output());
        assertEquals("the cold claude -p exited with status 1: API Error: 500 fake internal error", r.error());
    }

    @Test
    void anUnknownCommandIsAnUnknownHandler() {
        HandlerResult r = Results.cold(exited(0, "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,"
                + "\"num_turns\":0,\"result\":\"Unknown command: /nosuch\"}"), false, T0);
        assertEquals(Failure.UNKNOWN_HANDLER, r.failure());
        assertTrue(r.error().startsWith("Unknown command: /nosuch"), r.error());
    }

    @Test
    void aColdRunWithoutAResultCrashedOrAsAFallbackFailed() {
        HandlerResult crashed = Results.cold(exited(137, ""), false, T0);
        assertEquals(Failure.CRASHED, crashed.failure());
        assertEquals("the cold claude -p was killed by signal 9 without a JSON result on stdout; its last stderr line: "
                + "the last line", crashed.error());
        HandlerResult fallback = Results.cold(exited(3, "not json"), true, T0);
        assertEquals(Failure.FALLBACK_FAILED, fallback.failure());
        assertTrue(fallback.error().startsWith("served cold because the warm pool could not, and the cold claude -p "
                + "exited with status 3 without a JSON result"), fallback.error());
        assertEquals(Failure.FALLBACK_FAILED, Results.cold(ColdRun.notRun(ColdRun.End.NOT_STARTED, "'claude' could not be "
                + "started: No such file"), true, T0).failure());
        assertEquals(Failure.CRASHED, Results.cold(ColdRun.notRun(ColdRun.End.NOT_STARTED, "x"), false, T0).failure());
    }

    @Test
    void aColdRunThatWaitedOrRanTooLongTimedOutAndOneStoppedByShutdownWasRejected() {
        assertEquals(Failure.TIMEOUT, Results.cold(ColdRun.notRun(ColdRun.End.NO_SLOT, "no slot"), true, T0).failure());
        HandlerResult timedOut = Results.cold(new ColdRun(ColdRun.End.TIMED_OUT, -1, "", List.of("partial"), "too long"),
                false, T0);
        assertEquals(Failure.TIMEOUT, timedOut.failure());
        assertEquals("partial", timedOut.stderr());
        assertEquals("too long", timedOut.error());
        HandlerResult shutDown = Results.cold(ColdRun.notRun(ColdRun.End.SHUT_DOWN, "shut down"), true, T0);
        assertEquals(Failure.REJECTED, shutDown.failure());
        assertFalse(shutDown.success());
    }
}
