package dev.warmpool.benchmarks;

import java.time.Duration;
import java.util.Locale;

/**
 * How long the peers benchmark measures: rounds (every contender once per round, in an order that
 * rotates from round to round), requests per latency measurement, and the throughput windows.
 *
 * @param name {@code smoke}, {@code quick} or {@code full}
 * @param rounds how many rounds; figures are the medians over them
 * @param warmup requests before a latency measurement
 * @param timed requests timed in a latency measurement
 * @param throughputWarmup load before the throughput window
 * @param throughputWindow the window whose answers are counted
 * @param workers workers in the throughput measurement
 * @param callers concurrent callers in the throughput measurement
 */
record PeersMode(String name, int rounds, int warmup, int timed, Duration throughputWarmup, Duration throughputWindow,
        int workers, int callers) {
    /** Every contender once, a few hundred requests: keeps it all running in CI (well under a minute). */
    static final PeersMode SMOKE = new PeersMode("smoke", 1, 200, 500, Duration.ofMillis(200), Duration.ofMillis(300), 2, 8);
    /** Three rounds, 4,000 + 6,000 requests, 0.5 + 1 s of load: under three minutes on two cores. */
    static final PeersMode QUICK = new PeersMode("quick", 3, 4_000, 6_000, Duration.ofMillis(500), Duration.ofSeconds(1), 2, 8);
    /** Five rounds, 20,000 + 50,000 requests, 1 + 5 s of load: the published figures; about 15 minutes. */
    static final PeersMode FULL = new PeersMode("full", 5, 20_000, 50_000, Duration.ofSeconds(1), Duration.ofSeconds(5), 2, 8);

    /** @return the settings in words, for the report */
    String describe() {
        return String.format(Locale.ROOT, "%s mode: %d round%s; latency: 1 caller, 1 worker, %,d warm-up then %,d timed "
                + "requests; throughput: %d workers, %d callers, %d ms of load then %d ms counted",
                name, rounds, rounds == 1 ? "" : "s", warmup, timed, workers, callers, throughputWarmup.toMillis(),
                throughputWindow.toMillis());
    }
}
