package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's runnable examples run to the end and print what the README says they print. */
class ExampleMainsTest {

    @AfterEach
    void noProcessLeftBehind() throws InterruptedException {
        Processes.assertNoDescendantsLeft();
    }

    @Test
    @Timeout(60)
    void quickStartPrintsItsResultsAndThreeProcessesInTheTestJvm() throws Exception {
        String out = run(() -> QuickStart.main(new String[0]));
        assertTrue(out.endsWith(QuickStartTest.EXPECTED), out);
    }

    @Test
    @Timeout(120)
    void warmVsColdPrintsSpawnsPercentilesAndColdStart() throws Exception {
        String out = run(() -> WarmVsCold.main(new String[] {"60"}));
        assertTrue(out.contains("processes started: 3 (for 60 requests)\n"), out);
        assertTrue(out.contains("every result matched its request: 60 of 60\n"), out);
        String duration = "[0-9.]+ (µs|ms|s)";
        assertTrue(Pattern.compile("latency, as the callers saw it: p50 " + duration + "  p90 " + duration
                + "  p99 " + duration + "  p99\\.9 " + duration + "  max " + duration).matcher(out).find(), out);
        assertTrue(Pattern.compile("run time, from pool\\.metrics\\(\\): +p50 " + duration).matcher(out).find(), out);
        assertTrue(Pattern.compile("median of 3: " + duration).matcher(out).find(), out);
        assertTrue(Pattern.compile("cold start / warm p50: [0-9.,]+x").matcher(out).find(), out);
    }

    @FunctionalInterface
    private interface Main {
        void run() throws Exception;
    }

    /** Runs {@code main} with {@code System.out} captured (and still shown), returns what it printed. */
    private static String run(Main main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                captured.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        try {
            main.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
