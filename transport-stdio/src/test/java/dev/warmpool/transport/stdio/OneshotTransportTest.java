package dev.warmpool.transport.stdio;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OneshotTransportTest {
    private final OneshotTransport transport = new OneshotTransport();

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
    void eachCallRunsItsOwnProcess() throws Exception {
        Worker w = transport.start(Specs.sh("read x; echo \"got $x from $$\"").build());
        assertTrue(w.pid().isEmpty());
        assertTrue(w.isUsable());
        w.ping().get(1, TimeUnit.SECONDS);
        String first = send(w, "hello");
        String second = send(w, "world");
        assertTrue(first.startsWith("got hello from "), first);
        assertTrue(second.startsWith("got world from "), second);
        assertFalse(first.substring(first.lastIndexOf(' ')).equals(second.substring(second.lastIndexOf(' '))),
                "a new process per call");
        assertFalse(w.cancel());
    }

    @Test
    void theWholeOutputIsTheResultWithoutTheTrailingNewline() throws Exception {
        Worker w = transport.start(Specs.sh("cat; printf 'second line\\r\\n'").build());
        assertEquals("params\nsecond line", send(w, "params"));
        Worker cat = transport.start(Specs.of("cat"));
        assertEquals("", send(cat, null));
        assertEquals("42", cat.call(call(42, Object.class)).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aProgramThatDoesNotReadStdinIsFine() throws Exception {
        Worker w = transport.start(Specs.command("echo", "static answer").build());
        assertEquals("static answer", send(w, "x".repeat(200_000)));
    }

    @Test
    void aNonZeroExitIsACrashWithExitCodeAndStderr() throws Exception {
        Worker w = transport.start(Specs.sh("echo partial; echo 'bad input' >&2; exit 5").build());
        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(w.call(call("x", String.class))));
        assertEquals(5, c.exitCode());
        assertEquals(List.of("bad input"), c.stderrTail());
        assertEquals(List.of("bad input"), w.stderrTail());
        assertTrue(w.isUsable(), "the recipe itself is fine");
    }

    @Test
    void outputOverTheLimitIsAProtocolError() throws Exception {
        Worker w = transport.start(Specs.sh("head -c 5000 /dev/zero | tr '\\0' y").maxFrameBytes(1000).build());
        Throwable e = failure(w.call(call("x", String.class)));
        assertInstanceOf(ProtocolException.class, e);
        assertTrue(e.getMessage().contains("limit of 1000 bytes (maxFrameBytes)"), e.getMessage());
        Worker exact = transport.start(Specs.sh("head -c 1000 /dev/zero | tr '\\0' y; echo").maxFrameBytes(1000).build());
        assertEquals(1000, send(exact, "").length());
    }

    @Test
    void aMissingProgramFailsAtStart() {
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> transport.start(Specs.of("nosuch-program-xyz")));
        assertTrue(e.getMessage().contains("program 'nosuch-program-xyz' not found"), e.getMessage());
    }

    @Test
    void stopEndsTheCallInFlight() throws Exception {
        Worker w = transport.start(Specs.sh("trap '' TERM; sleep 30").build());
        CompletableFuture<String> f = w.call(call("x", String.class));
        await().atMost(Duration.ofSeconds(5)).until(() -> inFlight(w) == 1);
        CompletableFuture<Integer> stop = w.stop(Duration.ofMillis(100));
        assertInstanceOf(WorkerCrashedException.class, failure(f));
        stop.get(5, TimeUnit.SECONDS);
        assertTrue(w.onExit().isDone());
        assertFalse(w.isUsable());
        assertInstanceOf(WorkerCrashedException.class, failure(w.call(call("y", String.class))));
        assertInstanceOf(WorkerCrashedException.class, failure(w.ping()));
    }

    @Test
    void killEndsTheCallInFlight() throws Exception {
        Worker w = transport.start(Specs.command("sleep", "30").build());
        CompletableFuture<String> f = w.call(call("x", String.class));
        await().atMost(Duration.ofSeconds(5)).until(() -> inFlight(w) == 1);
        w.kill();
        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(f));
        assertEquals(9, c.signal().orElseThrow());
        assertEquals(137, w.onExit().get(5, TimeUnit.SECONDS));
    }

    @Test
    void aLeftoverChildHoldingStdoutDoesNotHangTheCall() throws Exception {
        assumeTrue(ProcessTree.HAS_PROC && Files.isExecutable(Path.of("/usr/bin/setsid")));
        Worker w = transport.start(Specs.sh("echo answer; sleep 300 & echo $!").build());
        String out = send(w, "");
        List<String> lines = out.lines().toList();
        assertEquals("answer", lines.get(0));
        long leftover = Long.parseLong(lines.get(1));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(leftover).map(ProcessTree::isGone).orElse(true));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new OneshotTransport(Map.of("readyLine", "x")));
        assertEquals("oneshot", new OneshotTransportProvider().create(Map.of("processGroup", "false")).name());
    }

    private static int inFlight(Worker w) {
        return ((OneshotWorker) w).inFlight();
    }
}
