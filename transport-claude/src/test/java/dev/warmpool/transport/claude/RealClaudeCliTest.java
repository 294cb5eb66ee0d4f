package dev.warmpool.transport.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.Notification;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.transport.claude.testing.ClaudeCliLocator;
import dev.warmpool.transport.claude.testing.FakeMessagesApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport against the real Claude Code CLI, which talks to a {@link FakeMessagesApi} served
 * by the test on loopback. The CLI gets a temporary {@code HOME}, a dummy API key, and
 * {@code CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1} and {@code DISABLE_AUTOUPDATER=1}, so nothing it
 * does leaves loopback; {@code CLAUDE_CODE_MAX_RETRIES=0} makes an API error end the turn at once
 * (the CLI would otherwise retry for about three minutes).
 *
 * <p>Skipped, saying why, when the CLI is not installed: see {@link ClaudeCliLocator}.
 */
@Timeout(120)
class RealClaudeCliTest {
    /** Looked up once; empty when the CLI is not installed. */
    private static final Optional<Path> CLAUDE = ClaudeCliLocator.find();
    private static Path claude;

    @TempDir
    Path home;
    @TempDir
    Path project;

    private FakeMessagesApi api;
    private final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void startApi() throws IOException {
        // per test, so each is reported as skipped with the reason
        Assumptions.assumeTrue(CLAUDE.isPresent(), ClaudeCliLocator::notFound);
        claude = CLAUDE.get();
        api = new FakeMessagesApi();
        // the project's handlers, as the original listener keeps them
        Path commands = Files.createDirectories(project.resolve(".claude/commands"));
        Files.writeString(commands.resolve("greet.md"), "---\ndescription: greets an event\n---\n"
                + "Handle this event and greet: $ARGUMENTS\n");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Worker w : workers) {
            w.stop(Duration.ofSeconds(2)).get(30, TimeUnit.SECONDS);
        }
        if (api != null) {
            api.close();
        }
    }

    private WorkerSpec spec(String id, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.putAll(api.claudeEnvironment(home));
        return new WorkerSpec(id, List.of(claude.toString()), env, Optional.of(project), Duration.ofSeconds(60),
                16 << 20, false, 50, settings);
    }

    private Worker start(String id, Map<String, String> settings) {
        long t0 = System.nanoTime();
        Worker w = new ClaudeTransport().start(spec(id, settings));
        workers.add(w);
        System.out.printf("%s ready after %d ms%n", id, (System.nanoTime() - t0) / 1_000_000);
        return w;
    }

    private static Call<ClaudeResult> greet(int n, NotificationListener listener) {
        return new Call<>("execute_handler", Map.of("handler_name", "greet", "event", Map.of("n", n)),
                ClaudeResult.class, listener);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS)).getCause();
    }

    /** The text the CLI sent for the handler's event, as expanded from {@code greet.md}. */
    private static String expanded(int n) {
        return "Handle this event and greet: {\"n\":" + n + "}";
    }

    private static String allUserText(JsonNode request) {
        return String.join("\n", FakeMessagesApi.userTexts(request).stream().flatMap(List::stream).toList());
    }

    @Test
    void severalEventsThroughTwoWarmWorkers() throws Exception {
        CompletableFuture<Worker> second = CompletableFuture.supplyAsync(() -> start("w-2", Map.of()));
        Worker w1 = start("w-1", Map.of());
        Worker w2 = second.get(90, TimeUnit.SECONDS);
        w1.ping().get(10, TimeUnit.SECONDS);
        w2.ping().get(10, TimeUnit.SECONDS);
        List<Notification> notes = new CopyOnWriteArrayList<>();

        List<ClaudeResult> results = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            CompletableFuture<ClaudeResult> a = w1.call(greet(2 * round, notes::add));
            CompletableFuture<ClaudeResult> b = w2.call(greet(2 * round + 1, notes::add));
            results.add(a.get(60, TimeUnit.SECONDS));
            results.add(b.get(60, TimeUnit.SECONDS));
            System.out.printf("round %d: two events in %d ms%n", round, (System.nanoTime() - t0) / 1_000_000);
        }

        for (ClaudeResult r : results) {
            assertTrue(r.success(), r.toString());
            assertFalse(r.isError());
            assertEquals("success", r.subtype());
            assertTrue(r.output().startsWith("fake answer "), r.output());
            assertFalse(r.sessionId().isEmpty());
            assertTrue(r.totalCostUsd() > 0, r.toString());
        }
        assertTrue(notes.stream().anyMatch(n -> n.method().equals("claude/assistant")), notes.toString());
        assertEquals(6, api.requests().size());
        for (int n = 0; n < 6; n++) {
            int event = n;
            assertEquals(1, api.requests().stream().filter(r -> allUserText(r).contains(expanded(event))).count(),
                    "event " + n + " reached the API once");
        }
        assertTrue(w1.isUsable() && w2.isUsable());
    }

    @Test
    void afterClearEachTurnSendsOnlyTheNewUserMessage() throws Exception {
        Worker w = start("w-1", Map.of());

        for (int n = 0; n < 3; n++) {
            long t0 = System.nanoTime();
            w.call(greet(n, NotificationListener.NONE)).get(60, TimeUnit.SECONDS);
            System.out.printf("turn %d in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
        }

        List<JsonNode> requests = api.requests();
        assertEquals(3, requests.size());
        for (int n = 0; n < 3; n++) {
            JsonNode r = requests.get(n);
            assertEquals(1, FakeMessagesApi.userTexts(r).size(), "one user message in request " + n);
            assertEquals(0, FakeMessagesApi.assistantMessages(r), "no earlier answer in request " + n);
            String text = allUserText(r);
            assertTrue(text.contains(expanded(n)), text);
            for (int earlier = 0; earlier < n; earlier++) {
                assertFalse(text.contains(expanded(earlier)), "request " + n + " carries event " + earlier);
            }
        }
    }

    @Test
    void withKeepTheConversationCarriesOver() throws Exception {
        Worker w = start("w-1", Map.of("reset", "keep"));

        w.call(greet(0, NotificationListener.NONE)).get(60, TimeUnit.SECONDS);
        w.call(greet(1, NotificationListener.NONE)).get(60, TimeUnit.SECONDS);

        JsonNode second = api.requests().get(1);
        assertEquals(1, FakeMessagesApi.assistantMessages(second));
        assertTrue(allUserText(second).contains(expanded(0)) && allUserText(second).contains(expanded(1)));
    }

    @Test
    void anApiErrorIsAWorkerErrorAndTheWorkerStays() throws Exception {
        Worker w = start("w-1", Map.of());

        api.mode(FakeMessagesApi.Mode.SERVER_ERROR_500);
        WorkerErrorException e500 = assertInstanceOf(WorkerErrorException.class,
                failure(w.call(greet(0, NotificationListener.NONE))));
        api.mode(FakeMessagesApi.Mode.OVERLOADED_529);
        WorkerErrorException e529 = assertInstanceOf(WorkerErrorException.class,
                failure(w.call(greet(1, NotificationListener.NONE))));
        api.mode(FakeMessagesApi.Mode.OK);
        ClaudeResult after = w.call(greet(2, NotificationListener.NONE)).get(60, TimeUnit.SECONDS);

        assertEquals(ClaudeTransport.TURN_FAILED, e500.code());
        assertTrue(e500.getMessage().contains("API Error: 500"), e500.getMessage());
        Map<?, ?> data = (Map<?, ?>) e500.data().orElseThrow();
        assertEquals(false, data.get("success"));
        assertEquals(true, data.get("is_error"));
        assertEquals(500, data.get("api_error_status"));
        assertEquals(ClaudeTransport.TURN_FAILED, e529.code());
        assertTrue(e529.getMessage().contains("529"), e529.getMessage());
        assertTrue(after.success());
        assertTrue(w.isUsable());
        // the failed turns were cleared away too
        assertFalse(allUserText(api.requests().get(2)).contains(expanded(1)));
    }

    @Test
    void cancelInterruptsTheTurnAndTheWorkerGoesOn() throws Exception {
        Worker w = start("w-1", Map.of());
        api.mode(FakeMessagesApi.Mode.HANG);
        CompletableFuture<ClaudeResult> f = w.call(greet(0, NotificationListener.NONE));
        assertTrue(api.awaitRequest(30), "the turn reached the API");

        long t0 = System.nanoTime();
        assertTrue(w.cancel());
        WorkerErrorException e = assertInstanceOf(WorkerErrorException.class, failure(f));
        System.out.printf("interrupt answered in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        assertEquals(ClaudeTransport.REQUEST_CANCELLED, e.code());
        assertEquals("error_during_execution", ((Map<?, ?>) e.data().orElseThrow()).get("subtype"));
        api.mode(FakeMessagesApi.Mode.OK);
        assertTrue(w.call(greet(1, NotificationListener.NONE)).get(60, TimeUnit.SECONDS).success());
        JsonNode after = api.requests().get(api.requests().size() - 1);
        assertFalse(allUserText(after).contains(expanded(0)), "the interrupted turn was cleared away");
    }

    @Test
    void aWorkerKilledMidTurnIsACrash() throws Exception {
        Worker w = start("w-1", Map.of());
        api.mode(FakeMessagesApi.Mode.HANG);
        CompletableFuture<ClaudeResult> f = w.call(greet(0, NotificationListener.NONE));
        assertTrue(api.awaitRequest(30), "the turn reached the API");

        ProcessHandle.of(w.pid().orElseThrow()).orElseThrow().destroyForcibly();

        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(f));
        assertEquals(9, e.signal().orElseThrow());
        assertTrue(e.getMessage().contains("while running a turn"), e.getMessage());
        assertFalse(w.isUsable());
    }
}
