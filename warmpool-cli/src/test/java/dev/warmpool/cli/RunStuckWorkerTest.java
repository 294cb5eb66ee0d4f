package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code warmpool run} while one worker stops reading its stdin (issue 13): the send of a request
 * larger than the pipe cannot finish, and the command must go on reading, sending and answering.
 */
class RunStuckWorkerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aWorkerThatStopsReadingNeitherStopsTheInputNorTheOtherAnswers() throws IOException, InterruptedException {
        String marker = "stalling-" + UUID.randomUUID();
        List<String> worker = List.of(Cli.JAVA, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", Cli.CLASS_PATH,
                StallingWorker.class.getName(), marker);
        StringBuilder input = new StringBuilder();
        // 200 KB: three times what a pipe holds, so the write to the stalled worker blocks
        input.append("{\"id\":\"big\",\"method\":\"echo\",\"params\":{\"text\":\"").append("x".repeat(200_000)).append("\"}}\n");
        int small = 6;
        for (int i = 1; i <= small; i++) {
            input.append("{\"id\":").append(i).append(",\"method\":\"echo\",\"params\":{\"i\":").append(i).append("}}\n");
        }

        Cli.Result r = Cli.run(input.toString(), Cli.with(worker, "run", "--size", "2", "--timeout", "3s"));

        assertEquals(1, r.exit(), r::toString);
        List<JsonNode> answers = new ArrayList<>();
        for (String line : r.lines()) {
            answers.add(MAPPER.readTree(line));
        }
        List<String> ids = answers.stream().map(a -> a.get("id").asText()).toList();
        assertEquals(small + 1, ids.size(), "one answer per line\n" + shortened(r));
        assertEquals(small + 1, ids.stream().distinct().count(), "no line answered twice\n" + shortened(r));
        JsonNode big = answers.get(ids.indexOf("big"));
        assertEquals("timeout", big.path("error").path("kind").asText(), shortened(r));
        for (int i = 1; i <= small; i++) {
            JsonNode a = answers.get(ids.indexOf(Integer.toString(i)));
            assertEquals(i, a.path("result").path("i").asInt(), () -> "the other worker answered\n" + shortened(r));
        }
        assertEquals(small, ids.indexOf("big"),
                "answers come in completion order: the small requests were answered while the big one was stuck\n"
                        + shortened(r));
        assertTrue(r.stderr().contains((small + 1) + " requests, " + small + " ok, 1 failed (timeout 1)"), shortened(r));
        Processes.awaitNoneWith(marker);
    }

    private static String shortened(Cli.Result r) {
        String s = r.toString();
        return s.replaceAll("x{100,}", "x...");
    }
}
