package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Help, bad arguments and bad environment variables. The exit status and the message are checked
 * on a real process for a few cases; the many others run the same code in this JVM (picocli's
 * parsing and the commands' checks, which fail before any worker starts), which is much quicker
 * than a JVM per case.
 */
class ArgumentsTest {
    /**
     * What a run in this JVM left.
     *
     * @param exit the exit status
     * @param out help text
     * @param err usage errors
     */
    private record InProcess(int exit, String out, String err) {
    }

    private static InProcess execute(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new InProcess(exit, out.toString(), err.toString());
    }

    private static void assertUsageError(String expected, Map<String, String> env, String... args) {
        InProcess r = execute(env, args);
        assertEquals(2, r.exit(), () -> String.join(" ", args) + "\n" + r);
        assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' for " + String.join(" ", args) + "\n" + r);
        assertTrue(r.err().contains("--help' for more"), r::toString);
    }

    private static void assertUsageError(String expected, String... args) {
        assertUsageError(expected, Map.of(), args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "bench", "demo", "demo-worker"})
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void everyCommandHasHelp(String command) {
        InProcess r = execute(Map.of(), command, "--help");

        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Usage: warmpool " + command + " ["), r::toString);
        assertTrue(r.out().contains("Examples:"), r::toString);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void topLevelHelpAndMissingCommand() {
        InProcess help = execute(Map.of(), "--help");
        assertEquals(0, help.exit(), help::toString);
        for (String c : List.of("run", "bench", "listen", "demo", "demo-worker")) {
            assertTrue(help.out().contains("  " + c + " "), help::toString);
        }
        assertUsageError("missing the command: run, bench, listen or demo");
        assertUsageError("Unmatched argument", "frobnicate");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void badArgumentsSayWhatIsWrong() {
        assertUsageError("missing the worker program", "run");
        assertUsageError("invalid value for option '--size': size is 0, but must be at least 1", "run", "--size", "0", "--", "cat");
        assertUsageError("Invalid value for option '--size': 'many' is not an int", "run", "--size", "many", "--", "cat");
        assertUsageError("value is 'soon', but must be a duration", "run", "--timeout", "soon", "--", "cat");
        assertUsageError("size is 5, but must be within minSize 1 (default) and maxSize 2", "run", "--size", "5", "--max", "2", "--", "cat");
        assertUsageError("Unknown option: '--no-such-option'", "run", "--no-such-option", "--", "cat");
        assertUsageError("no transport named 'carrier-pigeon'", "run", "--transport", "carrier-pigeon", "--", "cat");
        assertUsageError("cannot read '/no/such/file': no such file", "run", "--input", "/no/such/file", "--", "cat");
        assertUsageError("--raw is for --transport line and oneshot", "run", "--raw", "--", "cat");
        assertUsageError("oneshot is what bench measures as cold", "bench", "--transport", "oneshot", "--", "cat");
        assertUsageError("invalid value for option '--params': not valid JSON", "bench", "--params", "{oops", "--", "cat");
        assertUsageError("'--requests': 0, but must be at least 1", "bench", "--requests", "0", "--", "cat");
        assertUsageError("no handler named 'nobody'", "demo", "--handler", "nobody");
        assertUsageError("invalid value for option '--count': 0", "demo", "--count", "0");
        assertUsageError("cannot read '/no/such/events'", "demo", "--events", "/no/such/events");
        assertUsageError("'--metrics-port': 70000, but must be a port number from 0 to 65535", "run",
                "--metrics-port", "70000", "--", "cat");
        assertUsageError("--metrics-address needs --metrics-port", "run", "--metrics-address", "0.0.0.0", "--", "cat");
        assertUsageError("'--max-frame-bytes': maxFrameBytes is 10, but must be at least 64", "run",
                "--max-frame-bytes", "10", "--", "cat");
        assertUsageError("'--plot': '/tmp' is a directory", "bench", "--plot", "/tmp", "--", "cat");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aMetricsPortInUseIsAUsageErrorThatSaysSo() throws java.io.IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertUsageError("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() + ": ", Map.of(),
                    "run", "--metrics-port", Integer.toString(taken.getLocalPort()), "--", "cat");
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void badEnvironmentVariablesAreUsageErrorsUnlessOverridden() {
        assertUsageError("environment variable HANDLER_POOL_SIZE is 'lots', but must be a whole number",
                Map.of("HANDLER_POOL_SIZE", "lots"), "run", "--transport", "line", "--", "cat");
        assertUsageError("environment variable HANDLER_REQUEST_TIMEOUT is '0', but must be a duration > 0",
                Map.of("HANDLER_REQUEST_TIMEOUT", "0"), "demo");
        assertUsageError("minSize is 5 (from HANDLER_POOL_MIN), but maxSize is 2 (from HANDLER_POOL_MAX)",
                Map.of("HANDLER_POOL_MIN", "5", "HANDLER_POOL_MAX", "2"), "bench", "--", "cat");
        assertUsageError("(from HANDLER_POOL_SIZE)",
                Map.of("HANDLER_POOL_SIZE", "4", "HANDLER_POOL_MAX", "3"), "run", "--", "cat");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aRealProcessExitsWithTwoAndSaysWhy() {
        Cli.Result flag = Cli.run("", Cli.with(List.of("cat"), "run", "--size", "0"));
        assertEquals(2, flag.exit(), flag::toString);
        assertEquals("warmpool run: invalid value for option '--size': size is 0, but must be at least 1\n"
                + "Try 'warmpool run --help' for more.\n", flag.stderr(), flag::toString);
        assertEquals("", flag.stdout());

        Cli.Result env = Cli.run("x\n", Map.of("HANDLER_POOL_SIZE", "lots"), Cli.with(List.of("cat"), "run", "--transport", "line"));
        assertEquals(2, env.exit(), env::toString);
        assertTrue(env.stderr().contains("environment variable HANDLER_POOL_SIZE is 'lots'"), env::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anOptionOverridesABadVariable() {
        Cli.Result r = Cli.run("x\n", Map.of("HANDLER_POOL_SIZE", "lots"),
                Cli.with(List.of("cat"), "run", "--transport", "line", "--size", "1"));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.stderr().contains("processes started: 1"), r::toString);
    }
}
