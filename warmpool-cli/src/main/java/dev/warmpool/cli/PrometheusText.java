package dev.warmpool.cli;

import dev.warmpool.api.LatencySummary;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.handler.HandlerMetrics;
import dev.warmpool.handler.Serving;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a pool's metrics, and those of the command that runs it ({@code warmpool_run_*},
 * {@code warmpool_listen_*}), in the Prometheus text exposition format (version 0.0.4), the format a
 * Prometheus server, the Prometheus adapter of a Kubernetes HPA and KEDA's Prometheus scaler read.
 *
 * <p>Names follow Prometheus' conventions: a {@code warmpool_} prefix, base units (seconds),
 * {@code _total} on counters, labels for the dimensions ({@code state}, {@code outcome},
 * {@code cause}, {@code kind}, {@code served}), and the same names as the Micrometer binder's meters
 * ({@code warmpool.requests} is {@code warmpool_requests_total} here). The latency summaries carry
 * the quantiles and the count the pool keeps (no {@code _sum}: the pool keeps percentiles, not a
 * running total).
 *
 * <p>Stateless and thread-safe.
 */
final class PrometheusText {
    /** The content type of this format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /**
     * What {@code warmpool run} adds to the pool's own metrics.
     *
     * @param up 1 when the command reports healthy, else 0
     * @param inputLines requests read so far
     * @param answers answers written so far, by kind ({@code ok} or an error kind)
     */
    record Command(int up, long inputLines, Map<String, Long> answers) {
    }

    /**
     * What {@code warmpool listen} adds to its warm pool's metrics.
     *
     * @param up 1 when the command reports healthy, else 0
     * @param handlers the handler pool's counters
     */
    record Listen(int up, HandlerMetrics handlers) {
    }

    /**
     * Renders the metrics of {@code warmpool run}.
     *
     * @param pool the pool's snapshot, or empty while there is no pool (starting, or it could not start)
     * @param command the command's own figures
     * @return the exposition text
     */
    static String render(Optional<PoolMetrics> pool, Command command) {
        StringBuilder b = head(pool, command.up());
        counter(b, "warmpool_run_requests_total", "input lines read as requests by warmpool run");
        sample(b, "warmpool_run_requests_total", "", command.inputLines());
        counter(b, "warmpool_run_answers_total", "answers written by warmpool run, by kind (ok or an error kind)");
        command.answers().forEach((kind, n) -> sample(b, "warmpool_run_answers_total", label("kind", kind), n));
        return b.toString();
    }

    /**
     * Renders the metrics of {@code warmpool listen}.
     *
     * @param pool the warm pool's snapshot, or empty while there is none (starting, spawn mode, or it
     *     could not start)
     * @param listen the command's own figures
     * @return the exposition text
     */
    static String render(Optional<PoolMetrics> pool, Listen listen) {
        StringBuilder b = head(pool, listen.up());
        HandlerMetrics h = listen.handlers();
        counter(b, "warmpool_listen_events_total", "events that ended, by how they were served (warm or cold)");
        sample(b, "warmpool_listen_events_total", label("served", "warm"), h.warm());
        sample(b, "warmpool_listen_events_total", label("served", "cold"), h.cold());
        counter(b, "warmpool_listen_fallback_total", "events auto mode served cold because the warm pool could not");
        sample(b, "warmpool_listen_fallback_total", "", h.fallback());
        counter(b, "warmpool_listen_results_total", "results written by warmpool listen, by kind (ok or a failure)");
        sample(b, "warmpool_listen_results_total", label("kind", "ok"), h.succeeded());
        h.failed().forEach((f, n) -> sample(b, "warmpool_listen_results_total", label("kind", name(f)), n));
        gauge(b, "warmpool_listen_cold_running", "cold claude -p processes running now");
        sample(b, "warmpool_listen_cold_running", "", h.coldRunning());
        gauge(b, "warmpool_listen_serving", "1 for how new events are served now (warm or cold), 0 for the other");
        for (Serving how : Serving.values()) {
            sample(b, "warmpool_listen_serving", label("served", name(how)), h.serving() == how ? 1 : 0);
        }
        return b.toString();
    }

    /** @return the figures both commands serve: whether it is up, and the pool's, if there is one */
    private static StringBuilder head(Optional<PoolMetrics> pool, int up) {
        StringBuilder b = new StringBuilder(4096);
        gauge(b, "warmpool_up", "1 when the command reports healthy (what /health answers 200 for), else 0");
        sample(b, "warmpool_up", "", up);
        pool.ifPresent(m -> poolMetrics(b, m));
        return b;
    }

    private static void poolMetrics(StringBuilder b, PoolMetrics m) {
        gauge(b, "warmpool_queue_depth", "requests waiting for a worker");
        sample(b, "warmpool_queue_depth", "", m.queueDepth());
        gauge(b, "warmpool_pool_size", "worker processes: idle + busy + starting");
        sample(b, "warmpool_pool_size", "", m.size());
        gauge(b, "warmpool_workers", "worker processes by state");
        sample(b, "warmpool_workers", label("state", "idle"), m.idle());
        sample(b, "warmpool_workers", label("state", "busy"), m.busy());
        sample(b, "warmpool_workers", label("state", "starting"), m.starting());
        gauge(b, "warmpool_host_workers", "worker processes ready or busy, by the host they run on (local: this machine)");
        m.workersByHost().forEach((host, n) -> sample(b, "warmpool_host_workers", label("host", host), n));
        counter(b, "warmpool_requests_submitted_total", "requests submitted to the pool (admitted or not)");
        sample(b, "warmpool_requests_submitted_total", "", m.submitted());
        counter(b, "warmpool_requests_total", "requests that ended, by outcome");
        sample(b, "warmpool_requests_total", label("outcome", "succeeded"), m.succeeded());
        m.failed().forEach((f, n) -> sample(b, "warmpool_requests_total", label("outcome", name(f)), n));
        counter(b, "warmpool_spawns_total", "worker processes started, by cause");
        m.spawns().forEach((c, n) -> sample(b, "warmpool_spawns_total", label("cause", name(c)), n));
        summary(b, "warmpool_queue_wait_seconds", "how long requests waited for a worker", m.queueWait());
        summary(b, "warmpool_run_time_seconds", "how long workers took to answer", m.runTime());
    }

    private static void summary(StringBuilder b, String name, String help, LatencySummary s) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" summary\n");
        quantile(b, name, "0.5", s.p50());
        quantile(b, name, "0.9", s.p90());
        quantile(b, name, "0.99", s.p99());
        quantile(b, name, "0.999", s.p999());
        quantile(b, name, "1", s.max());
        sample(b, name + "_count", "", s.count());
    }

    private static void quantile(StringBuilder b, String name, String q, Duration d) {
        b.append(name).append(label("quantile", q)).append(' ')
                .append(String.format(Locale.ROOT, "%.9f", d.toNanos() / 1e9)).append('\n');
    }

    private static void gauge(StringBuilder b, String name, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void counter(StringBuilder b, String name, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
    }

    private static void sample(StringBuilder b, String name, String labels, long value) {
        b.append(name).append(labels).append(' ').append(value).append('\n');
    }

    private static String label(String name, String value) {
        return "{" + name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"}";
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
