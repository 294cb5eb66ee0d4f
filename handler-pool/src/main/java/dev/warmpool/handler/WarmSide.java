package dev.warmpool.handler;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolListener;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.core.WarmPool;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm pool of a {@link HandlerPool}, and in {@code auto} mode the watch on it: a pool that could
 * not start is started again in the background, with the pool's restart backoff, until it does; a
 * pool left without a live worker while starts fail sends new events cold; a worker that starts
 * brings them back. Thread-safe.
 */
final class WarmSide implements PoolListener {
    private static final Logger LOG = LoggerFactory.getLogger(WarmSide.class);

    private final PoolConfig config;
    private final HandlerMode mode;
    private final ServingSwitch serving;
    private final Object lock = new Object();
    private volatile @Nullable WarmPool pool;
    private @Nullable Thread restarter; // guarded by lock
    private boolean closed; // guarded by lock
    private volatile boolean startsFailing;
    private volatile String lastStartFailure = "";

    WarmSide(PoolConfig config, HandlerMode mode, ServingSwitch serving) {
        this.config = config;
        this.mode = mode;
        this.serving = serving;
    }

    /**
     * Starts the pool and waits for its first workers.
     *
     * @throws WorkerStartException in {@code pool} mode, if not one worker could be started; in
     *     {@code auto} mode events are then served cold while the pool is started again in the background
     */
    void start() {
        try {
            install(WarmPool.start(config));
        } catch (WorkerStartException e) {
            if (mode != HandlerMode.AUTO) {
                throw e;
            }
            serving.toCold("the warm pool could not start: " + summary(e));
            Thread t = Thread.ofPlatform().daemon().name("warmpool-handler-restart").unstarted(this::restartUntilUp);
            synchronized (lock) {
                if (closed) {
                    return;
                }
                restarter = t;
            }
            t.start();
        }
    }

    /** @return the running pool; empty in {@code auto} mode while it could not be started yet */
    Optional<WarmPool> pool() {
        return Optional.ofNullable(pool);
    }

    private boolean install(WarmPool p) {
        synchronized (lock) {
            if (!closed) {
                p.addListener(this);
                pool = p;
                return true;
            }
        }
        p.shutdown(Duration.ZERO);
        return false;
    }

    private void restartUntilUp() {
        long delay = config.restartBackoff().toNanos();
        for (int attempt = 2; ; attempt++) {
            long sleep = (long) (delay * (0.5 + ThreadLocalRandom.current().nextDouble()));
            try {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
            }
            try {
                if (install(WarmPool.start(config))) {
                    serving.toWarm("the warm pool started at attempt " + attempt);
                }
                return;
            } catch (WorkerStartException e) {
                LOG.info("the warm pool could not start (attempt {}); next attempt in about {} ms: {}", attempt,
                        TimeUnit.NANOSECONDS.toMillis(Math.min(delay * 2, config.maxRestartBackoff().toNanos())),
                        summary(e));
            } catch (WorkerPoolException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // shutting down
                }
                LOG.warn("the warm pool could not start (attempt {}): {}", attempt, summary(e));
            }
            delay = Math.min(delay * 2, config.maxRestartBackoff().toNanos());
        }
    }

    /**
     * Runs on the pool's threads, which must not be called back: notes whether starts are failing,
     * and flips the switch back to warm when a worker is ready.
     */
    @Override
    public void onEvent(PoolEvent event) {
        switch (event.type()) {
            case WORKER_START_FAILED, POOL_UNHEALTHY -> {
                lastStartFailure = oneLine(event.detail());
                startsFailing = true;
            }
            case WORKER_READY, POOL_RECOVERED -> {
                startsFailing = false;
                serving.toWarm("worker " + event.workerId() + " started");
            }
            default -> {
                // other events change nothing about how events are served
            }
        }
    }

    /**
     * In {@code auto} mode, sends new events cold if the pool has no live worker while its starts
     * fail: they would only wait in its queue. Cheap unless starts are failing.
     */
    void checkWorkersUp() {
        WarmPool p = pool;
        if (startsFailing && p != null) {
            PoolMetrics m = p.metrics();
            if (m.idle() + m.busy() == 0) {
                serving.toCold("no warm worker is up and its starts fail: " + lastStartFailure);
            }
        }
    }

    /**
     * Stops restarting, and shuts the pool down (in-flight events get {@code grace} to finish).
     *
     * @return whether every warm event finished within the grace
     */
    boolean shutdown(Duration grace) {
        Thread t;
        synchronized (lock) {
            closed = true;
            t = restarter;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(config.startTimeout().toMillis() + config.stopGrace().toMillis() * 3 + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        WarmPool p = pool;
        return p == null || p.shutdown(grace);
    }

    /** The first line of {@code t}'s message, and the last line of the stderr it carries, on one line. */
    static String summary(Throwable t) {
        String m = oneLine(String.valueOf(t.getMessage()));
        if (t instanceof WorkerStartException e && !e.stderrTail().isEmpty()) {
            m += "; its last stderr line: " + e.stderrTail().get(e.stderrTail().size() - 1);
        }
        return m;
    }

    /** The first line of a pool message, without the heading of the stderr lines that followed it. */
    static String oneLine(String message) {
        int nl = message.indexOf('\n');
        String m = nl < 0 ? message : message.substring(0, nl);
        String heading = "; last stderr lines:";
        while (m.endsWith(heading)) {
            // the pool's message repeats the heading when it wraps a worker's start failure
            m = m.substring(0, m.length() - heading.length());
        }
        return m;
    }
}
