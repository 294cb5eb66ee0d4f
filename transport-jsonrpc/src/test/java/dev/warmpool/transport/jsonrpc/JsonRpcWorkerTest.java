package dev.warmpool.transport.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.Notification;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.transport.stdio.Framing;
import dev.warmpool.transport.stdio.InMemoryChannel;
import dev.warmpool.worker.WorkerServer;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool side of the protocol, against in-memory workers: the SDK's {@link WorkerServer}, or a
 * scripted worker that writes exactly the bytes a test needs. Real processes are tested in the
 * test kit.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JsonRpcWorkerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READY = "{\"protocolVersion\":1,\"capabilities\":{\"cancel\":true,\"ping\":true},\"name\":\"scripted\"}";

    /** The worker's pipes; this test plays the worker's end (or hands it to the SDK). */
    private final InMemoryChannel ch = new InMemoryChannel("w-1");
    /** The lines the transport sent, read from the worker's stdin. */
    private final BufferedReader sent = new BufferedReader(new InputStreamReader(ch.workerStdin(), StandardCharsets.UTF_8));
    private JsonRpcWorker worker;

    @AfterEach
    void killTheFake() {
        ch.kill();
    }

    private static WorkerSpec spec(int maxFrameBytes, boolean strict, Duration startTimeout) {
        return new WorkerSpec("w-1", List.of("in-memory"), Map.of(), Optional.empty(), startTimeout, maxFrameBytes, strict,
                50, Map.of());
    }

    private JsonRpcWorker newWorker(Framing framing, int maxFrameBytes, boolean strict) {
        return newWorker(framing, spec(maxFrameBytes, strict, Duration.ofSeconds(5)));
    }

    private JsonRpcWorker newWorker(Framing framing, WorkerSpec spec) {
        ObjectMapper mapper = JsonRpcProtocol.newObjectMapper(spec.maxFrameBytes()).registerModule(closedToJackson());
        return new JsonRpcWorker(ch, spec, mapper, framing, ResponseDecoder.newReaderCache());
    }

    /** What the JDK tells Jackson about a record in a package its module keeps closed (seen with Jackson 2.22). */
    private static final String CLOSED = "Unable to make public app.model.Pet(java.lang.String) accessible: "
            + "module app does not \"exports app.model\" to module com.fasterxml.jackson.databind";

    /** A type Jackson fails to reach as it does on the module path when the type's package is closed to it. */
    record Pet(String name) {
    }

    private static SimpleModule closedToJackson() {
        return new SimpleModule()
                .addSerializer(Pet.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Pet value, JsonGenerator g, SerializerProvider p) {
                        throw new IllegalArgumentException(CLOSED);
                    }
                })
                .addDeserializer(Pet.class, new JsonDeserializer<>() {
                    @Override
                    public Pet deserialize(JsonParser p, DeserializationContext c) throws IOException {
                        throw InvalidDefinitionException.from(p, CLOSED, c.constructType(Pet.class));
                    }
                });
    }

    /** Starts a worker whose other end is the SDK. */
    private JsonRpcWorker sdk(Framing framing) {
        WorkerServer server = WorkerServer.builder().name("sdk")
                .framing(dev.warmpool.worker.Framing.parse(framing.configName()))
                .method("echo", (p, c) -> p)
                .method("sleep", (p, c) -> {
                    Thread.sleep(p.get("ms").asLong());
                    return "slept";
                })
                .method("notify", (p, c) -> {
                    c.progress(1);
                    c.log("warn", "careful");
                    return "notified";
                })
                .build();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                server.serve(ch.workerStdin(), ch.workerStdout());
            } catch (IOException e) {
                // the test is over
            }
        });
        worker = newWorker(framing, 1 << 20, false);
        worker.open();
        return worker;
    }

    /** Starts a worker whose other end is this test: it answers the handshake with {@code answer}, as a result. */
    private JsonRpcWorker scripted(boolean strict, int maxFrameBytes, String answer) throws Exception {
        worker = newWorker(Framing.NEWLINE, maxFrameBytes, strict);
        CompletableFuture<Void> handshake = CompletableFuture.runAsync(() -> {
            try {
                JsonNode init = JSON.readTree(readLine());
                assertEquals("$/initialize", init.get("method").asText());
                assertEquals(JSON.readTree("{\"protocolVersion\":1,\"workerId\":\"w-1\"}"), init.get("params"));
                if (answer != null) {
                    write("{\"jsonrpc\":\"2.0\",\"id\":" + init.get("id") + ",\"result\":" + answer + "}\n");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        worker.open();
        handshake.get(5, TimeUnit.SECONDS);
        return worker;
    }

    private JsonRpcWorker scripted() throws Exception {
        return scripted(false, 1 << 20, READY);
    }

    private CompletableFuture<Object> call(String method, Object params) {
        return worker.call(new Call<>(method, params, Object.class, NotificationListener.NONE));
    }

    /** @return the id of the next request the transport sent */
    private long nextRequestId() throws IOException {
        return JSON.readTree(readLine()).get("id").asLong();
    }

    /** @return the next line the transport sent, as the worker reads it */
    private String readLine() throws IOException {
        return sent.readLine();
    }

    /** Writes raw text to the transport, as the worker's stdout. */
    private void write(String text) throws IOException {
        ch.workerStdout().write(text.getBytes(StandardCharsets.UTF_8));
        ch.workerStdout().flush();
    }

    /** @return whether the transport killed the worker (the in-memory channel exits with 137 then) */
    private boolean killed() {
        return ch.onExit().getNow(0) == 137;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void talksToTheSdk() throws Exception {
        sdk(Framing.NEWLINE);
        assertEquals("sdk", worker.name());
        assertTrue(worker.pid().isEmpty(), "an in-memory worker has no process");
        for (int i = 0; i < 1000; i++) {
            assertEquals(List.of(i, "x"), call("echo", List.of(i, "x")).get(5, TimeUnit.SECONDS));
        }
        assertNull(worker.ping().get(5, TimeUnit.SECONDS));

        List<Notification> got = Collections.synchronizedList(new ArrayList<>());
        assertEquals("notified", worker.call(new Call<>("notify", null, String.class, got::add)).get(5, TimeUnit.SECONDS));
        assertEquals(2, got.size());
        assertEquals("$/progress", got.get(0).method());
        assertEquals("w-1", got.get(0).workerId());
        assertEquals(1, ((Map<?, ?>) got.get(0).params()).get("value"));
        assertEquals("$/log", got.get(1).method());
        assertEquals("careful", ((Map<?, ?>) got.get(1).params()).get("message"));

        CompletableFuture<Object> sleeping = call("sleep", Map.of("ms", 60_000));
        assertTrue(worker.cancel());
        assertEquals(WorkerErrorException.Kind.REQUEST_CANCELLED,
                assertInstanceOf(WorkerErrorException.class, failure(sleeping)).kind());
        assertTrue(worker.isUsable());
    }

    @Test
    void talksToTheSdkWithContentLengthFraming() throws Exception {
        sdk(Framing.CONTENT_LENGTH);
        Map<String, Object> params = Map.of("text", "two\nlines", "n", 2);
        assertEquals(params, call("echo", params).get(5, TimeUnit.SECONDS));
    }

    @Test
    void handshakeTimeoutKillsTheWorker() {
        worker = newWorker(Framing.NEWLINE, spec(1024, false, Duration.ofMillis(200)));
        ch.stderr("starting slowly");
        WorkerStartException e = assertThrows(WorkerStartException.class, worker::open);
        assertTrue(e.getMessage().startsWith("worker w-1 did not become ready within 200 ms (startTimeout)"),
                e.getMessage());
        assertEquals(List.of("starting slowly"), e.stderrTail());
        assertTrue(killed());
    }

    @Test
    void theStartTimeoutIsNamedInHumanUnits() {
        // the wording is the process-worker base's; this checks the transport hands it the spec's timeout
        worker = newWorker(Framing.NEWLINE, spec(1024, false, Duration.ofMillis(1500)));
        WorkerStartException e = assertThrows(WorkerStartException.class, worker::open);
        assertTrue(e.getMessage().startsWith("worker w-1 did not become ready within 1.5 s (startTimeout)"),
                e.getMessage());
    }

    @Test
    void anotherProtocolVersionFailsTheHandshakeNamingBoth() {
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> scripted(false, 1024,
                "{\"protocolVersion\":2,\"capabilities\":{}}"));
        assertTrue(e.getMessage().startsWith("worker w-1 speaks protocol version 2, but this transport speaks version 1"),
                e.getMessage());
        assertTrue(killed());
    }

    @Test
    void exitBeforeTheHandshakeFailsWithTheExitCode() {
        worker = newWorker(Framing.NEWLINE, 1024, false);
        ch.stderr("cannot start: missing config");
        CompletableFuture.runAsync(() -> {
            try {
                readLine();
                ch.exit(3);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        WorkerStartException e = assertThrows(WorkerStartException.class, worker::open);
        assertTrue(e.getMessage().startsWith("worker w-1 exited with code 3 before it became ready"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot start: missing config"), e.getMessage());
        assertInstanceOf(WorkerCrashedException.class, e.getCause());
    }

    @Test
    void errorResponseBecomesWorkerErrorException() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        write("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32000,\"message\":\"busy\",\"data\":[1,{\"a\":null}]}}\n");
        WorkerErrorException e = assertInstanceOf(WorkerErrorException.class, failure(f));
        assertEquals(-32000, e.code());
        assertEquals(WorkerErrorException.Kind.SERVER_ERROR, e.kind());
        assertEquals(List.of(1, Collections.singletonMap("a", null)), e.data().orElseThrow());
        assertTrue(worker.isUsable());
    }

    @Test
    void errorWithNullIdGoesToTheCallInFlight() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        nextRequestId();
        write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid Request\"}}\n");
        assertEquals(WorkerErrorException.Kind.INVALID_REQUEST, assertInstanceOf(WorkerErrorException.class, failure(f)).kind());
        assertTrue(worker.isUsable());
    }

    @Test
    void responseToAnUnknownIdMakesTheWorkerUnusable() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        write("{\"jsonrpc\":\"2.0\",\"id\":" + (id + 5) + ",\"result\":1}\n");
        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(f));
        assertTrue(e.getMessage().startsWith("worker w-1 answered request " + (id + 5) + ", which is not in flight"),
                e.getMessage());
        assertFalse(worker.isUsable());
        ProtocolException next = assertInstanceOf(ProtocolException.class, failure(call("x", List.of())));
        assertTrue(next.getMessage().contains("the worker is no longer usable, so request " + (id + 1) + " was not sent"),
                next.getMessage());
    }

    @Test
    void responseWithNeitherResultNorErrorIsAViolation() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        write("{\"jsonrpc\":\"2.0\",\"id\":" + id + "}\n");
        assertTrue(assertInstanceOf(ProtocolException.class, failure(f)).getMessage().contains("neither result, error nor method"));
        assertFalse(worker.isUsable());
    }

    @Test
    void anotherJsonrpcVersionIsAViolation() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        write("{\"jsonrpc\":\"1.0\",\"id\":" + id + ",\"result\":1}\n");
        assertTrue(assertInstanceOf(ProtocolException.class, failure(f)).getMessage().contains("jsonrpc \"1.0\""));
    }

    @Test
    void linesThatAreNotMessagesAreSkippedUnlessStrict() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        write("debug: starting work\n{\"level\":\"info\",\"msg\":\"structured log\"}\n42\n[]\n");
        write("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\"fine\"}\n");
        assertEquals("fine", f.get(5, TimeUnit.SECONDS));
        assertTrue(worker.isUsable());
    }

    @Test
    void strictOutputTurnsANonMessageLineIntoAViolation() throws Exception {
        scripted(true, 1024, READY);
        CompletableFuture<Object> f = call("x", List.of());
        nextRequestId();
        write("debug: starting work\n");
        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(f));
        assertTrue(e.getMessage().contains("not a JSON-RPC message (strictOutput is on): 'debug: starting work'"),
                e.getMessage());
        assertFalse(worker.isUsable());
    }

    @Test
    void malformedJsonRpcMessageIsAViolationEvenWhenLenient() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        write("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":[1,2}\n");
        assertTrue(assertInstanceOf(ProtocolException.class, failure(f)).getMessage().contains("malformed JSON-RPC message"));
    }

    @Test
    void jsonBeyondTheParserLimitsIsAViolation() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        write("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + "[".repeat(501) + "]".repeat(501) + "}\n");
        assertTrue(assertInstanceOf(ProtocolException.class, failure(f)).getMessage().contains("beyond the parser limits"));
    }

    @Test
    void oversizeFrameNamesSizeAndLimit() throws Exception {
        scripted(false, 1024, READY);
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        write("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\"" + "z".repeat(3000) + "\"}\n");
        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(f));
        assertTrue(e.getMessage().contains("limit of 1024 bytes") && e.getMessage().contains("30"), e.getMessage());
        assertFalse(worker.isUsable());
    }

    @Test
    void resultOfTheWrongTypeIsTheCallersMistakeAndTheWorkerStaysUsable() throws Exception {
        scripted();
        CompletableFuture<Integer> f = worker.call(new Call<>("x", List.of(), Integer.class, NotificationListener.NONE));
        long id = nextRequestId();
        write("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"not\":\"a number\"}}\n");
        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, failure(f));
        assertTrue(e.getMessage().startsWith("worker w-1 answered request " + id
                + " (x) with a result that cannot be converted to java.lang.Integer ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("; ask for a type that fits it, or Object.class for plain maps, lists, "
                + "strings, numbers and booleans"), e.getMessage());
        assertTrue(worker.isUsable());
        CompletableFuture<Object> next = call("x", List.of());
        write("{\"jsonrpc\":\"2.0\",\"id\":" + nextRequestId() + ",\"result\":3}\n");
        assertEquals(3, next.get(5, TimeUnit.SECONDS));
    }

    @Test
    void resultsArriveTheSameWhateverTheMemberOrderOrExtraMembers() throws Exception {
        scripted();
        // the first two take the one-pass path (jsonrpc, id, then result), the others the general one
        String[] templates = {
            "{\"jsonrpc\":\"2.0\",\"id\":%d,\"result\":{\"a\":[1,2.5,null,true,\"s\"],\"big\":12345678901}}",
            "{\"id\":%d,\"result\":{\"a\":[1,2.5,null,true,\"s\"],\"big\":12345678901},\"jsonrpc\":\"2.0\"}",
            "{\"result\":{\"a\":[1,2.5,null,true,\"s\"],\"big\":12345678901},\"jsonrpc\":\"2.0\",\"id\":%d}",
            "{\"jsonrpc\":\"2.0\",\"id\":%d,\"result\":{\"a\":[1,2.5,null,true,\"s\"],\"big\":12345678901},\"x\":0}",
        };
        List<Object> array = new ArrayList<>(List.of(1, 2.5));
        array.add(null);
        array.addAll(List.of(true, "s"));
        Map<String, Object> expected = Map.of("a", array, "big", 12345678901L);
        for (String template : templates) {
            CompletableFuture<Object> f = call("x", List.of());
            write(String.format(template, nextRequestId()) + "\n");
            assertEquals(expected, f.get(5, TimeUnit.SECONDS), template);
        }
        CompletableFuture<Object> nothing = call("x", List.of());
        write("{\"jsonrpc\":\"2.0\",\"id\":" + nextRequestId() + ",\"result\":null}\n");
        assertNull(nothing.get(5, TimeUnit.SECONDS));
        CompletableFuture<Integer> typed = worker.call(new Call<>("x", List.of(), Integer.class, NotificationListener.NONE));
        write("{\"jsonrpc\":\"2.0\",\"id\":" + nextRequestId() + ",\"result\":7}\n");
        assertEquals(7, typed.get(5, TimeUnit.SECONDS));
        assertTrue(worker.isUsable());
    }

    @Test
    void aResultFrameWithTrailingJsonIsAViolation() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        write("{\"jsonrpc\":\"2.0\",\"id\":" + nextRequestId() + ",\"result\":1} {\"more\":2}\n");
        assertInstanceOf(ProtocolException.class, failure(f));
        assertFalse(worker.isUsable());
    }

    @Test
    void aResultTypeJacksonCannotReachNamesTheOpensLineToAdd() throws Exception {
        scripted();
        CompletableFuture<Pet> f = worker.call(new Call<>("x", List.of(), Pet.class, NotificationListener.NONE));
        write("{\"jsonrpc\":\"2.0\",\"id\":" + nextRequestId() + ",\"result\":{\"name\":\"rex\"}}\n");
        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, failure(f));
        assertTrue(e.getMessage().endsWith("; add 'opens app.model to com.fasterxml.jackson.databind;' to the "
                + "module-info.java of module app"), e.getMessage());
        assertTrue(worker.isUsable());
    }

    @Test
    void paramsJacksonCannotReachNameTheOpensLineToAdd() throws Exception {
        scripted();
        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class,
                failure(call("x", List.of(new Pet("rex")))));
        assertTrue(e.getMessage().startsWith("params of x cannot be written as JSON: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; add 'opens app.model to com.fasterxml.jackson.databind;' to the "
                + "module-info.java of module app"), e.getMessage());
        assertTrue(worker.isUsable());
    }

    @Test
    void paramsThatCannotBeSentFailWithoutSendingAnything() throws Exception {
        scripted(false, 200, READY);
        assertInstanceOf(IllegalArgumentException.class, failure(call("x", "a bare string")));
        assertInstanceOf(IllegalArgumentException.class, failure(call("x", 42)));
        IllegalArgumentException big = assertInstanceOf(IllegalArgumentException.class,
                failure(call("x", List.of("q".repeat(500)))));
        assertTrue(big.getMessage().contains("more than the frame limit of 200 bytes"), big.getMessage());
        assertInstanceOf(IllegalArgumentException.class, failure(call("x", List.of(new Object()))));
        assertTrue(worker.isUsable());
        CompletableFuture<Object> f = call("x", null);
        JsonNode sent = JSON.readTree(readLine());
        assertEquals("x", sent.get("method").asText()); // nothing of the failed calls reached the worker
        assertFalse(sent.has("params"));
        write("{\"jsonrpc\":\"2.0\",\"id\":" + sent.get("id") + ",\"result\":null}\n");
        assertNull(f.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aRequestFromTheWorkerIsAnsweredMethodNotFound() throws Exception {
        scripted();
        write("{\"jsonrpc\":\"2.0\",\"id\":\"w1\",\"method\":\"askThePool\"}\n");
        assertEquals(JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":\"w1\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}"),
                JSON.readTree(readLine()));
        assertTrue(worker.isUsable());
    }

    @Test
    void notificationsGoToTheCallTheyAreAbout() throws Exception {
        scripted();
        List<Notification> got = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Object> f = worker.call(new Call<>("x", List.of(), Object.class, n -> {
            got.add(n);
            throw new IllegalStateException("a listener that throws changes nothing");
        }));
        long id = nextRequestId();
        write("{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"id\":" + (id - 1) + ",\"value\":\"stale\"}}\n");
        write("{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"id\":" + id + ",\"value\":0.5}}\n");
        write("{\"jsonrpc\":\"2.0\",\"method\":\"custom\",\"params\":[1]}\n");
        write("{\"jsonrpc\":\"2.0\",\"method\":\"bare\"}\n");
        write("[{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\"batched\"}]\n");
        assertEquals("batched", f.get(5, TimeUnit.SECONDS));
        assertEquals(List.of(
                new Notification("w-1", "$/progress", Map.of("id", (int) id, "value", 0.5)),
                new Notification("w-1", "custom", List.of(1)),
                new Notification("w-1", "bare", null)), got);
    }

    @Test
    void cancelSendsCancelRequestForTheCallInFlight() throws Exception {
        scripted();
        assertTrue(worker.cancel()); // nothing in flight: nothing sent
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        assertTrue(worker.cancel());
        assertEquals(JSON.readTree("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":" + id + "}}"),
                JSON.readTree(readLine()));
        write("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32800,\"message\":\"request cancelled\"}}\n");
        assertEquals(WorkerErrorException.Kind.REQUEST_CANCELLED,
                assertInstanceOf(WorkerErrorException.class, failure(f)).kind());
    }

    @Test
    void aWorkerWithoutCapabilitiesIsNotCancelledOrPinged() throws Exception {
        scripted(false, 1024, "{\"protocolVersion\":1}");
        call("x", List.of());
        assertFalse(worker.cancel());
        assertNull(worker.ping().get(1, TimeUnit.SECONDS));
    }

    @Test
    void exitMidCallIsACrashEvenWithStatusZero() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        ch.stderr("last words");
        ch.exit(0);
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(f));
        assertEquals(0, e.exitCode());
        assertEquals(List.of("last words"), e.stderrTail());
        assertTrue(e.getMessage().startsWith("worker w-1 exited while running request " + id + " (exit code 0)"),
                e.getMessage());
        assertFalse(worker.isUsable());
        WorkerCrashedException next = assertInstanceOf(WorkerCrashedException.class, failure(call("x", List.of())));
        assertTrue(next.getMessage().contains("had already exited when request " + (id + 1) + " was to be sent"),
                next.getMessage());
    }

    @Test
    void truncatedFrameThenEndOfFileIsACrash() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        write("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\"complete but no newline\"}");
        ch.exit(0);
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(f));
        assertTrue(e.getMessage().contains("its output ended in the middle of a line"), e.getMessage());
    }

    @Test
    void closingStdoutWhileAliveIsACrashWithoutExitCode() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        long id = nextRequestId();
        ch.workerStdout().close();
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(f));
        assertEquals(-1, e.exitCode());
        assertTrue(e.getMessage().startsWith("worker w-1 closed its stdout while running request " + id), e.getMessage());
    }

    @Test
    void exitWhileSomethingElseHoldsStdoutIsStillACrash() throws Exception {
        scripted();
        CompletableFuture<Object> f = call("x", List.of());
        nextRequestId();
        ch.exitHoldingPipes(1); // as when a grandchild inherited stdout
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(f));
        assertEquals(1, e.exitCode());
        assertTrue(e.getMessage().contains("a process it started still holds its stdout"), e.getMessage());
    }

    @Test
    void stdinClosedBeforeTheRequestIsACrash() throws Exception {
        scripted();
        ch.workerStdin().close();
        ch.exitHoldingPipes(1);
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(call("x", List.of())));
        assertEquals(1, e.exitCode());
    }
}
