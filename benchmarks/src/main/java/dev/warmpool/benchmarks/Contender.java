package dev.warmpool.benchmarks;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Something the peers benchmark measures: a bare process over a pipe, a warm pool of some worker,
 * or another runtime's worker pool driven by a script of its own. Every measurement warms up
 * first. What lives in this JVM (the floors' processes, warmpool's pools) is started at its first
 * measurement and serves every round, as a warm pool does; a driver starts its runtime's pool for
 * each measurement. Not thread-safe: measured by one thread at a time.
 */
abstract class Contender implements AutoCloseable {
    private final String key;
    private final String label;

    /**
     * @param key a short stable name, the key in the JSON results
     * @param label what answers, for the table
     */
    Contender(String key, String label) {
        this.key = key;
        this.label = label;
    }

    final String key() {
        return key;
    }

    final String label() {
        return label;
    }

    /**
     * One caller, one worker: {@code warmup} requests, then {@code timed} requests each timed.
     *
     * @return the distribution of the timed ones
     * @throws Exception if the contender fails or answers wrongly
     */
    abstract Percentiles latency(int warmup, int timed) throws Exception;

    /**
     * {@code workers} workers and {@code callers} callers that each send the next request as soon as
     * they have their answer; the answers that arrive during {@code measure}, after {@code warmup},
     * are counted.
     *
     * @return requests per second, or empty for a contender with no pool (a floor)
     * @throws Exception if the contender fails or answers wrongly
     */
    abstract OptionalDouble throughput(int workers, int callers, Duration warmup, Duration measure) throws Exception;

    /** @return the version it reported when it ran (a peer package's), if any */
    Optional<String> version() {
        return Optional.empty();
    }

    /** Stops what it started; nothing is left running. */
    @Override
    public void close() {
    }
}
