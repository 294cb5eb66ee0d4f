package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.Request;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.core.WarmPool;
import dev.warmpool.transport.stdio.Framing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a worker library ({@code examples/python/warmpool_worker.py}, {@code examples/node/warmpool_worker.js})
 * must do, checked on real processes of a worker written with it ({@code src/test/python/spec_worker.py},
 * {@code src/test/node/spec_worker.js}):
 * <ul>
 *   <li>every example of section 7 of the JSON-RPC 2.0 specification, in both framings, as the Java
 *       SDK's {@code JsonRpcConformanceTest} checks them: responses compared as JSON trees, those in a
 *       batch as a multiset. With newline framing each request is one line; with Content-Length
 *       framing it is sent as the specification prints it, line breaks included;</li>
 *   <li>the warmpool protocol: handshake, ping and cancellation while a method runs, frame limits,
 *       broken framing, end of input, stray output;</li>
 *   <li>a method that never blocks, cancelled at a real pool's run deadline, with its worker reused.</li>
 * </ul>
 * One process per framing serves the tests that leave it as they found it; "nothing is answered" is
 * checked by sending a request right after and seeing its answer come next (the libraries answer
 * in order when methods run inline).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class WorkerLibraryConformance {
    private final Map<Framing, WorkerConversation> workers = new EnumMap<>(Framing.class);
    private int sync;

    /** @return the argv that starts the spec worker */
    abstract List<String> command();

    /** Names what is missing to run the worker (e.g. "python3 not found on PATH"); skips the test. */
    abstract void assumeRuntime();

    /** @return the class name the library reports for an exception a method did not expect */
    abstract String unexpectedExceptionName();

    private WorkerConversation worker(Framing f) throws IOException {
        assumeRuntime();
        WorkerConversation w = workers.get(f);
        if (w == null) {
            w = WorkerConversation.start(command(), f);
            workers.put(f, w);
        }
        return w;
    }

    @AfterAll
    void eachWorkerExitsCleanlyAtTheEndOfItsInput() throws Exception {
        AssertionError first = null;
        for (WorkerConversation w : workers.values()) {
            try (w) {
                WorkerConversation.Ending end = w.finish();
                assertEquals(List.of(), end.frames(), "nothing was left to answer");
                assertEquals(0, end.exitStatus(), () -> "exit status; stderr: " + w.stderr());
            } catch (AssertionError e) {
                // every worker is still closed (and killed if need be) before the first failure is reported
                first = first == null ? e : first;
            }
        }
        workers.clear();
        Processes.assertNoDescendantsLeft();
        if (first != null) {
            throw first;
        }
    }

    private static String frameText(Framing f, String request) {
        return f == Framing.NEWLINE ? request.replace("\n", " ") : request;
    }

    private static JsonNode json(String s) throws IOException {
        return WorkerConversation.JSON.readTree(s);
    }

    /** Sends a request and asserts its answer. */
    private void assertExchange(Framing f, String request, String expected) throws Exception {
        WorkerConversation w = worker(f);
        w.send(frameText(f, request));
        w.expect(expected);
    }

    /** Sends a batch and compares the one array that comes back with {@code expected} as multisets. */
    private void assertBatch(Framing f, String request, String expected) throws Exception {
        WorkerConversation w = worker(f);
        w.send(frameText(f, request));
        JsonNode got = w.receive();
        assertTrue(got.isArray(), () -> "expected an array, got " + got);
        Map<JsonNode, Integer> want = new HashMap<>();
        json(expected).forEach(n -> want.merge(n, 1, Integer::sum));
        Map<JsonNode, Integer> have = new HashMap<>();
        got.forEach(n -> have.merge(n, 1, Integer::sum));
        assertEquals(want, have);
    }

    /**
     * Asserts that nothing was written since the last answer, and returns the notifications the
     * worker's methods handled since the last call: the answer to {@code take-notified} must be the
     * next frame.
     */
    private List<String> nothingAnsweredThenNotified(Framing f) throws Exception {
        WorkerConversation w = worker(f);
        String id = "sync-" + (++sync);
        JsonNode answer = w.call("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"take-notified\"}");
        assertEquals(id, answer.path("id").asText(), () -> "a frame came before the answer to " + id + ": " + answer);
        return WorkerConversation.JSON.convertValue(answer.get("result"),
                WorkerConversation.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    // ---------------------------------------------------------------- JSON-RPC 2.0, section 7

    @ParameterizedTest
    @EnumSource(Framing.class)
    void positionalParameters(Framing f) throws Exception {
        assertExchange(f, "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}");
        assertExchange(f, "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [23, 42], \"id\": 2}",
                "{\"jsonrpc\": \"2.0\", \"result\": -19, \"id\": 2}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void namedParameters(Framing f) throws Exception {
        assertExchange(f,
                "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 3}");
        assertExchange(f,
                "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 42, \"subtrahend\": 23}, \"id\": 4}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 4}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void notificationsAreNeverAnswered(Framing f) throws Exception {
        WorkerConversation w = worker(f);
        nothingAnsweredThenNotified(f);
        w.send("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}");
        w.send("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}");
        assertEquals(List.of("update [1, 2, 3, 4, 5]"), nothingAnsweredThenNotified(f));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void nonExistentMethod(Framing f) throws Exception {
        assertExchange(f, "{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"1\"}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void invalidJson(Framing f) throws Exception {
        assertExchange(f, "{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void invalidRequestObject(Framing f) throws Exception {
        assertExchange(f, "{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void batchWithInvalidJson(Framing f) throws Exception {
        assertExchange(f, """
                [
                  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                  {"jsonrpc": "2.0", "method"
                ]""",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void emptyArray(Framing f) throws Exception {
        assertExchange(f, "[]",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void invalidBatchButNotEmpty(Framing f) throws Exception {
        assertBatch(f, "[1]",
                "[{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}]");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void invalidBatch(Framing f) throws Exception {
        String invalid = "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}";
        assertBatch(f, "[1,2,3]", "[" + invalid + "," + invalid + "," + invalid + "]");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void mixedBatch(Framing f) throws Exception {
        nothingAnsweredThenNotified(f);
        assertBatch(f, """
                [
                    {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                    {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                    {"foo": "boo"},
                    {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                    {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
                ]""", """
                [
                    {"jsonrpc": "2.0", "result": 7, "id": "1"},
                    {"jsonrpc": "2.0", "result": 19, "id": "2"},
                    {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
                    {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
                    {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
                ]""");
        assertEquals(List.of("notify_hello [7]"), nothingAnsweredThenNotified(f));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void allNotificationBatchGetsNothingAtAll(Framing f) throws Exception {
        nothingAnsweredThenNotified(f);
        worker(f).send(frameText(f, """
                [
                    {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
                    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
                ]"""));
        assertEquals(List.of("notify_sum [1, 2, 4]", "notify_hello [7]"), nothingAnsweredThenNotified(f));
    }

    // ---------------------------------------------------------------- the warmpool protocol

    @ParameterizedTest
    @EnumSource(Framing.class)
    void answersTheHandshakeWithVersionCapabilitiesAndName(Framing f) throws Exception {
        assertExchange(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$/initialize\",\"params\":{\"protocolVersion\":1,\"workerId\":\"w-1\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":1,\"capabilities\":{\"cancel\":true,\"ping\":true},\"name\":\"spec\"}}");
        assertExchange(f, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"$/ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void idsComeBackExactlyAsSent(Framing f) throws Exception {
        assertExchange(f, "{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"method\":\"get_data\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"result\":[\"hello\",5]}");
        assertExchange(f, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"get_data\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":[\"hello\",5]}");
        assertExchange(f, "{\"jsonrpc\":\"2.0\",\"id\":-12.5,\"method\":\"get_data\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":-12.5,\"result\":[\"hello\",5]}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void pingIsAnsweredWhileAMethodRunsAndCancelEndsIt(Framing f) throws Exception {
        WorkerConversation w = worker(f);
        w.send("{\"jsonrpc\":\"2.0\",\"id\":\"long\",\"method\":\"sleep\",\"params\":{\"ms\":60000}}");
        w.send("{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"$/ping\"}");
        w.expect("{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"result\":{}}");
        w.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"long\"}}");
        w.expect("{\"jsonrpc\":\"2.0\",\"id\":\"long\",\"error\":{\"code\":-32800,\"message\":\"request cancelled\"}}");
        assertExchange(f, "{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"method\":\"subtract\",\"params\":[3,1]}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"result\":2}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void aMethodThatNeverBlocksIsStillCancelled(Framing f) throws Exception {
        WorkerConversation w = worker(f);
        w.send("{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"spin\"}");
        w.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":11}}");
        w.expect("{\"jsonrpc\":\"2.0\",\"id\":11,\"error\":{\"code\":-32800,\"message\":\"request cancelled\"}}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void aCancellationForARequestThatIsNotRunningIsIgnored(Framing f) throws Exception {
        WorkerConversation w = worker(f);
        w.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":12345}}");
        w.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"1\"}}");
        w.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\"}");
        assertEquals(List.of(), nothingAnsweredThenNotified(f));
        // a request with the id of an old cancellation runs to the end
        assertExchange(f, "{\"jsonrpc\":\"2.0\",\"id\":12345,\"method\":\"sleep\",\"params\":{\"ms\":1}}",
                "{\"jsonrpc\":\"2.0\",\"id\":12345,\"result\":{\"slept\":1}}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void aMethodsErrorsAreAnsweredAndTheWorkerStaysUp(Framing f) throws Exception {
        assertExchange(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"refuse\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-31000,\"message\":\"refused\",\"data\":{\"why\":\"asked to\"}}}");
        JsonNode crash = worker(f).call("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"fail\"}");
        assertEquals(-32603, crash.path("error").path("code").asInt(), crash::toString);
        assertEquals(unexpectedExceptionName(), crash.path("error").path("data").path("exception").asText(), crash::toString);
        assertTrue(crash.path("error").path("message").asText().length() > 0, crash::toString);
        assertExchange(f, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"subtract\",\"params\":[2,1]}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":1}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void strayOutputOfAMethodGoesToStderrNotBetweenTheFrames(Framing f) throws Exception {
        assertExchange(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"noisy\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"quiet\"}");
        assertTrue(worker(f).stderr().contains("a stray line that must not reach stdout")
                || awaitStderr(worker(f), "a stray line that must not reach stdout"), worker(f)::stderr);
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void progressNotificationsComeBeforeTheAnswerAndNameTheRequest(Framing f) throws Exception {
        WorkerConversation w = worker(f);
        w.send("{\"jsonrpc\":\"2.0\",\"id\":\"pr\",\"method\":\"progress\",\"params\":{\"n\":3}}");
        for (int i = 0; i < 3; i++) {
            w.expect("{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"id\":\"pr\",\"value\":{\"step\":" + i + "}}}");
        }
        w.expect("{\"jsonrpc\":\"2.0\",\"id\":\"pr\",\"result\":\"done\"}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void invalidUtf8AndNonJsonNumbersAreParseErrors(Framing f) throws Exception {
        WorkerConversation w = worker(f);
        byte[] bad = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"get_data\",\"params\":[\"\u00ff\u00ff\"]}"
                .getBytes(StandardCharsets.ISO_8859_1);
        w.sendRaw(framed(f, bad));
        w.expect("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}");
        w.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sum\",\"params\":[NaN]}");
        w.expect("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void aFrameOverTheLimitIsSkippedAndAnsweredAndSoIsATooLargeResult(Framing f) throws Exception {
        assumeRuntime();
        int limit = 256;
        try (WorkerConversation w = WorkerConversation.start(command(), f, limit, Map.of())) {
            String padding = "y".repeat(300);
            w.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"get_data\",\"params\":[\"" + padding + "\"]}");
            int size = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"get_data\",\"params\":[\"" + padding + "\"]}").length();
            w.expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid Request\","
                    + "\"data\":{\"size\":" + size + ",\"limit\":" + limit + "}}}");
            w.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"subtract\",\"params\":[5,1]}");
            w.expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":4}");
            JsonNode big = w.call("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"big\",\"params\":{\"chars\":1000}}");
            assertEquals(-32603, big.path("error").path("code").asInt(), big::toString);
            assertEquals(3, big.path("id").asInt(), big::toString);
            assertEquals(limit, big.path("error").path("data").path("limit").asInt(), big::toString);
            assertTrue(big.path("error").path("data").path("size").asInt() > limit, big::toString);
            WorkerConversation.Ending end = w.finish();
            assertEquals(new WorkerConversation.Ending(List.of(), 0), end);
        }
    }

    /**
     * {@code background} asks for concurrency the way its language does (a thread of its own in
     * Python, a pending promise in Node): the worker keeps reading, answers later requests first, and
     * the cancellation reaches the method (through {@code ctx.sleep} in Python, {@code ctx.signal} in Node).
     */
    @Test
    void aMethodThatAsksForConcurrencyLeavesTheReadingFreeSoLaterRequestsAreAnsweredFirst() throws Exception {
        assumeRuntime();
        try (WorkerConversation w = WorkerConversation.start(command(), Framing.NEWLINE)) {
            w.send("{\"jsonrpc\":\"2.0\",\"id\":\"bg\",\"method\":\"background\",\"params\":{\"ms\":60000}}");
            w.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"subtract\",\"params\":[9,3]}");
            w.expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":6}");
            w.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"bg\"}}");
            w.expect("{\"jsonrpc\":\"2.0\",\"id\":\"bg\",\"error\":{\"code\":-32800,\"message\":\"request cancelled\"}}");
            assertEquals(new WorkerConversation.Ending(List.of(), 0), w.finish());
        }
    }

    @Test
    void aBrokenContentLengthHeaderIsAParseErrorAndTheWorkerExitsWithStatusOne() throws Exception {
        assumeRuntime();
        try (WorkerConversation w = WorkerConversation.start(command(), Framing.CONTENT_LENGTH)) {
            w.sendRaw("Content-Length: 2\r\n\r\n[]".getBytes(StandardCharsets.US_ASCII));
            w.expect("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid Request\"},\"id\":null}");
            w.sendRaw("Content-Type: json\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
            JsonNode error = w.receive();
            assertEquals(-32700, error.path("error").path("code").asInt(), error::toString);
            assertTrue(error.path("error").path("data").asText().contains("without a Content-Length header"), error::toString);
            assertEquals(1, w.awaitExit(), w::stderr);
        }
    }

    @Test
    void atTheEndOfItsInputAWorkerAnswersWhatStillRunsThenExits() throws Exception {
        assumeRuntime();
        try (WorkerConversation w = WorkerConversation.start(command(), Framing.NEWLINE)) {
            w.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sleep\",\"params\":{\"ms\":300}}");
            WorkerConversation.Ending end = w.finish();
            assertEquals(List.of(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"slept\":300}}")), end.frames());
            assertEquals(0, end.exitStatus(), w::stderr);
        }
    }

    @Test
    void aBadFramingInTheEnvironmentStopsTheWorkerWithAMessageNamingIt() throws Exception {
        assumeRuntime();
        try (WorkerConversation w = WorkerConversation.start(command(), Framing.NEWLINE, 1024,
                Map.of("WARMPOOL_FRAMING", "carrier-pigeon"))) {
            assertNotEquals(0, w.awaitExit());
            assertTrue(awaitStderr(w, "WARMPOOL_FRAMING is 'carrier-pigeon', but must be newline or content-length"),
                    w::stderr);
        }
        try (WorkerConversation w = WorkerConversation.start(command(), Framing.NEWLINE, 1024,
                Map.of("WARMPOOL_MAX_FRAME_BYTES", "lots"))) {
            assertNotEquals(0, w.awaitExit());
            assertTrue(awaitStderr(w, "WARMPOOL_MAX_FRAME_BYTES is 'lots', but must be a positive number of bytes"),
                    w::stderr);
        }
    }

    @Test
    void throughAPoolAMethodThatNeverBlocksIsCancelledAtTheRunDeadlineAndItsWorkerReused() throws Exception {
        assumeRuntime();
        PoolConfig config = PoolConfig.builder()
                .command(command())
                .transport("jsonrpc")
                .size(1)
                .minSize(1)
                .maxSize(1)
                .requestTimeout(Duration.ofMillis(300))
                .build();
        List<Long> pids;
        try (WarmPool pool = WarmPool.start(config)) {
            pids = pool.workerPids();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.submit("spin", null).get(20, TimeUnit.SECONDS));
            assertInstanceOf(RequestTimeoutException.class, e.getCause());
            // waits in the queue until the worker has answered -32800: a deadline of its own, not 300 ms
            Request next = Request.of("sleep", Map.of("ms", 5)).withTimeout(Duration.ofSeconds(20));
            assertEquals(Map.of("slept", 5), pool.submit(next).get(20, TimeUnit.SECONDS));
            PoolMetrics m = pool.metrics();
            assertEquals(1, m.totalSpawns(), () -> "the cancelled worker answered -32800 in time and was reused: " + m);
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(5, TimeUnit.SECONDS).join());
        }
    }

    private static byte[] framed(Framing f, byte[] body) {
        if (f == Framing.NEWLINE) {
            byte[] line = java.util.Arrays.copyOf(body, body.length + 1);
            line[body.length] = '\n';
            return line;
        }
        byte[] header = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = java.util.Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, frame, header.length, body.length);
        return frame;
    }

    /** stderr is read by another thread: waits up to 5 s for {@code text} to show up in it. */
    private static boolean awaitStderr(WorkerConversation w, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!w.stderr().contains(text)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
