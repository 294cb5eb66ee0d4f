package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warmpool listen --metrics-port}: real scrapes over loopback while a real listen runs its
 * events through a script standing in for {@code claude -p} ({@code HANDLER_POOL_MODE=spawn}), which
 * answers only once the test opens its gate, so the scrape sees events in flight.
 */
class ListenMetricsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @AfterEach
    void noScriptLeftRunning() throws InterruptedException {
        Processes.awaitNoneWith(dir.toString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void scrapesShowTheEventsInFlightThenTheirResults() throws IOException, InterruptedException {
        Path gate = dir.resolve("gate");
        Path claude = dir.resolve("claude");
        Files.writeString(claude, "#!/bin/sh\n"
                + "while [ ! -e '" + gate + "' ]; do sleep 0.05; done\n"
                + "echo '{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":1,"
                + "\"duration_ms\":5,\"result\":\"answered\",\"total_cost_usd\":0.001}'\n");
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path project = Files.createDirectories(dir.resolve("project"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        try (Cli.Running c = Cli.start(Map.of("HANDLER_POOL_MODE", "spawn"), List.of("listen", "--project",
                project.toString(), "--claude", claude.toString(), "--metrics-port", "0"))) {
            c.awaitStderr("warmpool listen: serving /metrics and /health on http://127.0.0.1:");
            Matcher m = Pattern.compile("http://(127\\.0\\.0\\.1:\\d+)").matcher(c.stderr());
            assertTrue(m.find(), c.stderr());
            URI base = URI.create("http://" + m.group(1));
            c.send("{\"handler\": \"triage\", \"event\": {\"id\": 1}}");
            c.send("{\"handler\": \"triage\", \"event\": {\"id\": 2}}");

            Map<String, Double> running = RunMetricsTest.awaitSample(http, base, "warmpool_listen_cold_running", 2);
            assertEquals(1, running.get("warmpool_up"), running.toString());
            assertEquals(1, running.get("warmpool_listen_serving{served=\"cold\"}"), running.toString());
            assertEquals(0, running.get("warmpool_listen_serving{served=\"warm\"}"), running.toString());
            assertEquals(0, running.get("warmpool_listen_results_total{kind=\"ok\"}"), running.toString());
            assertFalse(running.containsKey("warmpool_queue_depth"), "spawn mode has no warm pool: " + running);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            JsonNode h = MAPPER.readTree(health.body());
            assertEquals("up", h.get("status").asText(), health.body());
            assertEquals("cold", h.get("serving").asText(), health.body());

            Files.createFile(gate);
            Map<String, Double> done = RunMetricsTest.awaitSample(http, base, "warmpool_listen_results_total{kind=\"ok\"}",
                    2);
            assertEquals(2, done.get("warmpool_listen_events_total{served=\"cold\"}"), done.toString());
            assertEquals(0, done.get("warmpool_listen_events_total{served=\"warm\"}"), done.toString());
            assertEquals(0, done.get("warmpool_listen_results_total{kind=\"timeout\"}"), done.toString());
            assertEquals(0, done.get("warmpool_listen_cold_running"), done.toString());

            c.endInput();
            Cli.Result r = c.awaitExit(30);
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.stderr().contains("warmpool listen: 2 events, 2 ok, 0 failed"), r::toString);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aMetricsAddressWithoutAPortIsABadArgument() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Cli.Result r = Cli.run("", Map.of("HANDLER_POOL_MODE", "spawn"),
                List.of("listen", "--project", project.toString(), "--metrics-address", "0.0.0.0"));
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.stderr().contains("--metrics-address needs --metrics-port"), r::toString);
    }
}
