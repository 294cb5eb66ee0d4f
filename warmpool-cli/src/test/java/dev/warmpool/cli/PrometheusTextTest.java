package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.warmpool.api.LatencySummary;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.handler.HandlerMetrics;
import dev.warmpool.handler.HandlerResult;
import dev.warmpool.handler.Serving;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Prometheus text the metrics endpoint serves. */
class PrometheusTextTest {
    @Test
    void everyFigureOfThePoolIsASampleInBaseUnits() {
        PoolMetrics m = new PoolMetrics(4, 1, 2, 1, 7, 120, 100,
                Map.of(PoolMetrics.Failure.RUN_TIMEOUT, 3L, PoolMetrics.Failure.CRASHED, 2L),
                Map.of(PoolMetrics.SpawnCause.INITIAL, 4L, PoolMetrics.SpawnCause.CRASH, 2L),
                new LatencySummary(105, Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(9),
                        Duration.ofMillis(11), Duration.ofMillis(12)),
                new LatencySummary(105, Duration.ofMillis(40), Duration.ofMillis(50), Duration.ofMillis(90),
                        Duration.ofMillis(95), Duration.ofSeconds(3)),
                Map.of("local", 1, "ssh://deploy@h1", 1, "exec:docker exec -i \"box\"", 1));

        Map<String, Double> s = RunMetricsTest.parse(PrometheusText.render(Optional.of(m),
                new PrometheusText.Command(1, 130, Map.of("ok", 100L, "bad-input", 10L))));

        assertEquals(7, s.get("warmpool_queue_depth"));
        assertEquals(4, s.get("warmpool_pool_size"));
        assertEquals(2, s.get("warmpool_workers{state=\"busy\"}"));
        assertEquals(1, s.get("warmpool_workers{state=\"starting\"}"));
        assertEquals(1, s.get("warmpool_host_workers{host=\"ssh://deploy@h1\"}"));
        assertEquals(1, s.get("warmpool_host_workers{host=\"exec:docker exec -i \\\"box\\\"\"}"), "the quotes escaped");
        assertEquals(100, s.get("warmpool_requests_total{outcome=\"succeeded\"}"));
        assertEquals(3, s.get("warmpool_requests_total{outcome=\"run_timeout\"}"));
        assertEquals(0, s.get("warmpool_requests_total{outcome=\"rejected\"}"), "every outcome, zeros too");
        assertEquals(2, s.get("warmpool_spawns_total{cause=\"crash\"}"));
        assertEquals(0.009, s.get("warmpool_queue_wait_seconds{quantile=\"0.99\"}"), 1e-12);
        assertEquals(3.0, s.get("warmpool_run_time_seconds{quantile=\"1\"}"), 1e-12);
        assertEquals(105, s.get("warmpool_run_time_seconds_count"));
        assertEquals(130, s.get("warmpool_run_requests_total"));
        assertEquals(10, s.get("warmpool_run_answers_total{kind=\"bad-input\"}"));
        assertEquals(1, s.get("warmpool_up"));
    }

    @Test
    void withoutAPoolOnlyTheCommandsFiguresAreServed() {
        Map<String, Double> s = RunMetricsTest.parse(PrometheusText.render(Optional.empty(),
                new PrometheusText.Command(0, 3, Map.of("rejected", 3L))));

        assertEquals(0, s.get("warmpool_up"));
        assertEquals(3, s.get("warmpool_run_answers_total{kind=\"rejected\"}"));
        assertFalse(s.containsKey("warmpool_queue_depth"), "no pool, no pool figures (not zeros that look healthy)");
    }

    @Test
    void listenServesTheHandlerPoolsFiguresBesideItsWarmPools() {
        PoolMetrics warm = new PoolMetrics(2, 1, 1, 0, 3, 10, 8, Map.of(), Map.of(PoolMetrics.SpawnCause.INITIAL, 2L),
                new LatencySummary(9, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO),
                new LatencySummary(9, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        HandlerMetrics h = new HandlerMetrics(Serving.WARM, 9, 4, 3, 1, 1, 1, 11,
                Map.of(HandlerResult.Failure.TIMEOUT, 2L));

        Map<String, Double> s = RunMetricsTest.parse(PrometheusText.render(Optional.of(warm),
                new PrometheusText.Listen(1, h)));

        assertEquals(3, s.get("warmpool_queue_depth"), "the warm pool's figures, as run serves them");
        assertEquals(9, s.get("warmpool_listen_events_total{served=\"warm\"}"));
        assertEquals(4, s.get("warmpool_listen_events_total{served=\"cold\"}"));
        assertEquals(3, s.get("warmpool_listen_fallback_total"));
        assertEquals(11, s.get("warmpool_listen_results_total{kind=\"ok\"}"));
        assertEquals(2, s.get("warmpool_listen_results_total{kind=\"timeout\"}"));
        assertEquals(0, s.get("warmpool_listen_results_total{kind=\"crashed\"}"), "every failure, zeros too");
        assertFalse(s.containsKey("warmpool_listen_results_total{kind=\"none\"}"), "success is ok, not a failure");
        assertEquals(1, s.get("warmpool_listen_cold_running"));
        assertEquals(1, s.get("warmpool_listen_serving{served=\"warm\"}"));
        assertEquals(0, s.get("warmpool_listen_serving{served=\"cold\"}"));
        assertFalse(s.containsKey("warmpool_run_requests_total"), "run's figures are run's");
    }
}
