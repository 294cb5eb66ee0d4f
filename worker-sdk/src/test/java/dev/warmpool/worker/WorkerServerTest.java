package dev.warmpool.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker SDK beyond the specification's examples: warmpool's own methods, cancellation, notifications, errors, limits. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WorkerServerTest {
    record Greeting(String name, int times) {
    }

    private final CountDownLatch started = new CountDownLatch(1);

    private WorkerServer.Builder base() {
        return base(Framing.NEWLINE);
    }

    private WorkerServer.Builder base(Framing framing) {
        return WorkerServer.builder()
                .name("test")
                .framing(framing)
                .method("echo", (params, ctx) -> params)
                .method("sleep", (params, ctx) -> {
                    started.countDown();
                    Thread.sleep(params.get("ms").asLong());
                    return "slept";
                })
                .method("poll", (params, ctx) -> {
                    started.countDown();
                    while (true) {
                        ctx.checkCancelled();
                        Thread.onSpinWait();
                    }
                })
                .method("greet", Greeting.class, (g, ctx) -> (g.name() + " ").repeat(g.times()).trim())
                .method("invalid", (params, ctx) -> {
                    throw new InvalidParamsException("need more", Map.of("need", 2));
                })
                .method("iae", (params, ctx) -> {
                    throw new IllegalArgumentException("bad value 7");
                })
                .method("boom", (params, ctx) -> {
                    throw new IllegalStateException("boom");
                })
                .method("custom", (params, ctx) -> {
                    throw new JsonRpcError(42, "custom failure", List.of("a", 1));
                })
                .method("chatty", (params, ctx) -> {
                    ctx.progress(Map.of("done", 1));
                    ctx.log("info", "halfway");
                    ctx.notify("custom/event", List.of(true));
                    return "done";
                })
                .method("big", (params, ctx) -> "x".repeat(params.get("n").asInt()));
    }

    /**
     * Starts a 60 s sleep as request {@code id}, checks that a ping (request {@code id + 1}) is
     * answered while it runs, then cancels it.
     */
    private void pingWhileSleepingThenCancel(Conversation c, int id) throws Exception {
        c.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"sleep\",\"params\":{\"ms\":60000}}");
        assertTrue(started.await(5, TimeUnit.SECONDS));
        c.send("{\"jsonrpc\":\"2.0\",\"id\":" + (id + 1) + ",\"method\":\"$/ping\"}");
        c.expect("{\"jsonrpc\":\"2.0\",\"id\":" + (id + 1) + ",\"result\":{}}");
        c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":" + id + "}}");
        c.expect("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32800,\"message\":\"request cancelled\"}}");
    }

    @Test
    void answersTheHandshakeAndPings() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$/initialize\",\"params\":{\"protocolVersion\":1,\"workerId\":\"w-1\"}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":1,"
                    + "\"capabilities\":{\"cancel\":true,\"ping\":true},\"name\":\"test\"}}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"$/ping\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}");
            c.finish();
        }
    }

    @Test
    void echoesIdsExactlyAsReceived() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"echo\",\"params\":[1]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":[1]}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[2]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[2]}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":12345678901234,\"method\":\"echo\",\"params\":{}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":12345678901234,\"result\":{}}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"echo\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":null}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":{\"no\":1},\"method\":\"echo\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid Request\"}}");
            c.finish();
        }
    }

    @Test
    void rejectsScalarParamsAndOtherInvalidRequests() throws Exception {
        String invalid = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid Request\"}}";
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":\"scalar\"}");
            c.expect(invalid);
            c.send("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"echo\"}");
            c.expect(invalid);
            c.send("{\"id\":1,\"method\":\"echo\"}");
            c.expect(invalid);
            c.send("\"just a string\"");
            c.expect(invalid);
            c.finish();
        }
    }

    @Test
    void cancelRequestInterruptsTheHandlerAndAnswersRequestCancelled() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"sleep\",\"params\":{\"ms\":60000}}");
            assertTrue(started.await(5, TimeUnit.SECONDS));
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":7}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32800,\"message\":\"request cancelled\"}}");
            c.finish();
        }
    }

    @Test
    void cancellationIsSeenByHandlersThatPoll() throws Exception {
        AtomicBoolean hookRan = new AtomicBoolean();
        WorkerServer server = base().interruptOnCancel(false)
                .method("hooked", (params, ctx) -> {
                    CountDownLatch cancelled = new CountDownLatch(1);
                    ctx.onCancel(() -> {
                        hookRan.set(true);
                        cancelled.countDown();
                    });
                    started.countDown();
                    cancelled.await();
                    return ctx.isCancelled() ? "saw it" : "missed it";
                })
                .build();
        try (Conversation c = new Conversation(server)) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"hooked\"}");
            assertTrue(started.await(5, TimeUnit.SECONDS));
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"a\"}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":-32800,\"message\":\"request cancelled\"}}");
            assertTrue(hookRan.get());
            c.finish();
        }
    }

    @Test
    void checkCancelledThrowsOnceCancelled() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"poll\"}");
            assertTrue(started.await(5, TimeUnit.SECONDS));
            // a cancel for an unknown id, or given as a request, is harmless
            c.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"$/cancelRequest\",\"params\":{\"id\":99}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":null}");
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":3}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32800,\"message\":\"request cancelled\"}}");
            c.finish();
        }
    }

    @Test
    void cancellingAFinishedRequestChangesNothing() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[1]}");
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":1}}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[2]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[2]}");
            c.finish();
        }
    }

    @Test
    void notificationsGoOutBeforeTheResponse() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"chatty\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"id\":5,\"value\":{\"done\":1}}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"method\":\"$/log\",\"params\":{\"id\":5,\"level\":\"info\",\"message\":\"halfway\"}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"method\":\"custom/event\",\"params\":[true]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":\"done\"}");
            c.finish();
        }
    }

    @Test
    void errorsMapToTheirCodes() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"invalid\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"need more\",\"data\":{\"need\":2}}}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"iae\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,\"message\":\"bad value 7\"}}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"boom\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32603,\"message\":\"boom\","
                    + "\"data\":{\"exception\":\"java.lang.IllegalStateException\"}}}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"custom\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":42,\"message\":\"custom failure\",\"data\":[\"a\",1]}}");
            // a failing notification is not answered
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"boom\"}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"echo\",\"params\":[5]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":[5]}");
            c.finish();
        }
    }

    @Test
    void typedHandlersGetConvertedParams() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"greet\",\"params\":{\"name\":\"hi\",\"times\":3}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"hi hi hi\"}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"greet\",\"params\":{\"name\":\"hi\",\"times\":\"many\"}}");
            JsonNode r = c.receive();
            assertEquals(-32602, r.at("/error/code").asInt());
            assertTrue(r.at("/error/message").asText().startsWith("Invalid params: "), r.toString());
            c.finish();
        }
    }

    @Test
    void oversizeRequestIsAnsweredWithInvalidRequestAndServingGoesOn() throws Exception {
        try (Conversation c = new Conversation(base().maxFrameBytes(1000).build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[\"" + "y".repeat(2000) + "\"]}");
            JsonNode r = c.receive();
            assertEquals(-32600, r.at("/error/code").asInt());
            assertTrue(r.get("id").isNull());
            assertEquals(1000, r.at("/error/data/limit").asInt());
            assertTrue(r.at("/error/data/size").asInt() > 1000, r.toString());
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":[2]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":[2]}");
            c.finish();
        }
    }

    @Test
    void resultTooLargeForAFrameIsAnsweredWithInternalError() throws Exception {
        try (Conversation c = new Conversation(base().maxFrameBytes(1000).build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"big\",\"params\":{\"n\":5000}}");
            JsonNode r = c.receive();
            assertEquals(-32603, r.at("/error/code").asInt());
            assertEquals(1000, r.at("/error/data/limit").asInt());
            assertTrue(r.at("/error/message").asText().contains("more than the frame limit of 1000 bytes"), r.toString());
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"big\",\"params\":{\"n\":5}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"xxxxx\"}");
            c.finish();
        }
    }

    @Test
    void jsonBeyondTheParserLimitsIsAParseError() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":" + "[".repeat(600) + "]".repeat(600) + "}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":[" + "9".repeat(1001) + "]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");
            c.finish();
        }
    }

    @Test
    void endOfInputWaitsForRequestsInFlight() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sleep\",\"params\":{\"ms\":300}}");
            assertTrue(started.await(5, TimeUnit.SECONDS));
            c.finish();
            assertEquals(List.of(Conversation.JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"slept\"}")), c.rest());
        }
    }

    @Test
    void batchElementsRunInOrderAndAnswerInOneArray() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sleep\",\"params\":{\"ms\":200}},"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":[2]},"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[3]}]");
            c.expect("[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"slept\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":[2]}]");
            c.finish();
        }
    }

    @Test
    void pingIsAnsweredWhileAHandlerRuns() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            pingWhileSleepingThenCancel(c, 1);
            c.finish();
        }
    }

    @Test
    void theFirstRequestRunsOnTheThreadThatCalledServe() throws Exception {
        WorkerServer server = base().method("thread", (params, ctx) -> Thread.currentThread().getName()).build();
        try (Conversation c = new Conversation(server)) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"thread\"}");
            // the thread that read the request ran its handler: no hand-off to another thread
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"" + Conversation.SERVING_THREAD + "\"}");
            c.finish();
        }
    }

    @Test
    void quickRequestsAllRunOnTheServingThread() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        // a relay delay longer than the test: no request is ever handed over, however loaded the machine
        WorkerServer server = base().relayAfter(Duration.ofHours(1)).method("thread", (params, ctx) -> {
            threads.add(Thread.currentThread().getName());
            return params;
        }).build();
        try (Conversation c = new Conversation(server)) {
            for (int i = 0; i < 200; i++) {
                c.send("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"thread\",\"params\":[" + i + "]}");
                c.expect("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"result\":[" + i + "]}");
            }
            c.send("{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"$/ping\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"result\":{}}");
            c.finish();
        }
        assertEquals(Set.of(Conversation.SERVING_THREAD), threads);
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("warmpool-worker-")
                && !t.getName().equals("warmpool-worker-relay") && t.isAlive()), "no reading thread was started");
    }

    @Test
    void theRelaySleepsWhenNoRequestsCome() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[1]}");
            // it looks every millisecond while requests come, then parks without a timeout: an idle
            // worker wakes up for nothing
            Thread relay = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("warmpool-worker-relay") && t.isAlive()).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(5)).until(() -> relay.getState() == Thread.State.WAITING);
            // and the next request that runs long still gets a reader beside it
            pingWhileSleepingThenCancel(c, 2);
            c.finish();
        }
    }

    @Test
    void requestsThatArriveTogetherRunAtOnce() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        WorkerServer server = base().method("meet", (params, ctx) -> {
            both.countDown();
            // answers only if the other request runs at the same time
            return both.await(5, TimeUnit.SECONDS) ? "met" : "alone";
        }).build();
        try (Conversation c = new Conversation(server)) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"meet\"}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"meet\"}");
            Set<JsonNode> answers = Set.of(c.receive(), c.receive());
            assertEquals(Set.of(Conversation.JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"met\"}"),
                    Conversation.JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"met\"}")), answers);
            c.finish();
        }
    }

    @Test
    void anExecutorRunsTheHandlersOnItsThreads() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "mine"));
        try {
            WorkerServer server = base().executor(executor)
                    .method("thread", (params, ctx) -> Thread.currentThread().getName()).build();
            try (Conversation c = new Conversation(server)) {
                c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"thread\"}");
                c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"mine\"}");
                // the reading thread stays free: a ping is answered while the executor's one thread sleeps
                pingWhileSleepingThenCancel(c, 2);
                c.finish();
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void anInterruptForACancelledRequestDoesNotReachTheNextOne() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WorkerServer server = base()
                .method("interrupted", (params, ctx) -> Thread.currentThread().getName() + " interrupted: "
                        + Thread.currentThread().isInterrupted())
                .method("hold", (params, ctx) -> {
                    holding.countDown();
                    return release.await(5, TimeUnit.SECONDS);
                })
                .build();
        try (Conversation c = new Conversation(server)) {
            // the serving thread runs the sleep, is interrupted by the cancel, and waits to read again
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sleep\",\"params\":{\"ms\":60000}}");
            assertTrue(started.await(5, TimeUnit.SECONDS));
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":1}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32800,\"message\":\"request cancelled\"}}");
            // the thread reading now runs a handler that holds, so the role comes back to the serving thread
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"hold\"}");
            assertTrue(holding.await(5, TimeUnit.SECONDS));
            c.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"interrupted\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":\"" + Conversation.SERVING_THREAD
                    + " interrupted: false\"}");
            release.countDown();
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":true}");
            c.finish();
        }
    }

    @Test
    void notificationsFromAThreadOfTheHandlersGoOutBeforeTheResponse() throws Exception {
        WorkerServer server = base().method("helped", (params, ctx) -> {
            Thread helper = Thread.ofPlatform().start(() -> ctx.progress("from a helper"));
            helper.join();
            return "done";
        }).build();
        try (Conversation c = new Conversation(server)) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"helped\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"id\":9,\"value\":\"from a helper\"}}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":\"done\"}");
            c.finish();
        }
    }

    @Test
    void notificationsAfterTheHandlerReturnedAreDropped() throws Exception {
        java.util.concurrent.atomic.AtomicReference<RequestContext> kept = new java.util.concurrent.atomic.AtomicReference<>();
        WorkerServer server = base().method("keep", (params, ctx) -> {
            kept.set(ctx);
            return "kept";
        }).build();
        try (Conversation c = new Conversation(server)) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"keep\"}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"kept\"}");
            kept.get().progress("too late");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":[2]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":[2]}");
            c.finish();
        }
    }

    @Test
    void aNotificationTooLargeForAFrameFailsInTheHandler() throws Exception {
        WorkerServer server = base().maxFrameBytes(1000).method("loud", (params, ctx) -> {
            try {
                ctx.progress("x".repeat(2000));
                return "sent";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }).build();
        try (Conversation c = new Conversation(server)) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"loud\"}");
            JsonNode r = c.receive();
            assertTrue(r.get("result").asText().startsWith("notification $/progress is 20"), r.toString());
            assertTrue(r.get("result").asText().endsWith("bytes, more than the frame limit of 1000 bytes"), r.toString());
            c.finish();
        }
    }

    @Test
    void blankLinesAreSkipped() throws Exception {
        try (Conversation c = new Conversation(base().build())) {
            c.sendRaw("\n\r\n  \n".getBytes(StandardCharsets.UTF_8));
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[1]}");
            c.finish();
        }
    }

    @Test
    void contentLengthFraming() throws Exception {
        try (Conversation c = new Conversation(base(Framing.CONTENT_LENGTH).build(), Framing.CONTENT_LENGTH)) {
            c.send("{\"jsonrpc\":\"2.0\",\n\"id\":1,\n\"method\":\"echo\",\n\"params\":[\"a\\nb\"]}");
            c.expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"a\\nb\"]}");
            c.finish();
        }
    }

    @Test
    void builderRejectsBadOptions() {
        WorkerServer.Builder b = WorkerServer.builder().name("x").method("m", (p, c) -> null);
        assertEquals("name was already set to x", assertThrows(IllegalStateException.class, () -> b.name("y")).getMessage());
        assertEquals("method m was already registered",
                assertThrows(IllegalStateException.class, () -> b.method("m", (p, c) -> null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.method("$/ping", (p, c) -> null))
                .getMessage().contains("answered by the server itself"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.method("rpc.discover", (p, c) -> null))
                .getMessage().contains("reserves"));
        assertEquals("maxFrameBytes is 0, but must be positive",
                assertThrows(IllegalArgumentException.class, () -> b.maxFrameBytes(0)).getMessage());
        assertFalse(b.build().name().isEmpty());
    }
}
