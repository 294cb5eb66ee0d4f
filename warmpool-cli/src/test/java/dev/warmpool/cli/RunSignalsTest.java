package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SIGINT and SIGTERM to a real {@code warmpool run}: drain on the first, stop at once on the second. */
class RunSignalsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Starts {@code run} with two workers, sends a request that sleeps {@code ms} and one that
     * answers at once, and returns once the quick one is answered: the slow one is then running.
     */
    private static Cli.Running runningOneSlowRequest(long ms) throws InterruptedException {
        Cli.Running c = Cli.start(Cli.with(Cli.testWorker(), "run", "--size", "2"));
        try {
            c.send("{\"id\":\"slow\",\"method\":\"sleep\",\"params\":{\"ms\":" + ms + "}}");
            c.send("{\"id\":\"fast\",\"method\":\"echo\",\"params\":{}}");
            c.awaitLine("\"fast\"");
            assertFalse(c.lines().stream().anyMatch(l -> l.contains("\"slow\"")), "the slow request is still running");
            return c;
        } catch (RuntimeException | Error | InterruptedException e) {
            c.close();
            throw e;
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void firstSignalLetsTheRequestsAlreadyReadFinishThenExits143() throws IOException, InterruptedException {
        try (Cli.Running c = runningOneSlowRequest(5000)) {
            List<ProcessHandle> workers = c.process().descendants().toList();

            c.signal("TERM");
            Cli.Result r = c.awaitExit(50);

            assertEquals(143, r.exit(), r::toString);
            JsonNode slow = MAPPER.readTree(c.awaitLine("\"slow\""));
            assertEquals(5000, slow.path("result").path("ms").asInt(), "it finished within the grace\n" + r);
            assertTrue(r.stderr().contains("SIGTERM: reading no more input"), r::toString);
            assertTrue(r.stderr().contains("2 requests, 2 ok, 0 failed"), r::toString);
            assertTrue(r.stderr().contains("stopped by SIGTERM after input line 2"), r::toString);
            Processes.awaitGone(workers);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSecondSignalStopsAtOnceAnswersEveryRequestAndLeavesNoWorker() throws IOException, InterruptedException {
        try (Cli.Running c = runningOneSlowRequest(600_000)) {
            List<ProcessHandle> workers = c.process().descendants().toList();
            assertFalse(workers.isEmpty(), "the workers are the command's children");

            c.signal("INT");
            c.awaitStderr("SIGINT: reading no more input");
            c.signal("TERM");
            Cli.Result r = c.awaitExit(20);

            assertEquals(130, r.exit(), "the status of the first signal, SIGINT\n" + r);
            JsonNode stuck = MAPPER.readTree(c.awaitLine("\"slow\""));
            assertEquals("rejected", stuck.path("error").path("kind").asText(), r::toString);
            assertTrue(stuck.path("error").path("message").asText().contains("stopped at once by a second signal"),
                    r::toString);
            assertEquals(2, r.lines().size(), "every request read is answered, once\n" + r);
            assertTrue(r.stderr().contains("1 request not yet answered was answered rejected"), r::toString);
            Processes.awaitGone(workers);
        }
    }
}
