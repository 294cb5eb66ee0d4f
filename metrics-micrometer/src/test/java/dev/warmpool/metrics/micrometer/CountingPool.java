package dev.warmpool.metrics.micrometer;

import dev.warmpool.api.HealthReport;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolListener;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.Request;
import dev.warmpool.api.RequestObserver;
import dev.warmpool.api.WorkerPool;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A real pool that counts the snapshots taken of it. */
final class CountingPool implements WorkerPool {
    private final WorkerPool pool;
    private final AtomicInteger snapshots;

    CountingPool(WorkerPool pool, AtomicInteger snapshots) {
        this.pool = pool;
        this.snapshots = snapshots;
    }

    @Override
    public PoolMetrics metrics() {
        snapshots.incrementAndGet();
        return pool.metrics();
    }

    @Override
    public <T> CompletableFuture<T> submit(Request<T> request) {
        return pool.submit(request);
    }

    @Override
    public void scale(int size) {
        pool.scale(size);
    }

    @Override
    public HealthReport healthCheck() {
        return pool.healthCheck();
    }

    @Override
    public void addListener(PoolListener listener) {
        pool.addListener(listener);
    }

    @Override
    public boolean removeListener(PoolListener listener) {
        return pool.removeListener(listener);
    }

    @Override
    public void addNotificationListener(NotificationListener listener) {
        pool.addNotificationListener(listener);
    }

    @Override
    public boolean removeNotificationListener(NotificationListener listener) {
        return pool.removeNotificationListener(listener);
    }

    @Override
    public void addRequestObserver(RequestObserver observer) {
        pool.addRequestObserver(observer);
    }

    @Override
    public boolean removeRequestObserver(RequestObserver observer) {
        return pool.removeRequestObserver(observer);
    }

    @Override
    public PoolConfig config() {
        return pool.config();
    }

    @Override
    public boolean shutdown(Duration grace) {
        return pool.shutdown(grace);
    }

    @Override
    public void close() {
        pool.close();
    }
}
