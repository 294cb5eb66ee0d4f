package dev.warmpool.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.WorkerPool;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where one {@code warmpool run} is — starting the pool, serving, stopping — and the events the
 * main thread waits for: the end of the input and the first signal. Answers {@code /health}.
 *
 * <p>Thread-safe: the reader thread, the signal handler, the HTTP thread and the main thread share it.
 */
final class RunState {
    /** The stages of a run, in order (a run that cannot start its pool goes from STARTING to FAILED). */
    enum Stage {
        /** The pool is starting its first workers. */
        STARTING,
        /** Serving requests. */
        RUNNING,
        /** The pool could not start; every request is answered rejected. */
        FAILED,
        /** A signal came: no more input is read; the requests read finish or are answered rejected. */
        STOPPING
    }

    private volatile Stage stage = Stage.STARTING;
    private volatile WorkerPool pool;
    private String signal;
    private boolean inputDone;

    /** @param started the running pool */
    synchronized void running(WorkerPool started) {
        pool = started;
        if (stage == Stage.STARTING) {
            stage = Stage.RUNNING;
        }
    }

    /** The pool could not start. */
    synchronized void failed() {
        if (stage == Stage.STARTING) {
            stage = Stage.FAILED;
        }
    }

    /** @return the pool, once it has started */
    Optional<WorkerPool> pool() {
        return Optional.ofNullable(pool);
    }

    /** @return the stage */
    Stage stage() {
        return stage;
    }

    /** The reader has reached the end of the input (or could not read on). */
    synchronized void inputDone() {
        inputDone = true;
        notifyAll();
    }

    /**
     * Records the first signal; later ones are the caller's to handle (they stop the run at once).
     *
     * @param name the signal, {@code INT} or {@code TERM}
     */
    synchronized void signalled(String name) {
        if (signal == null) {
            signal = name;
            stage = Stage.STOPPING;
            notifyAll();
        }
    }

    /** @return the first signal's name, once one came */
    synchronized Optional<String> signal() {
        return Optional.ofNullable(signal);
    }

    /** @return whether a signal asked the run to stop */
    boolean stopping() {
        return stage == Stage.STOPPING;
    }

    /**
     * Waits for the end of the input or a signal, whichever comes first.
     *
     * @param nanos the longest wait
     * @return whether either came
     * @throws InterruptedException if interrupted
     */
    synchronized boolean awaitInputDoneOrSignal(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (!inputDone && signal == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * What {@code /health} answers: 200 while the pool is running with at least one live worker
     * (idle or busy), with the workers by state and the ready or busy ones by host ({@code "hosts":
     * {"local":2}}); 503 while it starts, when it could not start, when no worker is alive (all
     * are being restarted), and from the first signal on (so a load balancer stops sending work).
     *
     * @return the health and its JSON body
     */
    MetricsServer.Health health() {
        Stage s = stage;
        WorkerPool p = pool;
        if (s != Stage.RUNNING || p == null) {
            return new MetricsServer.Health(false, "{\"status\":\"" + s.name().toLowerCase(Locale.ROOT) + "\"}");
        }
        PoolMetrics m = p.metrics();
        boolean alive = m.idle() + m.busy() > 0;
        StringBuilder hosts = new StringBuilder();
        m.workersByHost().forEach((host, n) -> hosts.append(hosts.isEmpty() ? "" : ",").append('"')
                .append(JsonStringEncoder.getInstance().quoteAsString(host)).append("\":").append(n));
        return new MetricsServer.Health(alive, String.format(Locale.ROOT,
                "{\"status\":\"%s\",\"workers\":{\"idle\":%d,\"busy\":%d,\"starting\":%d},\"hosts\":{%s},\"queueDepth\":%d}",
                alive ? "up" : "no-live-worker", m.idle(), m.busy(), m.starting(), hosts, m.queueDepth()));
    }
}
