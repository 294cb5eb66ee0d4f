package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.testkit.ProcessAudit;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener loop with a script standing in for {@code claude -p} ({@code spawn} mode, so every
 * event is one run of the script): one result line per event, bad lines answered, the summary and
 * the exit status. {@code warmpool listen} and the example's tests run it against the real CLI.
 */
class EventLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Answers a triage event, fails as the CLI does for any other handler. */
    private static final String CLI = "case \"$*\" in\n"
            + "  */triage*) echo '" + Scripts.resultJson("triaged") + "' ;;\n"
            + "  *) echo 'no such handler' >&2; exit 1 ;;\n"
            + "esac";

    @TempDir
    Path dir;
    private HandlerPool pool;

    @BeforeEach
    void setUp() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        pool = HandlerPool.fromEnvironment(project, Map.of(HandlerMode.ENV, "spawn"))
                .command(Scripts.script(dir, "claude", CLI).toString())
                .shutdownGrace(Duration.ZERO)
                .noShutdownHook()
                .build()
                .start();
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdown(Duration.ZERO);
        ProcessAudit.assertNoDescendants(Duration.ofSeconds(10));
    }

    private record Served(EventLines.Summary summary, List<JsonNode> lines, String err) {
    }

    private Served serve(Reader events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        EventLines.Summary s = EventLines.serve(pool, new BufferedReader(events),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).lines().toList()) {
            lines.add(JSON.readTree(l));
        }
        lines.sort(Comparator.comparingInt(n -> n.path("line").asInt()));
        return new Served(s, lines, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(60)
    void everyEventAndEveryBadLineGetsOneResultLineAndTheSummaryCountsThemByFailure() throws Exception {
        Served s = serve(new StringReader("""
                {"handler": "triage", "event": {"id": 1}}

                {"handler": "nobody", "event": {"id": 2}}
                [1, 2]
                {"handler": "triage", "event": {"id": 4}}
                """));

        assertEquals(List.of(1, 3, 4, 5), s.lines().stream().map(l -> l.path("line").asInt()).toList(),
                "the blank line 2 is skipped, every other line answered once: " + s.lines());
        assertEquals("triaged", s.lines().get(0).path("output").asText());
        assertEquals("cold", s.lines().get(0).path("served_by").asText());
        assertEquals("nobody", s.lines().get(1).path("handler").asText());
        assertEquals(false, s.lines().get(1).path("success").asBoolean());
        assertEquals("no such handler", s.lines().get(1).path("stderr").asText());
        JsonNode bad = s.lines().get(2);
        assertTrue(bad.path("handler").isNull(), bad.toString());
        assertEquals("rejected", bad.path("failure").asText());
        assertEquals("the line is not a JSON object with a \"handler\" text: [1, 2]", bad.path("error").asText());
        assertTrue(s.lines().get(3).path("success").asBoolean(), s.lines().get(3).toString());

        EventLines.Summary summary = s.summary();
        assertEquals(4, summary.events());
        assertEquals(2, summary.succeeded());
        assertEquals(2, summary.failed());
        String failure = s.lines().get(1).path("failure").asText();
        assertEquals(Map.of(failure, 1L, "rejected", 1L), summary.failures(), "the failed handler and the bad line");
        assertEquals(0, summary.warm());
        assertEquals(3, summary.cold(), "the bad line was served by nobody");
        assertEquals(1, summary.exitStatus());
        String failures = summary.failures().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .reduce((a, b) -> a + ", " + b).orElseThrow();
        assertTrue(s.err().startsWith("warmpool listen: 4 events, 2 ok, 2 failed (" + failures + ")\n"), s.err());
        assertTrue(s.err().contains("  served: 0 warm, 3 cold (0 as auto's fallback); mode spawn, serving cold now"), s.err());
        assertTrue(s.err().contains("  latency: p50 ") && s.err().contains("  throughput: "), s.err());
    }

    @Test
    @Timeout(60)
    void whenEveryEventSucceedsTheExitStatusIsZero() throws Exception {
        Served s = serve(new StringReader("{\"handler\": \"triage\", \"event\": {\"id\": 1}}\n"
                + "{\"handler\": \"triage\"}\n"));

        assertEquals(2, s.lines().size(), s.lines().toString());
        assertEquals(2, s.summary().succeeded());
        assertEquals(Map.of(), s.summary().failures());
        assertEquals(0, s.summary().exitStatus());
        assertTrue(s.err().startsWith("warmpool listen: 2 events, 2 ok, 0 failed\n"), s.err());
    }

    @Test
    @Timeout(60)
    void aReadErrorPartWayStillAnswersTheEventsReadAndFailsTheRun() throws Exception {
        Reader breaking = new Reader() {
            private final StringReader first = new StringReader("{\"handler\": \"triage\", \"event\": {\"id\": 1}}\n");

            @Override
            public int read(char[] buf, int off, int len) throws IOException {
                int n = first.read(buf, off, len);
                if (n < 0) {
                    throw new IOException("the disk went away");
                }
                return n;
            }

            @Override
            public void close() {
            }
        };
        Served s = serve(breaking);

        assertEquals(1, s.lines().size(), s.lines().toString());
        assertTrue(s.lines().get(0).path("success").asBoolean(), s.lines().get(0).toString());
        assertEquals("reading the events failed after line 1: the disk went away", s.summary().readError());
        assertEquals(1, s.summary().exitStatus(), "the event succeeded but the input was not read to its end");
        assertTrue(s.err().contains("  reading the events failed after line 1: the disk went away; "
                + "the events after it were not read"), s.err());
    }

    @Test
    void aSummaryWhoseCountsDoNotAddUpIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EventLines.Summary(3, 1, Map.of("timeout", 1L), 2, 1, ""));
        assertEquals("succeeded (1) and failures {timeout=1} do not add up to the events (3)", e.getMessage());
    }
}
