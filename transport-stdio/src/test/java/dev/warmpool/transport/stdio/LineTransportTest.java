package dev.warmpool.transport.stdio;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.TransportProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LineTransportTest {
    private final List<Worker> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(Worker::kill);
    }

    private Worker start(Transport t, WorkerSpec spec) {
        Worker w = t.start(spec);
        started.add(w);
        return w;
    }

    private Worker start(WorkerSpec spec) {
        return start(new LineTransport(), spec);
    }

    private static <T> Call<T> call(Object params, Class<T> type) {
        return new Call<>("ignored", params, type, NotificationListener.NONE);
    }

    private static String send(Worker w, Object params) throws Exception {
        return w.call(call(params, String.class)).get(5, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void catRoundTripsSequentialCalls() throws Exception {
        Worker w = start(Specs.of("cat"));
        assertTrue(w.pid().isPresent());
        assertEquals("hello", send(w, "hello"));
        assertEquals("héllo ✓ world", send(w, "héllo ✓ world"));
        assertEquals("", send(w, ""));
        assertEquals("", send(w, null));
        assertEquals("42", send(w, 42));
        assertEquals("x", w.call(call("x", Object.class)).get(5, TimeUnit.SECONDS));
        for (int i = 0; i < 200; i++) {
            assertEquals("n" + i, send(w, "n" + i));
        }
        assertTrue(w.isUsable());
        assertFalse(w.cancel());
        w.ping().get(1, TimeUnit.SECONDS);
        assertEquals(0, w.stop(Duration.ofSeconds(5)).get());
        assertFalse(w.isUsable());
    }

    @Test
    void aCallFromTheReaderThreadDoesNotDeadlockOnALargeLine() throws Exception {
        Worker w = start(Specs.of("cat"));
        String big = "b".repeat(300_000);
        String result = w.call(call("first", String.class))
                .thenCompose(r -> w.call(call(big, String.class)))
                .get(10, TimeUnit.SECONDS);
        assertEquals(big, result);
    }

    @Test
    void paramsWithALineBreakAreTheCallersMistakeAndTheWorkerStaysUsable() throws Exception {
        Worker w = start(Specs.of("cat"));
        Throwable e = failure(w.call(call("two\nlines", String.class)));
        assertInstanceOf(IllegalArgumentException.class, e);
        assertTrue(e.getMessage().contains("embedded newlines are not allowed"), e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, failure(w.call(call("cr\r", String.class))));
        assertTrue(w.isUsable());
        assertEquals("fine", send(w, "fine"));
    }

    @Test
    void aResultTypeOtherThanStringIsRejectedAsTheCallersMistake() throws Exception {
        Worker w = start(Specs.of("cat"));
        Throwable e = failure(w.call(call("1", Integer.class)));
        assertInstanceOf(IllegalArgumentException.class, e);
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
        assertEquals("ok", send(w, "ok"));
    }

    @Test
    void aRequestLineOverTheLimitIsRejectedAsTheCallersMistake() throws Exception {
        Worker w = start(Specs.command("cat").maxFrameBytes(100).build());
        Throwable e = failure(w.call(call("z".repeat(101), String.class)));
        assertInstanceOf(IllegalArgumentException.class, e);
        assertTrue(e.getMessage().contains("101 bytes") && e.getMessage().contains("limit of 100 bytes"), e.getMessage());
        assertEquals("small", send(w, "small"));
    }

    @Test
    void crashMidCallGivesExitCodeAndStderr() throws Exception {
        Worker w = start(Specs.sh("read x; echo \"dying on $x\" >&2; exit 3").build());
        Throwable e = failure(w.call(call("request-1", String.class)));
        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, e);
        assertEquals(3, c.exitCode());
        assertEquals("w-1", c.workerId());
        assertTrue(c.getMessage().contains("exited while running a request"), c.getMessage());
        assertEquals(List.of("dying on request-1"), c.stderrTail());
        assertFalse(w.isUsable());
        assertInstanceOf(WorkerCrashedException.class, failure(w.call(call("again", String.class))));
        assertInstanceOf(WorkerCrashedException.class, failure(w.ping()));
        assertEquals(3, w.onExit().get());
    }

    @Test
    void exitWithStatusZeroMidCallIsACrashToo() throws Exception {
        Worker w = start(Specs.sh("read x; exit 0").build());
        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class,
                failure(w.call(call("x", String.class))));
        assertEquals(0, c.exitCode());
    }

    @Test
    void closingStdoutWhileAliveIsACrash() throws Exception {
        Worker w = start(Specs.sh("read x; exec 1>&-; sleep 30").build());
        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class,
                failure(w.call(call("x", String.class))));
        assertEquals(-1, c.exitCode());
        assertTrue(c.getMessage().contains("closed its stdout"), c.getMessage());
        assertFalse(w.isUsable());
    }

    @Test
    void closingStdinIsACrash() throws Exception {
        Worker w = start(new LineTransport(Map.of("readyLine", "READY")),
                Specs.sh("exec 0<&-; echo READY; exec sleep 30").build());
        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class,
                failure(w.call(call("x", String.class))));
        assertTrue(c.getMessage().contains("closed its stdin"), c.getMessage());
        assertFalse(w.isUsable());
    }

    @Test
    void anOversizeAnswerIsAProtocolError() throws Exception {
        Worker w = start(Specs.sh("read x; head -c 1000 /dev/zero | tr '\\0' y; echo; exec cat")
                .maxFrameBytes(100).build());
        Throwable e = failure(w.call(call("go", String.class)));
        assertInstanceOf(ProtocolException.class, e);
        assertTrue(e.getMessage().contains("limit of 100 bytes (maxFrameBytes)"), e.getMessage());
        assertFalse(w.isUsable());
        assertInstanceOf(ProtocolException.class, failure(w.call(call("again", String.class))));
    }

    @Test
    void aProgramThatAnswersTwiceIsRetiredInsteadOfGivingTheNextRequestAStaleAnswer() throws Exception {
        Worker w = start(Specs.command("sed", "-u", "p").build());

        assertEquals("L1", send(w, "L1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> !w.isUsable());
        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(w.call(call("L2", String.class))));
        assertTrue(e.getMessage().contains(LineWorker.CONTRACT + ": it printed 'L1' while no request was running"),
                e.getMessage());
    }

    @Test
    void aMapIsSentAsJsonThatTheProgramCanRead() throws Exception {
        Worker w = start(Specs.of("cat"));

        assertEquals("{\"text\":\"x\"}", send(w, Map.of("text", "x")));
    }

    @Test
    void aWorkerThatStopsReadingBlocksNoCallerAndIsKilledPromptly() throws Exception {
        Worker stuck = start(new LineTransport(Map.of("readyLine", "READY")),
                Specs.sh("echo READY; exec sleep 30").build());
        Worker other = start(Specs.of("cat"));

        CompletableFuture<String> f = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> stuck.call(call("q".repeat(1 << 20), String.class)));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(stuck.cancel()));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertTrue(stuck.isUsable()));
        assertEquals("meanwhile", send(other, "meanwhile"));
        assertTimeoutPreemptively(Duration.ofSeconds(5), stuck::kill);

        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(f));
        assertEquals(9, c.signal().orElseThrow());
        assertTrue(c.getMessage().contains("it had stopped reading its input"), c.getMessage());
    }

    @Test
    void readyLineIsAwaited() throws Exception {
        Worker w = start(new LineTransport(Map.of("readyLine", "READY")),
                Specs.sh("echo warming up; sleep 0.2; echo READY; exec cat").build());
        assertEquals("after ready", send(w, "after ready"));
    }

    @Test
    void specSettingsOverrideTransportSettings() throws Exception {
        Worker w = start(new LineTransport(Map.of("readyLine", "NEVER")),
                Specs.sh("echo GO; exec cat").setting("readyLine", "GO").build());
        assertEquals("x", send(w, "x"));
    }

    @Test
    void aMissingReadyLineTimesOut() {
        long t0 = System.nanoTime();
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> start(new LineTransport(Map.of("readyLine", "READY")),
                        Specs.sh("echo not yet >&2; exec sleep 30").startTimeout(Duration.ofMillis(300)).build()));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertTrue(e.getMessage().contains("did not print its ready line 'READY' within 300 ms"), e.getMessage());
        assertEquals(List.of("not yet"), e.stderrTail());
    }

    @Test
    void exitBeforeTheReadyLineFailsTheStart() {
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> start(new LineTransport(Map.of("readyLine", "READY")),
                        Specs.sh("echo missing config >&2; exit 4").build()));
        assertTrue(e.getMessage().startsWith("worker w-1 exited with code 4 before it printed its ready line 'READY' "
                + "(command: sh -c 'echo missing config >&2; exit 4'; directory: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("); last stderr lines:\n  missing config"), e.getMessage());
        assertEquals(List.of("missing config"), e.stderrTail());
    }

    @Test
    void strictOutputRejectsAnUnsolicitedLine() throws Exception {
        Worker w = start(Specs.sh("echo surprise; exec cat").strict().build());
        await().atMost(Duration.ofSeconds(5)).until(() -> !w.isUsable());
        Throwable e = failure(w.call(call("x", String.class)));
        assertInstanceOf(ProtocolException.class, e);
        assertTrue(e.getMessage().contains("surprise"), e.getMessage());
    }

    @Test
    void unsolicitedLinesAreSkippedWhenNotStrict() throws Exception {
        Worker w = start(Specs.sh("echo surprise; exec cat").build());
        // the stray line must be read and skipped before the call, or it would become the answer
        await().atMost(Duration.ofSeconds(5)).until(() -> ((LineWorker) w).skippedLines() == 1);
        assertEquals("mine", send(w, "mine"));
        assertTrue(w.isUsable());
    }

    @Test
    void missingProgramFailsTheStart() {
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> start(Specs.of("nosuch-program-xyz")));
        assertTrue(e.getMessage().contains("program 'nosuch-program-xyz' not found"), e.getMessage());
    }

    @Test
    void killEndsTheWorker() throws Exception {
        Worker w = start(Specs.of("cat"));
        CompletableFuture<String> pending = w.call(call("x", String.class));
        assertEquals("x", pending.get(5, TimeUnit.SECONDS));
        CompletableFuture<String> hanging = start(Specs.sh("read x; sleep 30").build()).call(call("y", String.class));
        started.get(1).kill();
        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(hanging));
        assertEquals(9, c.signal().orElseThrow());
        w.kill();
        assertEquals(137, w.onExit().get());
        assertFalse(w.isUsable());
        assertInstanceOf(WorkerCrashedException.class, failure(w.ping()));
    }

    @Test
    void badSettingsAreRejectedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LineTransport(Map.of("readyLien", "x")));
        assertTrue(e.getMessage().contains("'readyLien'") && e.getMessage().contains("readyLine"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LineTransport(Map.of("processGroup", "yes")));
        WorkerStartException s = assertThrows(WorkerStartException.class,
                () -> start(Specs.command("cat").setting("bogus", "1").build()));
        assertTrue(s.getMessage().contains("'bogus'"), s.getMessage());
    }

    @Test
    void providersAreFoundByServiceLoader() {
        List<String> names = ServiceLoader.load(TransportProvider.class).stream()
                .map(p -> p.get().name()).sorted().toList();
        assertEquals(List.of("line", "oneshot"), names);
        TransportProvider line = ServiceLoader.load(TransportProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("line")).findFirst().orElseThrow();
        assertTrue(line.isAvailable());
        assertEquals("line", line.create(Map.of()).name());
        assertInstanceOf(LineTransport.class, line.create(Map.of("readyLine", "OK")));
    }
}
