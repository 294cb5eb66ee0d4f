package dev.warmpool.cli;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The summary {@code warmpool run} prints on stderr when it ends: requests and answers by kind,
 * processes started, latency and throughput.
 *
 * @param ledger the run's requests and answers
 * @param transport the transport's name
 * @param config the pool's configuration
 */
record RunSummary(Ledger ledger, String transport, PoolConfig config) {
    /**
     * @param err where it goes
     * @param seconds from the first line read to the end
     * @param poolStart how long the pool took to start, in seconds
     * @param metrics the pool's metrics, or empty if it could not start
     */
    void print(PrintStream err, double seconds, double poolStart, Optional<PoolMetrics> metrics) {
        long requests = ledger.requests();
        long ok = ledger.succeeded();
        StringJoiner kinds = new StringJoiner(", ", " (", ")").setEmptyValue("");
        for (Failure.Kind kind : Failure.Kind.values()) {
            long n = ledger.errors(kind);
            if (n > 0) {
                kinds.add(kind.label() + " " + n);
            }
        }
        err.printf(Locale.ROOT, "warmpool run: %d requests, %d ok, %d failed%s%n", requests, ok, requests - ok, kinds);
        Latencies latencies = ledger.latencies();
        long served = latencies.count();
        boolean oneshot = transport.equals("oneshot");
        long processes = oneshot ? served - ledger.errors(Failure.Kind.REJECTED)
                : metrics.map(PoolMetrics::totalSpawns).orElse(0L);
        err.printf(Locale.ROOT, "  processes started: %d (%s; pool size %d, min %d, max %d)%n", processes,
                oneshot ? "oneshot: one per request" : transport, config.size(), config.minSize(), config.maxSize());
        if (metrics.isEmpty()) {
            err.printf(Locale.ROOT, "  the pool could not start: every request was answered rejected%n");
        }
        if (served > 0) {
            err.printf(Locale.ROOT, "  latency: p50 %s, p99 %s, max %s (read to answer)%n",
                    Latencies.formatMillis(latencies.millis(50)), Latencies.formatMillis(latencies.millis(99)),
                    Latencies.formatMillis(latencies.maxMillis()));
            err.printf(Locale.ROOT, "  throughput: %s requests/s (%d in %s; the pool started in %s)%n",
                    seconds > 0 ? rate(served / seconds) : "-", served,
                    Latencies.formatSeconds(seconds), Latencies.formatSeconds(poolStart));
        }
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, perSecond >= 100 ? "%,.0f" : perSecond >= 10 ? "%.1f" : "%.2f", perSecond);
    }
}
