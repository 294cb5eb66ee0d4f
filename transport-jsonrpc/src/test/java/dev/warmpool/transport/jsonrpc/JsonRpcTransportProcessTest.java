package dev.warmpool.transport.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.Notification;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.testkit.BadWorker;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.ProcessAudit;
import dev.warmpool.testkit.TestWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code jsonrpc} transport against real worker processes from the test kit ({@link EchoWorker},
 * written with the worker SDK, and {@link BadWorker}, which breaks the protocol on purpose).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonRpcTransportProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final JsonRpcTransport transport = JsonRpcTransport.create();
    private final List<Worker> started = new ArrayList<>();

    @AfterEach
    void noProcessLeftBehind() throws Exception {
        for (Worker w : started) {
            w.kill();
        }
        ProcessAudit.assertNoDescendants(WAIT);
    }

    private JsonRpcWorker start(WorkerSpec spec) {
        return start(transport, spec);
    }

    private JsonRpcWorker start(JsonRpcTransport t, WorkerSpec spec) {
        JsonRpcWorker w = t.start(spec);
        started.add(w);
        return w;
    }

    private JsonRpcWorker echo() {
        return start(TestWorkers.spec("w-1", TestWorkers.java(EchoWorker.class)));
    }

    private JsonRpcWorker bad(String... args) {
        return start(TestWorkers.spec("w-1", TestWorkers.java(BadWorker.class, args)));
    }

    private static Object call(Worker w, String method, Object params) throws Exception {
        return w.call(new Call<>(method, params, Object.class, NotificationListener.NONE)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        return e.getCause();
    }

    private static Throwable failure(Worker w, String method, Object params) throws Exception {
        return failure(w.call(new Call<>(method, params, Object.class, NotificationListener.NONE)));
    }

    /** Stops the worker and checks its process is gone. */
    private static void stopAndCheckGone(Worker w) throws Exception {
        long pid = w.pid().orElseThrow();
        w.stop(Duration.ofSeconds(2)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(ProcessAudit.awaitGone(pid, WAIT), "process " + pid + " is still running");
        assertFalse(w.isUsable());
    }

    private static void killAndCheckGone(Worker w) throws Exception {
        long pid = w.pid().orElseThrow();
        w.kill();
        w.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(ProcessAudit.awaitGone(pid, WAIT), "process " + pid + " is still running");
        assertFalse(w.isUsable());
    }

    record Point(int x, int y) {
    }

    @Test
    void roundTrip() throws Exception {
        JsonRpcWorker w = start(TestWorkers.specBuilder("w-1", TestWorkers.java(EchoWorker.class))
                .env("GREETING", "hello").build());
        assertTrue(w.isUsable());
        assertEquals("echo", w.name());
        Map<String, Object> params = Map.of("a", 1, "b", List.of(true, "x", 2.5), "c", Map.of("d", "é ✓"));
        assertEquals(params, call(w, "echo", params));
        assertEquals(List.of(1, 2, 3), call(w, "echo", List.of(1, 2, 3)));
        assertEquals(new Point(3, 4), w.call(new Call<>("echo", new Point(3, 4), Point.class, NotificationListener.NONE))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(w.pid().orElseThrow(), ((Number) call(w, "pid", null)).longValue());
        assertNull(w.ping().get(WAIT.toSeconds(), TimeUnit.SECONDS));

        // the environment is the spec's, plus what the transport tells the worker
        assertEquals("hello", call(w, "env", Map.of("name", "GREETING")));
        assertEquals("newline", call(w, "env", Map.of("name", "WARMPOOL_FRAMING")));
        assertEquals(String.valueOf(16 * 1024 * 1024), call(w, "env", Map.of("name", "WARMPOOL_MAX_FRAME_BYTES")));
        assertNull(call(w, "env", Map.of("name", "NOT_PASSED_ON")));

        // a stray System.out.println in a handler goes to stderr, not into the frames
        assertNull(call(w, "print", Map.of("line", "a stray debug print")));
        assertEquals(List.of("ok"), call(w, "echo", List.of("ok")));
        awaitStderr(w, "a stray debug print");
        assertTrue(w.isUsable());
        stopAndCheckGone(w);
    }

    private static void awaitStderr(Worker w, String line) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!w.stderrTail().contains(line)) {
            // stderr is drained on its own thread and may be behind the answers on stdout
            if (System.nanoTime() > deadline) {
                List<String> tail = w.stderrTail();
                fail("stderr has no line '" + line + "'; its last is " + (tail.isEmpty() ? "none" : tail.get(tail.size() - 1)));
            }
            Thread.sleep(10);
        }
    }

    @Test
    void thousandSequentialCallsOnOneWorker() throws Exception {
        JsonRpcWorker w = echo();
        for (int i = 0; i < 1000; i++) {
            assertEquals(Map.of("i", i), call(w, "echo", Map.of("i", i)));
        }
        assertEquals(Map.of("count", 1000), call(w, "requests", null));
        stopAndCheckGone(w);
    }

    @Test
    void errorsBecomeWorkerErrorExceptionsAndTheWorkerStaysUsable() throws Exception {
        JsonRpcWorker w = echo();
        WorkerErrorException e = assertInstanceOf(WorkerErrorException.class,
                failure(w, "fail", Map.of("code", 42, "message", "no luck", "data", Map.of("why", "test"))));
        assertEquals(42, e.code());
        assertEquals(WorkerErrorException.Kind.APPLICATION, e.kind());
        assertEquals("w-1", e.workerId());
        assertEquals(Map.of("why", "test"), e.data().orElseThrow());
        assertTrue(e.getMessage().contains("no luck"), e.getMessage());

        WorkerErrorException missing = assertInstanceOf(WorkerErrorException.class, failure(w, "nosuch", null));
        assertEquals(WorkerErrorException.Kind.METHOD_NOT_FOUND, missing.kind());
        WorkerErrorException invalid = assertInstanceOf(WorkerErrorException.class, failure(w, "sleep", Map.of()));
        assertEquals(WorkerErrorException.Kind.INVALID_PARAMS, invalid.kind());

        assertTrue(w.isUsable());
        assertEquals(List.of("still here"), call(w, "echo", List.of("still here")));
        stopAndCheckGone(w);
    }

    @Test
    void notificationsReachTheCallsListener() throws Exception {
        JsonRpcWorker w = echo();
        List<Notification> got = Collections.synchronizedList(new ArrayList<>());
        Object result = w.call(new Call<>("notify", Map.of("count", 5), Object.class, got::add))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(5, result);
        assertEquals(5, got.size());
        for (int i = 0; i < 5; i++) {
            Notification n = got.get(i);
            assertEquals("w-1", n.workerId());
            assertEquals("$/progress", n.method());
            Map<?, ?> params = (Map<?, ?>) n.params();
            assertEquals(i + 1, params.get("value"));
            assertInstanceOf(Number.class, params.get("id"));
        }
        stopAndCheckGone(w);
    }

    @Test
    void cancellingSleepAnswersRequestCancelled() throws Exception {
        JsonRpcWorker w = echo();
        CompletableFuture<Object> f = w.call(new Call<>("sleep", Map.of("ms", 60_000), Object.class, NotificationListener.NONE));
        Thread.sleep(100); // let the request reach the handler; cancelling earlier works too
        assertTrue(w.cancel());
        WorkerErrorException e = assertInstanceOf(WorkerErrorException.class, failure(f));
        assertEquals(WorkerErrorException.Kind.REQUEST_CANCELLED, e.kind());
        assertTrue(w.isUsable());
        assertEquals(List.of(1), call(w, "echo", List.of(1)));
        stopAndCheckGone(w);
    }

    @Test
    void handshakeTimeoutKillsTheWorker() throws Exception {
        WorkerSpec spec = TestWorkers.specBuilder("w-1", TestWorkers.java(BadWorker.class, "hang-start"))
                .startTimeout(Duration.ofSeconds(2)).build();
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> transport.start(spec));
        assertTrue(e.getMessage().startsWith("worker w-1 did not become ready within 2 s"), e.getMessage());
        assertTrue(String.join("\n", e.stderrTail()).contains("hang-start"), e.stderrTail().toString());
        ProcessAudit.assertNoDescendants(WAIT);
    }

    @Test
    void exitBeforeTheHandshakeFailsTheStartWithExitCodeAndStderr() throws Exception {
        WorkerSpec spec = TestWorkers.spec("w-1", TestWorkers.java(BadWorker.class, "exit-at-start"));
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> transport.start(spec));
        assertTrue(e.getMessage().startsWith("worker w-1 exited with code 3 before it became ready"), e.getMessage());
        assertTrue(String.join("\n", e.stderrTail()).contains("failing before the handshake"), e.stderrTail().toString());
        ProcessAudit.assertNoDescendants(WAIT);
    }

    @Test
    void anotherProtocolVersionFailsTheStart() throws Exception {
        WorkerSpec spec = TestWorkers.spec("w-1", TestWorkers.java(BadWorker.class, "wrong-version"));
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> transport.start(spec));
        assertTrue(e.getMessage().startsWith("worker w-1 speaks protocol version 2, but this transport speaks version 1"),
                e.getMessage());
        ProcessAudit.assertNoDescendants(WAIT);
    }

    @Test
    void bannerBeforeTheHandshakeIsSkipped() throws Exception {
        JsonRpcWorker w = bad("banner");
        assertEquals(Map.of("k", "v"), call(w, "echo", Map.of("k", "v")));
        assertTrue(w.isUsable());
        stopAndCheckGone(w);
    }

    @Test
    void strictOutputTurnsTheBannerIntoAStartFailure() throws Exception {
        WorkerSpec spec = TestWorkers.specBuilder("w-1", TestWorkers.java(BadWorker.class, "banner"))
                .strictOutput(true).build();
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> transport.start(spec));
        assertInstanceOf(ProtocolException.class, e.getCause());
        assertTrue(e.getMessage().contains("not a JSON-RPC message (strictOutput is on)"), e.getMessage());
        assertTrue(e.getMessage().contains("BadWorker 1.0 starting up"), e.getMessage());
        ProcessAudit.assertNoDescendants(WAIT);
    }

    @Test
    void garbageLinesAreSkipped() throws Exception {
        JsonRpcWorker w = bad("garbage");
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(i), call(w, "echo", List.of(i)));
        }
        assertTrue(w.isUsable());
        stopAndCheckGone(w);
    }

    @Test
    void oversizeResponseIsAProtocolViolationNamingSizeAndLimit() throws Exception {
        JsonRpcWorker w = start(TestWorkers.specBuilder("w-1", TestWorkers.java(BadWorker.class, "oversize", "4096"))
                .maxFrameBytes(1024).build());
        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(w, "echo", List.of()));
        assertTrue(e.getMessage().contains("4096 bytes") && e.getMessage().contains("limit of 1024 bytes"), e.getMessage());
        assertFalse(w.isUsable());
        ProtocolException next = assertInstanceOf(ProtocolException.class, failure(w, "echo", List.of()));
        assertTrue(next.getMessage().contains("no longer usable"), next.getMessage());
        killAndCheckGone(w);
    }

    @Test
    void responseToAnUnknownIdIsAProtocolViolation() throws Exception {
        JsonRpcWorker w = bad("unknown-id");
        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(w, "echo", List.of()));
        assertTrue(e.getMessage().contains("not in flight"), e.getMessage());
        assertFalse(w.isUsable());
        killAndCheckGone(w);
    }

    @Test
    void responseWithResultAndErrorIsAProtocolViolation() throws Exception {
        JsonRpcWorker w = bad("result-and-error");
        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(w, "echo", List.of()));
        assertTrue(e.getMessage().contains("both result and error"), e.getMessage());
        assertFalse(w.isUsable());
        killAndCheckGone(w);
    }

    @Test
    void sigkillMidRequestIsACrashWithSignalAndStderr() throws Exception {
        JsonRpcWorker w = bad("crash-kill");
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(w, "echo", List.of()));
        assertEquals(137, e.exitCode());
        assertEquals(9, e.signal().orElseThrow());
        assertEquals("w-1", e.workerId());
        assertTrue(e.getMessage().startsWith("worker w-1 exited while running request 2 (killed by signal 9)"),
                e.getMessage());
        assertTrue(String.join("\n", e.stderrTail()).contains("crash-kill: sending SIGKILL"), e.stderrTail().toString());
        assertFalse(w.isUsable());
        WorkerCrashedException next = assertInstanceOf(WorkerCrashedException.class, failure(w, "echo", List.of()));
        assertEquals(137, next.exitCode());
        stopAndCheckGone(w);
    }

    @Test
    void exitStatusZeroMidRequestIsStillACrash() throws Exception {
        JsonRpcWorker w = bad("crash-exit0");
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(w, "echo", List.of()));
        assertEquals(0, e.exitCode());
        assertTrue(e.getMessage().contains("exited while running request 2 (exit code 0)"), e.getMessage());
        stopAndCheckGone(w);
    }

    @Test
    void exitOnRequestIsACrashWithItsStatus() throws Exception {
        JsonRpcWorker w = echo();
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(w, "exit", Map.of("code", 7)));
        assertEquals(7, e.exitCode());
        assertTrue(String.join("\n", e.stderrTail()).contains("exiting with status 7"), e.stderrTail().toString());
        stopAndCheckGone(w);
    }

    @Test
    void truncatedFrameThenEndOfFileIsACrashNotAResult() throws Exception {
        for (String how : List.of("half", "full")) {
            JsonRpcWorker w = bad("truncated", how);
            WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(w, "echo", List.of("x")));
            assertEquals(0, e.exitCode());
            assertTrue(e.getMessage().contains("its output ended in the middle of a line"), e.getMessage());
            stopAndCheckGone(w);
        }
    }

    @Test
    void closingStdoutWhileAliveIsACrash() throws Exception {
        JsonRpcWorker w = bad("close-stdout");
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(w, "echo", List.of()));
        assertEquals(-1, e.exitCode());
        assertTrue(e.getMessage().startsWith("worker w-1 closed its stdout while running request 2"), e.getMessage());
        assertFalse(w.isUsable());
        stopAndCheckGone(w);
    }

    @Test
    void crashWhileAGrandchildHoldsStdoutIsStillDetected() throws Exception {
        JsonRpcWorker w = bad("grandchild");
        WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, failure(w, "echo", List.of()));
        assertEquals(1, e.exitCode());
        Matcher m = Pattern.compile("grandchild pid (\\d+)").matcher(String.join("\n", e.stderrTail()));
        if (!m.find()) {
            fail("no grandchild pid in " + e.stderrTail());
        }
        long grandchild = Long.parseLong(m.group(1));
        killAndCheckGone(w);
        assertTrue(ProcessAudit.awaitGone(grandchild, WAIT), "grandchild " + grandchild + " is still running");
    }

    @Test
    void stderrFloodIsDrainedAndTheAnswerArrives() throws Exception {
        JsonRpcWorker w = bad("stderr-flood", "20");
        assertEquals(List.of("after the flood"), call(w, "echo", List.of("after the flood")));
        awaitStderr(w, "BadWorker: stderr-flood: done");
        stopAndCheckGone(w);
    }

    @Test
    void contentLengthFramingEndToEnd() throws Exception {
        JsonRpcTransport t = JsonRpcTransport.fromSettings(Map.of("framing", "content-length"));
        JsonRpcWorker w = start(t, TestWorkers.spec("w-1", TestWorkers.java(EchoWorker.class)));
        assertEquals("content-length", call(w, "env", Map.of("name", "WARMPOOL_FRAMING")));
        Map<String, Object> params = Map.of("text", "line one\nline two\r\n", "n", List.of(1, 2));
        assertEquals(params, call(w, "echo", params));
        List<Notification> got = Collections.synchronizedList(new ArrayList<>());
        assertEquals(3, w.call(new Call<>("notify", Map.of("count", 3), Object.class, got::add))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(3, got.size());
        CompletableFuture<Object> sleeping = w.call(new Call<>("sleep", Map.of("ms", 60_000), Object.class,
                NotificationListener.NONE));
        assertTrue(w.cancel());
        assertEquals(WorkerErrorException.Kind.REQUEST_CANCELLED,
                assertInstanceOf(WorkerErrorException.class, failure(sleeping)).kind());
        assertNull(w.ping().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        stopAndCheckGone(w);
    }

    @Test
    void hangingWorkerIsStoppedBySignalAfterTheGrace() throws Exception {
        JsonRpcWorker w = bad("hang");
        CompletableFuture<Object> f = w.call(new Call<>("echo", List.of(), Object.class, NotificationListener.NONE));
        Thread.sleep(100);
        assertFalse(f.isDone());
        long pid = w.pid().orElseThrow();
        int status = w.stop(Duration.ofMillis(300)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(143, status); // SIGTERM: the JVM's default handler exits with 128 + 15
        assertTrue(ProcessAudit.awaitGone(pid, WAIT));
        assertInstanceOf(WorkerCrashedException.class, failure(f));
    }

    @Test
    void workerThatIgnoresSigtermIsKilled() throws Exception {
        JsonRpcWorker w = start(TestWorkers.spec("w-1",
                TestWorkers.ignoringTerm(TestWorkers.java(BadWorker.class, "ignore-term"))));
        assertEquals(List.of(1), call(w, "echo", List.of(1)));
        long pid = w.pid().orElseThrow();
        int status = w.stop(Duration.ofMillis(300)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(137, status);
        assertTrue(ProcessAudit.awaitGone(pid, WAIT));
    }

}
