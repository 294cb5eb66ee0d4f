package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code warmpool run --metrics-port}: real scrapes over loopback during a real run. */
class RunMetricsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** One sample line of the text format: a name, optional labels, a value. */
    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)(\\{[^}]*\\})? (\\S+)");

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void scrapesShowTheQueueDepthAndRequestCountsOfTheRun() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (Cli.Running c = Cli.start(Cli.with(Cli.testWorker(), "run", "--size", "1", "--max", "1",
                "--metrics-port", "0"))) {
            c.awaitStderr("serving /metrics and /health on http://127.0.0.1:");
            Matcher m = Pattern.compile("http://(127\\.0\\.0\\.1:\\d+)").matcher(c.stderr());
            assertTrue(m.find(), c.stderr());
            URI base = URI.create("http://" + m.group(1));
            for (int i = 1; i <= 3; i++) {
                c.send("{\"id\":" + i + ",\"method\":\"echo\",\"params\":{}}");
            }
            c.awaitLine("\"id\":3");
            c.send("{\"id\":\"slow\",\"method\":\"sleep\",\"params\":{\"ms\":600000}}");
            c.send("{\"id\":\"waiting\",\"method\":\"echo\",\"params\":{}}");

            Map<String, Double> busy = awaitSample(http, base, "warmpool_queue_depth", 1);
            assertEquals(1, busy.get("warmpool_workers{state=\"busy\"}"), busy.toString());
            assertEquals(0, busy.get("warmpool_workers{state=\"idle\"}"), busy.toString());
            assertEquals(1, busy.get("warmpool_pool_size"), busy.toString());
            assertEquals(1, busy.get("warmpool_host_workers{host=\"local\"}"), busy.toString());
            assertEquals(3, busy.get("warmpool_requests_total{outcome=\"succeeded\"}"), busy.toString());
            assertEquals(5, busy.get("warmpool_run_requests_total"), busy.toString());
            assertEquals(3, busy.get("warmpool_run_answers_total{kind=\"ok\"}"), busy.toString());
            assertEquals(1, busy.get("warmpool_spawns_total{cause=\"initial\"}"), busy.toString());
            assertEquals(3, busy.get("warmpool_run_time_seconds_count"), busy.toString());
            assertTrue(busy.get("warmpool_run_time_seconds{quantile=\"0.99\"}") > 0, busy.toString());
            assertEquals(1, busy.get("warmpool_up"), busy.toString());

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            JsonNode h = MAPPER.readTree(health.body());
            assertEquals("up", h.get("status").asText(), health.body());
            assertEquals(1, h.get("workers").get("busy").asInt(), health.body());
            assertEquals(1, h.get("hosts").get("local").asInt(), health.body());
            assertEquals(1, h.get("queueDepth").asInt(), health.body());

            HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode(), post.body());
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(base.resolve("/other")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode(), other.body());

            c.signal("TERM");
            c.awaitStderr("SIGTERM: reading no more input");
            HttpResponse<String> draining = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, draining.statusCode(), "a stopping command is not ready for work: " + draining.body());
            assertEquals("stopping", MAPPER.readTree(draining.body()).get("status").asText(), draining.body());
            c.signal("TERM");
            assertEquals(143, c.awaitExit(30).exit());
        }
    }

    /** Scrapes until {@code name} has {@code value}, and returns that scrape's samples. */
    static Map<String, Double> awaitSample(HttpClient http, URI base, String name, double value)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
            Map<String, Double> samples = parse(r.body());
            if (samples.getOrDefault(name, -1.0) == value) {
                return samples;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " never reached " + value + ":\n" + r.body());
            }
            Thread.sleep(50);
        }
    }

    /** Parses the text format strictly: every line is a comment or a sample, every sample's family has a TYPE. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        java.util.Set<String> typed = new java.util.HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                typed.add(line.split(" ")[2]);
                continue;
            }
            if (line.startsWith("# HELP ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: '" + line + "'");
            String family = m.group(1).replaceAll("_count$", "");
            assertTrue(typed.contains(family), "no TYPE before " + line);
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }
}
