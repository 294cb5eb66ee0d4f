package dev.warmpool.transport.stdio;

import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.WorkerSpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The two pipes and the life of one worker, as a {@link ProcessWorker} needs them: what it writes
 * to (the worker's stdin), what it reads from (its stdout), its exit, its stderr tail, and the means
 * to stop or kill it.
 *
 * <p>Two implementations: {@link #start(WorkerSpec)} / {@link #of(WorkerProcess)} over a real
 * {@link WorkerProcess}, and {@link InMemoryChannel}, a pair of in-memory pipes whose other ends a
 * test (or a worker served inside this JVM) reads and writes, so a transport's protocol logic can
 * be tested without starting a process.
 *
 * <p>Implementations are thread-safe. {@link #stdin()} is written by one thread at a time (a
 * {@link ProcessWorker} makes sure of it) and may block while the worker does not read;
 * {@link #stdout()} is read by one thread. No other method blocks, except
 * {@link #awaitStderrClosed(Duration)} for at most its timeout.
 */
public interface WorkerChannel {
    /** {@return the worker id from the spec, e.g. {@code "w-1"}} */
    String id();

    /** {@return the operating-system process id, if the channel leads to a process} */
    OptionalLong pid();

    /** {@return the worker's stdin; writers flush after each frame. Closed by {@link #stop(Duration)}} */
    OutputStream stdin();

    /** {@return the worker's stdout, read by one thread} */
    InputStream stdout();

    /**
     * Tells when the worker has exited, and with which status.
     *
     * @return completes with the exit status when the worker has exited (128 + n when killed by
     *     signal n); a copy: completing it does not affect the worker
     */
    CompletableFuture<Integer> onExit();

    /** {@return whether the worker is still running} */
    boolean isAlive();

    /** {@return the last lines the worker wrote to stderr, oldest first} */
    List<String> stderrTail();

    /**
     * Waits until the worker's stderr has been read to its end, so {@link #stderrTail()} holds its
     * last words.
     *
     * @param timeout how long to wait at most
     * @return whether stderr ended within the time
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitStderrClosed(Duration timeout) throws InterruptedException;

    /**
     * Stops the worker politely, without blocking the caller: closes its stdin, waits up to
     * {@code grace}, terminates it, waits up to {@code grace} again, then kills it. Idempotent.
     *
     * @param grace how long each step waits
     * @return completes with the exit status once the worker (and what it started) is gone
     */
    CompletableFuture<Integer> stop(Duration grace);

    /** Kills the worker (and what it started) at once. Idempotent; never blocks on a write in progress. */
    void kill();

    /**
     * Starts a process for {@code spec} ({@link WorkerProcess#start(WorkerSpec)}) and returns the
     * channel to it.
     *
     * @param spec what to start
     * @return the channel
     * @throws WorkerStartException if the program cannot be started
     */
    static WorkerChannel start(WorkerSpec spec) {
        return of(WorkerProcess.start(spec));
    }

    /**
     * Wraps a started worker process as a channel, so a {@link ProcessWorker} can speak to it.
     *
     * @param process a started process
     * @return the channel over it
     */
    static WorkerChannel of(WorkerProcess process) {
        return new ProcessChannel(process);
    }
}
