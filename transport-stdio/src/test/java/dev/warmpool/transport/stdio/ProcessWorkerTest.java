package dev.warmpool.transport.stdio;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The process-worker base, through {@link ScriptedWorker}: over real processes and over in-memory pipes. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessWorkerTest {
    /** Bounds calls that must not block: a hang fails the test, a slow machine does not. */
    private static final Duration NO_HANG = Duration.ofSeconds(5);

    private final List<Worker> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(Worker::kill);
    }

    private ScriptedWorker start(WorkerChannel channel, WorkerSpec spec, boolean hello) {
        ScriptedWorker w = new ScriptedWorker(channel, spec);
        started.add(w);
        return w.open(hello);
    }

    private ScriptedWorker start(WorkerSpec spec, boolean hello) {
        return start(WorkerChannel.start(spec), spec, hello);
    }

    private static Call<String> call(String params) {
        return new Call<>("any", params, String.class, NotificationListener.NONE);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Plays the worker on an in-memory channel: answers each line with {@code answer(line)}, if not null. */
    private static void peer(InMemoryChannel ch, java.util.function.Function<String, String> answer) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(ch.workerStdin(), StandardCharsets.UTF_8))) {
                OutputStream out = ch.workerStdout();
                String line;
                while ((line = in.readLine()) != null) {
                    String a = answer.apply(line);
                    if (a != null) {
                        out.write((a + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the channel exited
            }
        });
    }

    @Test
    void aWorkerThatStopsReadingFreezesNoCallAndKillEndsItsRequestAsACrash() throws Exception {
        ScriptedWorker stuck = start(Specs.sh("read hello; echo READY; exec sleep 30").build(), true);
        ScriptedWorker other = start(Specs.of("cat"), false);
        String big = "x".repeat(1 << 20);

        CompletableFuture<String> f = assertTimeoutPreemptively(NO_HANG, () -> stuck.call(call(big)));
        assertTimeoutPreemptively(NO_HANG, () -> assertTrue(stuck.cancel()));
        assertTimeoutPreemptively(NO_HANG, () -> assertTrue(stuck.isUsable()));
        assertEquals("others are served", other.call(call("others are served")).get(5, TimeUnit.SECONDS));
        assertFalse(f.isDone(), "the worker never read its request");
        // the 1 MiB frame goes through the writer thread: kill once it is blocked writing (under load
        // the thread may not have begun when the other worker answered)
        await().atMost(NO_HANG).until(() -> stuck.writingBytes() > 0);
        assertTimeoutPreemptively(NO_HANG, stuck::kill);

        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(f));
        assertEquals(9, c.signal().orElseThrow());
        assertTrue(c.getMessage().contains("it had stopped reading its input: a write of " + big.length()
                + " bytes to its stdin was still blocked"), c.getMessage());
        assertFalse(stuck.isUsable());
        assertEquals(137, stuck.onExit().get(5, TimeUnit.SECONDS));
    }

    @Test
    void overInMemoryPipesAStuckWriteIsEndedByKillToo() throws Exception {
        InMemoryChannel ch = new InMemoryChannel("w-1");
        Thread.ofVirtual().start(() -> {
            // answers the handshake, then never reads again
            try {
                new BufferedReader(new InputStreamReader(ch.workerStdin(), StandardCharsets.UTF_8)).readLine();
                ch.workerStdout().write("READY\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        ScriptedWorker w = start(ch, Specs.of("in-memory"), true);
        CompletableFuture<String> f = assertTimeoutPreemptively(NO_HANG, () -> w.call(call("y".repeat(200_000))));
        assertTimeoutPreemptively(NO_HANG, () -> assertTrue(w.cancel()));
        await().atMost(NO_HANG).until(() -> w.writingBytes() > 0);

        assertTimeoutPreemptively(NO_HANG, w::kill);

        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(f));
        assertEquals(137, c.exitCode());
        assertTrue(c.getMessage().contains("it had stopped reading its input"), c.getMessage());
    }

    @Test
    void smallFramesAreWrittenByTheCallerOrByTheReaderRightAfterAnAnswerLargeOnesByTheWritersThread() throws Exception {
        InMemoryChannel ch = new InMemoryChannel("w-1");
        CountDownLatch chained = new CountDownLatch(1);
        peer(ch, line -> {
            if (line.equals("first")) {
                awaitQuietly(chained); // the answer comes after the test chained the next call to it
            }
            return "ok";
        });
        RecordingChannel rec = new RecordingChannel(ch);
        ScriptedWorker w = start(rec, Specs.of("in-memory"), false);
        String caller = Thread.currentThread().getName();

        assertEquals("ok", w.call(call("small")).get(5, TimeUnit.SECONDS));
        assertEquals("ok", w.call(call("L".repeat(20_000))).get(5, TimeUnit.SECONDS));
        CompletableFuture<String> chain = w.call(call("first")).thenCompose(r -> w.call(call("from the reader thread")))
                .thenCompose(r -> w.call(call("R".repeat(20_000))));
        chained.countDown();
        assertEquals("ok", chain.get(5, TimeUnit.SECONDS));

        assertEquals(caller, rec.writers.get(0), rec.writers.toString());
        assertEquals("warmpool-w-1-writer", rec.writers.get(1), rec.writers.toString());
        assertEquals(caller, rec.writers.get(2), rec.writers.toString());
        // the worker answered everything it was sent: a small frame goes into its emptied pipe at once
        assertEquals("warmpool-scripted-w-1-reader", rec.writers.get(3), rec.writers.toString());
        // one that could fill a small pipe never blocks the reader
        assertEquals("warmpool-w-1-writer", rec.writers.get(4), "the reader thread writes no large frame: " + rec.writers);
        assertTrue(w.frameThreads.stream().allMatch(t -> t.equals("warmpool-scripted-w-1-reader")), w.frameThreads::toString);
    }

    @Test
    void exitZeroMidRequestIsACrashWithTheStderrTailNotAnEmptySuccess() throws Exception {
        InMemoryChannel ch = new InMemoryChannel("w-1");
        peer(ch, line -> {
            ch.stderr("giving up on " + line);
            ch.exit(0);
            return null;
        });
        ScriptedWorker w = start(ch, Specs.of("in-memory"), false);

        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(w.call(call("r1"))));

        assertEquals(0, c.exitCode());
        assertEquals("worker w-1 exited while running a request (exit code 0); last stderr lines:\n  giving up on r1",
                c.getMessage());
        assertFalse(w.isUsable());
        WorkerCrashedException later = assertInstanceOf(WorkerCrashedException.class, failure(w.call(call("r2"))));
        assertTrue(later.getMessage().startsWith("worker w-1 had already exited when the request was to be sent "
                + "(exit code 0)"), later.getMessage());
        assertInstanceOf(WorkerCrashedException.class, failure(w.ping()));
    }

    @Test
    void closingStdoutWhileAliveIsACrashWithoutAnExitCode() throws Exception {
        InMemoryChannel ch = new InMemoryChannel("w-1");
        peer(ch, line -> {
            try {
                ch.workerStdout().close();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return null;
        });
        ScriptedWorker w = start(ch, Specs.of("in-memory"), false);

        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(w.call(call("r1"))));

        assertEquals(-1, c.exitCode());
        assertTrue(c.getMessage().startsWith("worker w-1 closed its stdout while running a request"), c.getMessage());
    }

    @Test
    void aWorkerThatClosedItsStdinFailsTheRequestItCouldNotBeSent() throws Exception {
        InMemoryChannel ch = new InMemoryChannel("w-1");
        ch.workerStdin().close();
        ScriptedWorker w = start(ch, Specs.of("in-memory"), false);

        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(w.call(call("r1"))));

        assertTrue(c.getMessage().startsWith("worker w-1 closed its stdin while running a request (Broken pipe)"),
                c.getMessage());
        assertFalse(w.isUsable());
    }

    @Test
    void anOversizeFrameIsAViolationAndTheWorkerRefusesWhatComesAfter() throws Exception {
        InMemoryChannel ch = new InMemoryChannel("w-1");
        peer(ch, line -> "z".repeat(1000));
        ScriptedWorker w = start(ch, Specs.command("in-memory").maxFrameBytes(100).build(), false);

        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(w.call(call("r1"))));

        assertEquals("worker w-1 printed a line of at least 1000 bytes, above the limit of 100 bytes (maxFrameBytes) "
                + "(while running a request)", e.getMessage());
        assertFalse(w.isUsable());
        ProtocolException refused = assertInstanceOf(ProtocolException.class, failure(w.call(call("r2"))));
        assertTrue(refused.getMessage().endsWith("; the worker is no longer usable, so the request was not sent"),
                refused.getMessage());
    }

    @Test
    void aStoppedWorkerRefusesCallsSayingSo() throws Exception {
        InMemoryChannel ch = new InMemoryChannel("w-1");
        peer(ch, line -> "ok");
        ScriptedWorker w = start(ch, Specs.of("in-memory"), false);

        int status = w.stop(Duration.ofMillis(100)).get(10, TimeUnit.SECONDS);

        assertEquals(143, status, "the in-memory peer does not exit on end-of-file, so stop terminates it");
        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(w.call(call("late"))));
        assertTrue(c.getMessage().startsWith("worker w-1 had already been stopped when the request was to be sent"),
                c.getMessage());
    }

    @Test
    void aChildHoldingStdoutAfterTheExitFailsTheRequestAfterTheGrace() throws Exception {
        ScriptedWorker w = start(Specs.sh("read x; sleep 30 & exit 3").id("w-holder").build(), false);
        awaitReaderBlockedInRead("w-holder");

        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(w.call(call("r1"))));

        assertEquals(3, c.exitCode());
        assertTrue(c.getMessage().startsWith("worker w-holder exited while running a request (a process it started "
                + "still holds its stdout) (exit code 3)"), c.getMessage());
    }

    /**
     * Waits until the worker's reader thread is inside a read of stdout. When a process exits, the
     * JDK's reaper drains our end of its stdout and closes it, unless a read is under way (the read
     * holds the stream's monitor, which the reaper needs); a reader thread that had not reached its
     * first read yet would then see end-of-file although a child still holds the pipe, and the crash
     * would come at once, without the grace this test is about.
     */
    private static void awaitReaderBlockedInRead(String workerId) {
        String name = "warmpool-scripted-" + workerId + "-reader";
        await().atMost(NO_HANG).until(() -> Thread.getAllStackTraces().entrySet().stream()
                .filter(t -> t.getKey().getName().equals(name))
                .flatMap(t -> Arrays.stream(t.getValue()))
                .anyMatch(f -> f.getClassName().equals("java.io.FileInputStream") && f.getMethodName().startsWith("read")));
    }

    @Test
    void aStartFailureNamesTheCommandLineTheDirectoryAndTheStderrTailOnce() {
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> start(Specs.sh("echo 'no config' >&2; exit 3").build(), true));

        String m = e.getMessage();
        assertTrue(m.startsWith("worker w-1 exited with code 3 before it became ready (command: sh -c "
                + "'echo '\\''no config'\\'' >&2; exit 3'; directory: "), m);
        assertTrue(m.endsWith("); last stderr lines:\n  no config"), m);
        assertEquals(1, m.split("last stderr lines", -1).length - 1, m);
        assertEquals(List.of("no config"), e.stderrTail());
    }

    @Test
    void aSlowStartTimesOutNamingTheLimitAndTheWorkerIsKilled() throws Exception {
        WorkerSpec spec = Specs.command("sleep", "30").startTimeout(Duration.ofMillis(200)).build();
        WorkerChannel ch = WorkerChannel.start(spec);

        WorkerStartException e = assertThrows(WorkerStartException.class, () -> start(ch, spec, true));

        assertTrue(e.getMessage().startsWith("worker w-1 did not become ready within 200 ms (startTimeout) "
                + "(command: sleep 30; directory: "), e.getMessage());
        assertEquals(137, ch.onExit().get(5, TimeUnit.SECONDS));
    }

    @Test
    void aWrongHandshakeIsAStartFailureWithTheViolationsWords() {
        WorkerStartException e = assertThrows(WorkerStartException.class,
                () -> start(Specs.sh("read x; echo NOPE; exec cat").build(), true));

        assertTrue(e.getMessage().startsWith("worker w-1 said 'NOPE' instead of READY (while starting) (command: "),
                e.getMessage());
    }

    @Test
    void theCommandLineQuotesWhatAShellWouldSplit() {
        assertEquals("java -cp '' Main", Exits.commandLine(List.of("java", "-cp", "", "Main")));
        assertEquals("echo 'it'\\''s' a/b=c,d", Exits.commandLine(List.of("echo", "it's", "a/b=c,d")));
        assertEquals("exited with code 0", Exits.describe(0));
        assertEquals("was killed by signal 15", Exits.describe(143));
    }

    /** Records which thread wrote each frame to the worker's stdin. */
    private static final class RecordingChannel implements WorkerChannel {
        final List<String> writers = new CopyOnWriteArrayList<>();
        private final InMemoryChannel ch;
        private final OutputStream stdin;

        RecordingChannel(InMemoryChannel ch) {
            this.ch = ch;
            OutputStream real = ch.stdin();
            this.stdin = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    real.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (len > 1) {
                        writers.add(Thread.currentThread().getName());
                    }
                    real.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    real.flush();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        @Override
        public String id() {
            return ch.id();
        }

        @Override
        public OptionalLong pid() {
            return ch.pid();
        }

        @Override
        public OutputStream stdin() {
            return stdin;
        }

        @Override
        public InputStream stdout() {
            return ch.stdout();
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return ch.onExit();
        }

        @Override
        public boolean isAlive() {
            return ch.isAlive();
        }

        @Override
        public List<String> stderrTail() {
            return ch.stderrTail();
        }

        @Override
        public boolean awaitStderrClosed(Duration timeout) {
            return ch.awaitStderrClosed(timeout);
        }

        @Override
        public CompletableFuture<Integer> stop(Duration grace) {
            return ch.stop(grace);
        }

        @Override
        public void kill() {
            ch.kill();
        }
    }
}
