package dev.warmpool.transport.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.Notification;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerStartException;
import java.time.Duration;
import java.util.ArrayList;
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
 * The worker's state machine against {@link FakeClaudeCli}, a process that speaks the recorded
 * stream-json lines and can be made to misbehave. {@link RealClaudeCliTest} runs the real CLI.
 */
@Timeout(60)
class ClaudeWorkerTest {
    private final List<Worker> started = new ArrayList<>();

    @AfterEach
    void stopWorkers() {
        for (Worker w : started) {
            w.kill();
        }
    }

    private Worker start(FakeCli spec) {
        Worker w = new ClaudeTransport().start(spec.build());
        started.add(w);
        return w;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static Call<ClaudeResult> handler(String name, Object event) {
        return new Call<>("execute_handler", Map.of("handler_name", name, "event", event), ClaudeResult.class,
                NotificationListener.NONE);
    }

    private static Call<String> prompt(String text) {
        return new Call<>("prompt", text, String.class, NotificationListener.NONE);
    }

    @Test
    void aHandlerCallIsOneTurnAndTheConversationIsClearedAfterIt() throws Exception {
        Worker w = start(FakeCli.spec());

        ClaudeResult first = await(w.call(handler("triage", Map.of("id", 1))));
        ClaudeResult second = await(w.call(handler("triage", Map.of("id", 2))));

        assertEquals("answer to: /triage {\"id\":1} (turn 1)", first.output());
        assertTrue(first.success());
        assertFalse(first.isError());
        assertEquals("success", first.subtype());
        assertEquals(12, first.durationMs());
        assertEquals(0.001, first.totalCostUsd(), 1e-9);
        // turn 1 again: the /clear in between started a new conversation (and a new session)
        assertEquals("answer to: /triage {\"id\":2} (turn 1)", second.output());
        assertEquals(0.001, second.totalCostUsd(), 1e-9, "this turn's cost, not the running total");
        assertFalse(first.sessionId().equals(second.sessionId()));
        assertTrue(w.isUsable());
    }

    @Test
    void aCallThatComesWhileTheClearRunsWaitsForIt() throws Exception {
        Worker w = start(FakeCli.spec().env("FAKE_CLEAR_MS", "500"));

        await(w.call(prompt("a")));
        String second = await(w.call(prompt("b")));

        // a fresh conversation: the held call went out after the clear's result
        assertEquals("answer to: b (turn 1)", second);
        assertTrue(w.isUsable());
    }

    @Test
    void cancellingACallHeldBehindTheClearNeverSendsIt() throws Exception {
        Worker w = start(FakeCli.spec().env("FAKE_CLEAR_MS", "500"));
        await(w.call(prompt("a")));
        CompletableFuture<String> held = w.call(prompt("b"));

        assertTrue(w.cancel());

        WorkerErrorException e = assertInstanceOf(WorkerErrorException.class, failure(held));
        assertEquals(ClaudeTransport.REQUEST_CANCELLED, e.code());
        assertEquals("worker w-1 answered with error -32800: cancelled before the turn was sent", e.getMessage());
        assertEquals("answer to: c (turn 1)", await(w.call(prompt("c"))));
    }

    @Test
    void keepHoldsOneConversation() throws Exception {
        Worker w = start(FakeCli.spec().setting("reset", "keep"));

        await(w.call(prompt("a")));
        String second = await(w.call(prompt("b")));

        assertEquals("answer to: b (turn 2)", second);
    }

    @Test
    void recycleKeepsTheConversationAndRetiresTheWorkerAfterNTurns() throws Exception {
        Worker w = start(FakeCli.spec().setting("reset", "recycle:2"));

        await(w.call(prompt("a")));
        assertTrue(w.isUsable());
        assertEquals("answer to: b (turn 2)", await(w.call(prompt("b"))));

        assertFalse(w.isUsable());
        assertTrue(w.onExit().isDone() == false, "the pool stops it; the transport only reports it");
    }

    @Test
    void theResultTypeChoosesTheShape() throws Exception {
        Worker w = start(FakeCli.spec());

        Object asObject = await(w.call(new Call<>("prompt", Map.of("prompt", "x"), Object.class, NotificationListener.NONE)));
        @SuppressWarnings("rawtypes")
        Map asMap = await(w.call(new Call<>("prompt", "y", Map.class, NotificationListener.NONE)));

        assertInstanceOf(Map.class, asObject);
        assertEquals(List.of("success", "output", "stderr", "is_error", "duration_ms", "total_cost_usd", "session_id"),
                List.copyOf(((Map<?, ?>) asObject).keySet()));
        assertEquals(true, ((Map<?, ?>) asObject).get("success"));
        assertEquals("answer to: x (turn 1)", ((Map<?, ?>) asObject).get("output"));
        assertEquals("answer to: y (turn 1)", asMap.get("output"));
        assertInstanceOf(String.class, asMap.get("stderr"));
    }

    @Test
    void assistantAndSystemMessagesArriveAsNotifications() throws Exception {
        Worker w = start(FakeCli.spec());
        List<Notification> seen = new CopyOnWriteArrayList<>();

        await(w.call(new Call<>("prompt", "error", Object.class, seen::add)).exceptionally(e -> null));

        assertEquals(List.of("claude/system", "claude/assistant"), seen.stream().map(Notification::method).toList());
        assertEquals("w-1", seen.get(0).workerId());
        assertEquals("api_retry", ((Map<?, ?>) seen.get(0).params()).get("subtype"));
        Map<?, ?> message = (Map<?, ?>) ((Map<?, ?>) seen.get(1).params()).get("message");
        assertEquals("assistant", message.get("role"));
    }

    @Test
    void anErrorTurnIsAWorkerErrorAndTheWorkerStays() throws Exception {
        Worker w = start(FakeCli.spec());

        Throwable t = failure(w.call(prompt("error")));

        WorkerErrorException e = assertInstanceOf(WorkerErrorException.class, t);
        assertEquals(ClaudeTransport.TURN_FAILED, e.code());
        assertEquals(WorkerErrorException.Kind.SERVER_ERROR, e.kind());
        assertEquals("worker w-1 answered with error -32001: API Error: 500 boom", e.getMessage());
        Map<?, ?> data = (Map<?, ?>) e.data().orElseThrow();
        assertEquals(false, data.get("success"));
        assertEquals(true, data.get("is_error"));
        assertEquals("success", data.get("subtype"));
        assertEquals(500, data.get("api_error_status"));
        assertTrue(w.isUsable());
        assertEquals("answer to: next (turn 1)", await(w.call(prompt("next"))));
    }

    @Test
    void anUnknownSlashCommandIsMethodNotFound() throws Exception {
        Worker w = start(FakeCli.spec());

        Throwable t = failure(w.call(handler("nosuch", Map.of())));

        WorkerErrorException e = assertInstanceOf(WorkerErrorException.class, t);
        assertEquals(ClaudeTransport.METHOD_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("Unknown command: /nosuch"), e.getMessage());
        assertTrue(w.isUsable());
    }

    @Test
    void badParamsAndUnknownMethodsFailWithoutTouchingTheCli() throws Exception {
        Worker w = start(FakeCli.spec());

        WorkerErrorException bad = assertInstanceOf(WorkerErrorException.class,
                failure(w.call(new Call<>("execute_handler", Map.of("event", 1), Object.class, NotificationListener.NONE))));
        WorkerErrorException unknown = assertInstanceOf(WorkerErrorException.class,
                failure(w.call(new Call<>("shutdown", null, Object.class, NotificationListener.NONE))));

        assertEquals(ClaudeTransport.INVALID_PARAMS, bad.code());
        assertEquals(ClaudeTransport.METHOD_NOT_FOUND, unknown.code());
        assertEquals("answer to: ok (turn 1)", await(w.call(prompt("ok"))));
    }

    @Test
    void cancelInterruptsTheTurn() throws Exception {
        Worker w = start(FakeCli.spec());
        CompletableFuture<String> f = w.call(prompt("hang"));
        Thread.sleep(200);

        assertTrue(w.cancel());

        WorkerErrorException e = assertInstanceOf(WorkerErrorException.class, failure(f));
        assertEquals(ClaudeTransport.REQUEST_CANCELLED, e.code());
        assertEquals(WorkerErrorException.Kind.REQUEST_CANCELLED, e.kind());
        assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
        assertTrue(w.isUsable());
        assertEquals("answer to: after (turn 1)", await(w.call(prompt("after"))));
    }

    @Test
    void pingIsAControlRoundTrip() throws Exception {
        Worker w = start(FakeCli.spec());

        await(w.ping());
        await(w.ping());
    }

    @Test
    void aWorkerThatDiesMidTurnIsACrashWithItsStderr() throws Exception {
        Worker w = start(FakeCli.spec());

        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(w.call(prompt("die"))));

        assertEquals(3, e.exitCode());
        assertTrue(e.stderrTail().contains("fake: dying on purpose"), e.stderrTail().toString());
        assertTrue(e.getMessage().contains("while running a turn"), e.getMessage());
        assertFalse(w.isUsable());
        assertInstanceOf(WorkerCrashedException.class, failure(w.call(prompt("more"))));
        assertInstanceOf(WorkerCrashedException.class, failure(w.ping()));
    }

    @Test
    void aWorkerKilledMidTurnIsACrash() throws Exception {
        Worker w = start(FakeCli.spec());
        CompletableFuture<String> f = w.call(prompt("hang"));
        Thread.sleep(200);

        ProcessHandle.of(w.pid().orElseThrow()).orElseThrow().destroyForcibly();

        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(f));
        assertEquals(9, e.signal().orElseThrow());
        assertFalse(w.isUsable());
    }

    @Test
    void aLineAboveTheFrameLimitIsAProtocolErrorAndTheCliIsKilled() throws Exception {
        Worker w = start(FakeCli.spec().maxFrameBytes(4096));

        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(w.call(prompt("huge:10000"))));

        assertTrue(e.getMessage().contains("above the limit of 4096 bytes (maxFrameBytes)"), e.getMessage());
        assertFalse(w.isUsable());
        w.onExit().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLineThatIsNotJsonIsSkipped() throws Exception {
        Worker w = start(FakeCli.spec());

        assertEquals("answer to: garbage (turn 1)", await(w.call(prompt("garbage"))));
        assertTrue(w.isUsable());
    }

    @Test
    void withStrictOutputALineThatIsNotJsonIsAProtocolError() throws Exception {
        Worker w = start(FakeCli.spec().strict());

        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(w.call(prompt("garbage"))));

        assertTrue(e.getMessage().contains("'this is not json' (strictOutput)"), e.getMessage());
        assertFalse(w.isUsable());
    }

    @Test
    void aControlRequestFromTheCliIsRefusedSoTheTurnEnds() throws Exception {
        Worker w = start(FakeCli.spec());

        assertEquals("permission error", await(w.call(prompt("ask"))));
    }

    @Test
    void aCliThatExitsAtStartIsAStartFailureWithItsStderr() {
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> start(FakeCli.spec().env("FAKE_EXIT_AT_START", "1")));

        assertTrue(e.getMessage().startsWith("worker w-1 exited with code 2 before it answered its initialize request "
                + "(command: " + FakeCli.command().get(0)), e.getMessage());
        assertTrue(e.getMessage().endsWith("); last stderr lines:\n  error: unknown option '--bogus'"), e.getMessage());
        assertEquals(List.of("error: unknown option '--bogus'"), e.stderrTail());
    }

    @Test
    void aCliThatDoesNotAnswerInitializeInTimeIsAStartFailure() {
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> start(FakeCli.spec().env("FAKE_START_MS", "30000").startTimeout(Duration.ofMillis(1500))));

        assertTrue(e.getMessage().startsWith("worker w-1 did not answer its initialize request within 1.5 s "
                + "(startTimeout) (command: "), e.getMessage());
    }

    @Test
    void withReadyStartedTheWorkerIsReturnedAtOnce() throws Exception {
        Worker w = start(FakeCli.spec().setting("ready", "started").env("FAKE_START_MS", "300"));

        assertEquals("answer to: hi (turn 1)", await(w.call(prompt("hi"))));
    }

    @Test
    void aMissingProgramSaysHowToInstallIt() {
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> new ClaudeTransport().start(
                new dev.warmpool.api.spi.WorkerSpec("w-9", List.of("claude-not-installed-here"),
                        Map.of("PATH", "/nonexistent"), java.util.Optional.empty(), Duration.ofSeconds(5), 1 << 20,
                        false, 20, Map.of())));

        assertTrue(e.getMessage().startsWith("cannot start worker w-9: the Claude Code CLI 'claude-not-installed-here' "
                + "was not found on the worker's PATH (/nonexistent). Install it (npm install -g "
                + "@anthropic-ai/claude-code)"), e.getMessage());
    }

    @Test
    void aBadSettingInTheSpecIsAStartFailure() {
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> start(FakeCli.spec().setting("reset", "never")));

        assertTrue(e.getMessage().startsWith("cannot start worker w-1: setting reset is 'never'"), e.getMessage());
    }

    @Test
    void stopClosesStdinAndTheCliExits() throws Exception {
        Worker w = start(FakeCli.spec());
        await(w.call(prompt("x")));

        int status = w.stop(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);

        assertEquals(0, status);
        assertFalse(w.isUsable());
    }
}
