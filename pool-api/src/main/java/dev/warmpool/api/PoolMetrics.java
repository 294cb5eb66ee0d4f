package dev.warmpool.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a pool's state and counters. Cheap to take: the pool's scaling loop takes one each
 * tick. Immutable.
 *
 * @param size the number of workers: idle + busy + starting
 * @param idle workers ready and waiting for a request
 * @param busy workers running a request
 * @param starting workers being started (not yet ready)
 * @param queueDepth requests waiting for a worker
 * @param submitted requests submitted since the pool started (admitted or not)
 * @param succeeded requests that completed with a result
 * @param failed requests that failed, by cause
 * @param spawns worker processes started, by cause
 * @param queueWait how long admitted requests waited for a worker
 * @param runTime how long workers took to answer
 * @param workersByHost the workers ready or running a request (idle + busy), by the host they run on
 *     ({@link dev.warmpool.api.spi.Worker#host()}: {@code "local"} for this machine), sorted by host;
 *     hosts without such a worker are left out
 */
public record PoolMetrics(int size, int idle, int busy, int starting, int queueDepth,
                          long submitted, long succeeded, Map<Failure, Long> failed,
                          Map<SpawnCause, Long> spawns, LatencySummary queueWait, LatencySummary runTime,
                          Map<String, Integer> workersByHost) {

    /** Why a request failed. */
    public enum Failure {
        /** Not admitted: queue full, shutting down, or pool unhealthy. */
        REJECTED,
        /** The queue-wait deadline passed. */
        QUEUE_TIMEOUT,
        /** The run deadline passed. */
        RUN_TIMEOUT,
        /** The worker died while running it. */
        CRASHED,
        /** The worker broke the protocol. */
        PROTOCOL,
        /** The worker answered with an error. */
        WORKER_ERROR,
        /**
         * The caller's mistake: the transport could not send the params or convert the result to the
         * requested type; the request failed with that {@link IllegalArgumentException}.
         */
        INVALID_REQUEST,
        /** Failed while the pool shut down, or for another pool-side reason. */
        ABORTED
    }

    /** Why a worker process was started. */
    public enum SpawnCause {
        /** One of the pool's first workers. */
        INITIAL,
        /** Replaces a worker that died. */
        CRASH,
        /** Replaces a worker killed after a run deadline. */
        TIMEOUT,
        /** Replaces a worker that did not answer a health check's ping. */
        HEALTH,
        /** Replaces a worker retired after its request or age limit. */
        RECYCLE,
        /** Replaces a worker that broke the protocol. */
        PROTOCOL,
        /** Added by scaling up. */
        SCALE,
        /** Retries a start that failed. */
        RETRY
    }

    /** Copies the maps. */
    public PoolMetrics {
        failed = copy(failed, Failure.class);
        spawns = copy(spawns, SpawnCause.class);
        workersByHost = Collections.unmodifiableSortedMap(new TreeMap<>(workersByHost));
    }

    /**
     * Makes a snapshot without a per-host view (no worker counted on any host), for policies' tests
     * and pools that do not track hosts.
     *
     * @param size the number of workers: idle + busy + starting
     * @param idle workers ready and waiting for a request
     * @param busy workers running a request
     * @param starting workers being started (not yet ready)
     * @param queueDepth requests waiting for a worker
     * @param submitted requests submitted since the pool started (admitted or not)
     * @param succeeded requests that completed with a result
     * @param failed requests that failed, by cause
     * @param spawns worker processes started, by cause
     * @param queueWait how long admitted requests waited for a worker
     * @param runTime how long workers took to answer
     */
    public PoolMetrics(int size, int idle, int busy, int starting, int queueDepth, long submitted, long succeeded,
                       Map<Failure, Long> failed, Map<SpawnCause, Long> spawns, LatencySummary queueWait,
                       LatencySummary runTime) {
        this(size, idle, busy, starting, queueDepth, submitted, succeeded, failed, spawns, queueWait, runTime, Map.of());
    }

    private static <E extends Enum<E>> Map<E, Long> copy(Map<E, Long> in, Class<E> type) {
        EnumMap<E, Long> m = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            m.put(e, in.getOrDefault(e, 0L));
        }
        return Collections.unmodifiableMap(m);
    }

    /** {@return the number of requests that ended, with a result or a failure} */
    public long completed() {
        return succeeded + failed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@return the number of requests turned away at admission} */
    public long rejected() {
        return failed.getOrDefault(Failure.REJECTED, 0L);
    }

    /** {@return the number of requests whose queue or run deadline passed} */
    public long timedOut() {
        return failed.getOrDefault(Failure.QUEUE_TIMEOUT, 0L) + failed.getOrDefault(Failure.RUN_TIMEOUT, 0L);
    }

    /** {@return the number of worker processes started since the pool started, for every cause} */
    public long totalSpawns() {
        return spawns.values().stream().mapToLong(Long::longValue).sum();
    }
}
