package dev.warmpool.transport.stdio;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.spi.Call;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The line transport's protocol over in-memory pipes: no process, the test plays the program. */
@Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LineWorkerTest {
    private final InMemoryChannel ch = new InMemoryChannel("w-1");
    /** Every line the program received. */
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final List<LineWorker> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(LineWorker::kill);
    }

    /** Starts a worker whose program answers each line with {@code program(line)} (several lines, or none). */
    private LineWorker start(Function<String, String> program) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(ch.workerStdin(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    received.add(line);
                    print(program.apply(line));
                }
            } catch (IOException e) {
                // exited
            }
        });
        LineWorker w = new LineWorker(ch, Specs.of("in-memory"), null);
        started.add(w);
        w.open();
        return w;
    }

    /** The program prints {@code text} (lines ending in newlines, or null for nothing) in one write. */
    private void print(String text) {
        if (text == null) {
            return;
        }
        try {
            OutputStream out = ch.workerStdout();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Call<String> call(Object params) {
        return new Call<>("ignored", params, String.class, NotificationListener.NONE);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void eachRequestLineGetsTheNextLineAsItsAnswer() throws Exception {
        LineWorker w = start(line -> line.toUpperCase() + "\n");

        assertEquals("HELLO", w.call(call("hello")).get(5, TimeUnit.SECONDS));
        assertEquals("", w.call(call(null)).get(5, TimeUnit.SECONDS));
        assertEquals("WORLD", w.call(call("world")).get(5, TimeUnit.SECONDS));
        assertTrue(w.isUsable());
        assertTrue(w.pid().isEmpty());
    }

    @Test
    void nonStringParamsAreSentAsJson() throws Exception {
        LineWorker w = start(line -> line + "\n");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", "x \"quoted\"");
        map.put("n", 2);
        map.put("tags", List.of("a", "b"));
        map.put("none", null);
        record Point(int x, double y) {
        }

        assertEquals("{\"text\":\"x \\\"quoted\\\"\",\"n\":2,\"tags\":[\"a\",\"b\"],\"none\":null}",
                w.call(call(map)).get(5, TimeUnit.SECONDS));
        assertEquals("[1,true,\"é\"]", w.call(call(List.of(1, true, "é"))).get(5, TimeUnit.SECONDS));
        assertEquals("42", w.call(call(42)).get(5, TimeUnit.SECONDS));
        assertEquals("{\"x\":1,\"y\":2.5}", w.call(call(new Point(1, 2.5))).get(5, TimeUnit.SECONDS));
        assertEquals("[3,4]", w.call(call(new int[] {3, 4})).get(5, TimeUnit.SECONDS));
        assertEquals("a text stays as it is: {text=x}", w.call(call("a text stays as it is: {text=x}"))
                .get(5, TimeUnit.SECONDS));
    }

    @Test
    void paramsThatAreNotJsonAreTheCallersMistakeAndNothingIsSent() throws Exception {
        LineWorker w = start(line -> line + "\n");

        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class,
                failure(w.call(call(new Object()))));

        assertTrue(e.getMessage().startsWith("the params cannot be written as JSON: a java.lang.Object is not a map"),
                e.getMessage());
        assertEquals("after", w.call(call("after")).get(5, TimeUnit.SECONDS));
        assertEquals(List.of("after"), List.copyOf(received));
    }

    @Test
    void aLineWhileNoRequestRunsRetiresTheWorkerAndTheNextRequestIsNotSent() throws Exception {
        LineWorker w = start(line -> line + "\n");
        assertEquals("first", w.call(call("first")).get(5, TimeUnit.SECONDS));

        print("an extra line\n");

        await().atMost(Duration.ofSeconds(5)).until(() -> !w.isUsable());
        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(w.call(call("second"))));

        assertTrue(e.getMessage().startsWith("worker w-1 " + LineWorker.CONTRACT + ": it printed 'an extra line' "
                + "while no request was running; the worker is no longer usable, so the request was not sent"),
                e.getMessage());
        assertEquals(List.of("first"), List.copyOf(received));
    }

    @Test
    void aSecondAnswerReadWithTheFirstFailsTheNextRequestInsteadOfAnsweringIt() throws Exception {
        CountDownLatch chained = new CountDownLatch(1);
        LineWorker w = start(line -> {
            awaitQuietly(chained);
            return line.equals("one") ? "one\none again\n" : "never\n";
        });

        // sent from the reader thread as the first answer completes, while "one again" waits in its buffer
        CompletableFuture<String> second = w.call(call("one")).thenCompose(r -> w.call(call("two")));
        chained.countDown();

        ProtocolException e = assertInstanceOf(ProtocolException.class, failure(second));
        assertEquals("worker w-1 " + LineWorker.CONTRACT + ": it printed 'one again' before the request's line was "
                + "sent (a second answer to an earlier request, or output of its own) (while running a request)",
                e.getMessage());
        assertFalse(w.isUsable());
    }

    @Test
    void aBannerBeforeTheFirstRequestIsSkippedNotTakenForTheAnswer() throws Exception {
        print("Welcome to the filter v2\n");
        LineWorker w = start(line -> "<" + line + ">\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> w.skippedLines() == 1);

        assertEquals("<x>", w.call(call("x")).get(5, TimeUnit.SECONDS));
        assertTrue(w.isUsable());
    }

    @Test
    void anExitMidRequestIsACrashCarryingTheProgramsStderr() throws Exception {
        LineWorker w = start(line -> {
            ch.stderr("cannot parse " + line);
            ch.exit(2);
            return null;
        });

        WorkerCrashedException c = assertInstanceOf(WorkerCrashedException.class, failure(w.call(call("{bad"))));

        assertEquals(2, c.exitCode());
        assertEquals(List.of("cannot parse {bad"), c.stderrTail());
        assertEquals("worker w-1 exited while running a request (exit code 2); last stderr lines:\n  cannot parse {bad",
                c.getMessage());
    }
}
