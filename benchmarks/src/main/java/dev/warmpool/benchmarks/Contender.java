package dev.warmpool.benchmarks;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Something the peers benchmark measures: a bare process over a pipe, a warm pool of some worker,
 * or another runtime's worker pool driven by a script of its own. Every call starts what it needs,
 * warms it up, measures, and stops it again, so each round starts from the same state.
 */
interface Contender {
    /** @return a short stable name, the key in the JSON results */
    String key();

    /** @return what answers, for the table */
    String label();

    /**
     * One caller, one worker: {@code warmup} requests, then {@code timed} requests each timed.
     *
     * @return the distribution of the timed ones
     * @throws Exception if the contender fails or answers wrongly
     */
    Percentiles latency(int warmup, int timed) throws Exception;

    /**
     * {@code workers} workers and {@code callers} callers that each send the next request as soon as
     * they have their answer; the answers that arrive during {@code measure}, after {@code warmup},
     * are counted.
     *
     * @return requests per second, or empty for a contender with no pool (a floor)
     * @throws Exception if the contender fails or answers wrongly
     */
    OptionalDouble throughput(int workers, int callers, Duration warmup, Duration measure) throws Exception;

    /** @return the version it reported when it ran (a peer package's), if any */
    default Optional<String> version() {
        return Optional.empty();
    }
}
