package dev.warmpool.metrics.micrometer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerPool;
import dev.warmpool.core.WarmPool;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Prometheus scrape of a real pool, and {@code docs/metrics.md} checked against it: the table
 * names every meter, and every line of the example scrape is a series the binder really produces.
 */
@Timeout(60)
class PrometheusScrapeTest {
    private static final Path DOCS = Path.of("..", "docs", "metrics.md");

    private static WorkerPool pool;
    private static PrometheusMeterRegistry registry;
    private static String scrape;

    @BeforeAll
    static void scrapeAPoolThatServedTwentyRequestsAndOneFailure() throws IOException {
        pool = WarmPool.start(PoolConfig.builder().command(TestWorkers.java(EchoWorker.class))
                .size(2).maxSize(4).noShutdownHook().build());
        MockClock clock = new MockClock();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
        new WarmPoolMetrics(pool, "handlers").bindTo(registry); // before the requests, for its timers to see them
        for (int i = 0; i < 20; i++) {
            pool.submit("echo", List.of(i)).join();
        }
        CompletionException failure = assertThrows(CompletionException.class,
                () -> pool.submit("fail", Map.of("code", 7, "message", "no")).join());
        assertInstanceOf(WorkerErrorException.class, failure.getCause());
        clock.add(WarmPoolMetrics.SNAPSHOT_MAX_AGE); // past the snapshot taken when it was bound
        scrape = registry.scrape();
        // kept beside the build for whoever refreshes the example in docs/metrics.md
        Files.writeString(Path.of("target", "prometheus-scrape.txt"), scrape);
    }

    @AfterAll
    static void stopThePool() {
        pool.shutdown(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants()
                .noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void theScrapeCarriesTheRunsCountsGaugesAndTypes() {
        List<String> lines = scrape.lines().toList();
        assertTrue(lines.contains("# TYPE warmpool_requests_total counter"), scrape);
        assertTrue(lines.contains("warmpool_requests_total{outcome=\"success\",pool=\"handlers\"} 20.0"), scrape);
        assertTrue(lines.contains("warmpool_requests_total{outcome=\"worker_error\",pool=\"handlers\"} 1.0"), scrape);
        assertTrue(lines.contains("warmpool_requests_submitted_total{pool=\"handlers\"} 21.0"), scrape);
        assertTrue(lines.contains("# TYPE warmpool_workers gauge"), scrape);
        assertTrue(lines.contains("warmpool_workers{pool=\"handlers\",state=\"idle\"} 2.0"), scrape);
        assertTrue(lines.contains("warmpool_queue_depth{pool=\"handlers\"} 0.0"), scrape);
        assertTrue(lines.contains("warmpool_spawns_total{cause=\"initial\",pool=\"handlers\"} 2.0"), scrape);
    }

    @Test
    void theTimersArePrometheusHistogramsOfEveryRequestByOutcome() {
        List<String> lines = scrape.lines().toList();
        assertTrue(lines.contains("# TYPE warmpool_request_run_seconds histogram"), scrape);
        assertTrue(lines.contains("# TYPE warmpool_request_queue_wait_seconds histogram"), scrape);
        assertEquals(20.0, value(lines, "warmpool_request_run_seconds_count{outcome=\"success\",pool=\"handlers\"}"));
        assertEquals(1.0, value(lines, "warmpool_request_run_seconds_count{outcome=\"worker_error\",pool=\"handlers\"}"));
        assertEquals(20.0, value(lines,
                "warmpool_request_queue_wait_seconds_count{outcome=\"success\",pool=\"handlers\"}"));
        assertTrue(value(lines, "warmpool_request_run_seconds_sum{outcome=\"success\",pool=\"handlers\"}") > 0);
        List<String> buckets = lines.stream()
                .filter(l -> l.startsWith("warmpool_request_run_seconds_bucket{") && l.contains("outcome=\"success\""))
                .toList();
        assertTrue(buckets.size() > 50, "buckets from 1 µs to 5 min: " + buckets);
        assertTrue(buckets.get(0).contains("le=\"1.0E-6\""), buckets.get(0));
        assertTrue(buckets.get(buckets.size() - 1).contains("le=\"+Inf\""), buckets.get(buckets.size() - 1));
        assertTrue(buckets.get(buckets.size() - 1).endsWith(" 20"), "cumulative: the last bucket has every request");
    }

    private static double value(List<String> lines, String series) {
        return lines.stream().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + scrape));
    }

    @Test
    void theDocsTableNamesExactlyTheMetersTheBinderRegisters() throws IOException {
        Set<String> registered = registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(warmpool\\.[a-z.]+)`").matcher(Files.readString(DOCS));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertEquals(registered, documented);
    }

    @Test
    void everyLineOfTheDocsExampleScrapeIsASeriesOfARealScrape() throws IOException {
        String docs = Files.readString(DOCS);
        Matcher block = Pattern.compile("(?s)```text\\n(# HELP warmpool.*?)```").matcher(docs);
        assertTrue(block.find(), "docs/metrics.md has no example scrape starting with '# HELP warmpool'");
        List<String> example = block.group(1).lines().toList();
        assertTrue(example.size() >= 5, example.toString());
        Set<String> real = scrape.lines().map(PrometheusScrapeTest::series).collect(Collectors.toSet());
        for (String line : example) {
            assertTrue(real.contains(series(line)), "not in a real scrape: " + line);
        }
        assertFalse(example.stream().anyMatch(l -> !l.startsWith("#") && !l.contains("pool=\"handlers\"")),
                "the example is of the pool named handlers");
    }

    /** @return a scrape line without its value: a series' name and labels, or a comment whole */
    private static String series(String line) {
        return line.startsWith("#") ? line : line.substring(0, line.lastIndexOf(' '));
    }
}
