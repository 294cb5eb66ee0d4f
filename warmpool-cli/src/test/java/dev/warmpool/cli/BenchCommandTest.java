package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.cli.plot.LatencyPlot;
import dev.warmpool.cli.plot.LatencyPlotTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code warmpool bench}, started as a real process. */
class BenchCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static void assertPhase(JsonNode phase, int requests, String name) {
        assertEquals(requests, phase.get("requests").asInt(), name);
        assertEquals(0, phase.get("errors").asInt(), name);
        assertTrue(phase.get("seconds").asDouble() > 0, name);
        assertTrue(phase.get("throughput_per_s").asDouble() > 0, name);
        JsonNode l = phase.get("latency_ms");
        for (String p : List.of("p50", "p90", "p99", "max", "mean")) {
            assertTrue(l.get(p).asDouble() > 0, name + " " + p);
        }
        assertTrue(l.get("p50").asDouble() <= l.get("p99").asDouble(), name);
        assertTrue(l.get("p99").asDouble() <= l.get("max").asDouble(), name);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void jsonOverLineComparesOneshotWithThePool(@TempDir Path dir) throws Exception {
        Path plot = dir.resolve("charts").resolve("latency.svg");
        Cli.Result r = Cli.run("", Cli.with(List.of("cat"), "bench", "--json", "--transport", "line",
                "--requests", "20", "--cold-requests", "4", "--concurrency", "2", "--plot", plot.toString()));

        assertEquals(0, r.exit(), r::toString);
        JsonNode json = MAPPER.readTree(r.stdout());
        assertEquals(List.of("cat"), MAPPER.convertValue(json.get("command"), List.class));
        assertEquals("line", json.get("transport").asText());
        assertEquals("oneshot", json.get("cold_transport").asText());
        assertEquals(2, json.get("concurrency").asInt());
        assertPhase(json.get("cold"), 4, "cold");
        assertPhase(json.get("warm"), 20, "warm");
        assertEquals(4, json.get("cold").get("processes_started").asInt(), "a process per cold request");
        assertEquals(2, json.get("warm").get("pool_size").asInt(), "the pool's size defaults to the concurrency");
        assertEquals(2, json.get("warm").get("processes_started").asInt());
        assertTrue(json.get("warm").get("pool_start_ms").asDouble() > 0);
        for (String p : List.of("p50", "p90", "p99", "max", "throughput")) {
            assertTrue(json.get("ratio").get(p).asDouble() > 0, p);
        }
        assertTrue(r.stderr().contains("cold: 4/4") && r.stderr().contains("warm: 20/20"),
                "plain progress lines when not on a terminal\n" + r);
        String svg = Files.readString(plot);
        List<LatencyPlotTest.Line> series = LatencyPlotTest.series(svg);
        assertEquals(List.of("cold: oneshot per request", "warm: pool of 2"),
                series.stream().map(LatencyPlotTest.Line::name).toList());
        series.forEach(l -> assertEquals(LatencyPlot.POINTS, l.points().size(), l.name()));
        assertTrue(svg.contains("(4 requests)") && svg.contains("(20 requests)"), "the legend counts the samples");
        assertTrue(svg.contains("cold / warm latency: p50 ") && svg.contains("Machine: "), "the caption");
        assertTrue(r.stderr().contains("wrote the latency chart to " + plot), r::toString);
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void tableOverJsonRpcStartsAWorkerPerColdRequest() {
        Cli.Result r = Cli.run("", Cli.with(Cli.testWorker(), "bench", "--requests", "10", "--cold-requests", "2",
                "--params", "{\"text\":\"hi\"}", "--quiet"));

        assertEquals(0, r.exit(), r::toString);
        String out = r.stdout();
        for (String row : List.of("p50", "p90", "p99", "max", "throughput", "processes started", "cold / warm")) {
            assertTrue(out.contains(row), row + "\n" + r);
        }
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+processes started\\s+2\\s+1\\s*")), r::toString);
        assertEquals("", r.stderr(), "--quiet: no progress\n" + r);
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void failedRequestsMakeExitStatusOne() throws IOException {
        Cli.Result r = Cli.run("", Cli.with(Cli.testWorker(), "bench", "--json", "--method", "no-such-method",
                "--requests", "2", "--cold-requests", "1", "--quiet"));

        assertEquals(1, r.exit(), r::toString);
        JsonNode json = MAPPER.readTree(r.stdout());
        assertEquals(1, json.get("cold").get("errors").asInt(), r::toString);
        assertEquals(2, json.get("warm").get("errors").asInt(), r::toString);
        assertTrue(json.get("warm").get("first_error").asText().startsWith("worker-error"), r::toString);
        assertTrue(r.stderr().contains("2 warm requests failed; the first: worker-error"), r::toString);
    }
}
