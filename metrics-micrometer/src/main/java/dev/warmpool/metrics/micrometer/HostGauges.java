package dev.warmpool.metrics.micrometer;

import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolListener;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.WorkerPool;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds the hosts a pool's workers run on, for the gauge {@value #NAME}: one gauge a host, registered
 * the first time a snapshot counts a worker there, and kept after (reading 0 while the host has no
 * worker ready or busy).
 *
 * <p>A host enters {@link PoolMetrics#workersByHost()} only when one of its workers becomes ready, and
 * the pool sends {@link PoolEvent.Type#WORKER_READY} after that worker is counted, so a snapshot taken
 * on that event (and one at binding, taken after this listener was added) sees every host. Other events
 * only change counts, which the gauges read at scrape time; so the cost is one snapshot per worker start,
 * none per request. The hosts are the pool's configured ones, so the gauges are few and bounded.
 *
 * <p>Holds the pool, which holds this listener: a cycle the garbage collector reclaims together; the
 * gauges themselves never reach this object. Thread-safe: workers become ready on several threads.
 */
final class HostGauges implements PoolListener {
    static final String NAME = "warmpool.host.workers";

    private final WorkerPool pool;
    private final Consumer<String> register;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /**
     * @param pool the pool whose snapshots name the hosts
     * @param register registers the gauge of one host; called once for each host
     */
    HostGauges(WorkerPool pool, Consumer<String> register) {
        this.pool = pool;
        this.register = register;
    }

    @Override
    public void onEvent(PoolEvent event) {
        if (event.type() == PoolEvent.Type.WORKER_READY) {
            discover(pool.metrics());
        }
    }

    /** Registers a gauge for each host of {@code snapshot} that has none yet. */
    void discover(PoolMetrics snapshot) {
        for (String host : snapshot.workersByHost().keySet()) {
            if (known.add(host)) {
                register.accept(host);
            }
        }
    }
}
