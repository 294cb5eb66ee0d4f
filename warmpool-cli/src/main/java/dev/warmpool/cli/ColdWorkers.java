package dev.warmpool.cli;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A new process for every request, through a transport but without a pool: what a program that
 * starts its handler per event pays. For {@code jsonrpc} each call starts the worker, does the
 * handshake, sends the request and stops the worker; for {@code oneshot} the transport itself starts
 * a process per call.
 *
 * <p>The latency of a call runs from before the process is started to the answer; stopping the
 * process afterwards is not part of it (the caller has its answer by then), but a call does not
 * return before its process is gone, so processes never pile up. Thread-safe: call it from as many
 * threads as the wanted concurrency.
 */
final class ColdWorkers {
    /**
     * How one call went.
     *
     * @param nanos from before the start to the answer
     * @param result the result, or {@code null}
     * @param error the failure, or {@code null}
     */
    record Outcome(long nanos, Object result, Throwable error) {
    }

    private final Transport transport;
    private final PoolConfig config;
    private final Map<String, String> environment;
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong processes = new AtomicLong();

    /**
     * @param transport starts the processes
     * @param config the command, environment, directory and limits to start them with
     */
    ColdWorkers(Transport transport, PoolConfig config) {
        this.transport = transport;
        this.config = config;
        this.environment = config.workerEnvironment(System.getenv());
    }

    /**
     * Starts a process, makes one call, stops the process. Blocks.
     *
     * @param method the method
     * @param params the params
     * @param resultType the result's type
     * @return how it went
     */
    Outcome call(String method, Object params, Class<?> resultType) {
        WorkerSpec spec = new WorkerSpec("cold-" + ids.incrementAndGet(), config.command(), environment,
                config.directory(), config.startTimeout(), config.maxFrameBytes(), config.strictOutput(),
                config.stderrTailLines(), config.transportSettings());
        long start = System.nanoTime();
        Worker worker;
        try {
            processes.incrementAndGet();
            worker = transport.start(spec);
        } catch (RuntimeException e) {
            return new Outcome(System.nanoTime() - start, null, e);
        }
        try {
            CompletableFuture<?> f;
            try {
                f = worker.call(new Call<>(method, params, resultType, NotificationListener.NONE));
            } catch (RuntimeException e) {
                return new Outcome(System.nanoTime() - start, null, e);
            }
            Duration limit = config.requestTimeout();
            try {
                Object result = f.get(limit.toNanos(), TimeUnit.NANOSECONDS);
                return new Outcome(System.nanoTime() - start, result, null);
            } catch (ExecutionException e) {
                return new Outcome(System.nanoTime() - start, null, e.getCause());
            } catch (TimeoutException e) {
                long ran = System.nanoTime() - start;
                return new Outcome(ran, null, new RequestTimeoutException(RequestTimeoutException.Phase.RUN, limit,
                        Duration.ZERO, Duration.ofNanos(ran)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(System.nanoTime() - start, null, e);
            }
        } finally {
            stop(worker);
        }
    }

    private void stop(Worker worker) {
        Duration grace = config.stopGrace();
        try {
            worker.stop(grace).get(grace.toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.kill();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            worker.kill();
        }
    }

    /** @return how many processes were started (or attempted) so far */
    long processesStarted() {
        return processes.get();
    }
}
