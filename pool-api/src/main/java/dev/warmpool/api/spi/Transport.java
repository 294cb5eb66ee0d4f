package dev.warmpool.api.spi;

import dev.warmpool.api.WorkerStartException;
/**
 * Starts workers and speaks a wire protocol to them: {@code jsonrpc}, {@code line},
 * {@code oneshot}, or a plugin's own. Found by name through
 * {@link dev.warmpool.api.spi.TransportProvider}, or passed to the pool as an instance.
 *
 * <p>Implementations are thread-safe: the pool starts several workers at once.
 */
public interface Transport {
    /** {@return the transport's name, e.g. {@code "jsonrpc"}} */
    String name();

    /**
     * Starts one worker and blocks until it is ready for its first request, or until
     * {@link WorkerSpec#startTimeout()} passes.
     *
     * <p>If the calling thread is interrupted while waiting, the half-started worker is killed
     * and {@link WorkerStartException} is thrown.
     *
     * @param spec what to start and how
     * @return a ready worker
     * @throws WorkerStartException if the program could not be started, exited, or did not become
     *     ready in time; the exception carries the worker's stderr tail
     */
    Worker start(WorkerSpec spec);
}
