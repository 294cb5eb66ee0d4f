package dev.warmpool.api.spi;

import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerPool;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One warm worker as a transport sees it: a process (or, for {@code oneshot}, a recipe for one)
 * that answers calls.
 *
 * <p>The pool never gives a worker a second call before the first one's future has completed, so
 * an implementation may assume one call at a time. All methods are thread-safe and non-blocking
 * unless they say otherwise.
 */
public interface Worker {
    /** @return the pool-assigned id, e.g. {@code "w-3"}, used in logs and errors */
    String id();

    /** @return the operating-system process id, if this worker is one long-lived process */
    OptionalLong pid();

    /**
     * Sends one call.
     *
     * @param call what to send
     * @param <T> the result type
     * @return completes with the result ({@code null} for a null result), or fails with
     *     {@link WorkerErrorException} (the worker answered with an error; the worker stays usable),
     *     {@link WorkerCrashedException} (the process died or closed its stdout) or
     *     {@link ProtocolException} (the worker broke the wire contract; it is no longer
     *     {@linkplain #isUsable() usable})
     */
    <T> CompletableFuture<@Nullable T> call(Call<T> call);

    /**
     * Waits until {@code call}, a future this worker returned from {@link #call}, has completed,
     * reading the worker's output on the calling thread if the transport can. A transport whose
     * answers are otherwise read by a thread of its own saves a thread hand-off per request this way:
     * the answer wakes the waiting thread directly. The pool calls this from
     * {@link CompletableFuture#join()} on the future {@link WorkerPool#submit} returned, on a platform
     * thread only; the caller waits on the future as usual afterwards.
     *
     * <p>Blocks, unlike the other methods, and is not interruptible. It may return before the call
     * completed, at once when this transport cannot read on the caller's thread (the default) or
     * when another thread is reading. It may also return later than the call completed when the
     * call ended another way (a deadline, the process's exit): a thread blocked reading returns when
     * the worker writes or its output ends, which the pool brings about by cancelling the call and
     * killing the worker after its cancel grace.
     *
     * @param call the future of the call in flight
     */
    default void readUntilDone(CompletableFuture<?> call) {
        // read by the transport's own thread
    }

    /**
     * Asks the worker to stop working on its current call. The call's future still completes: with
     * the worker's answer (often a {@link WorkerErrorException.Kind#REQUEST_CANCELLED} error), or by
     * the pool killing the worker if it does not answer within the cancel grace.
     *
     * @return {@code false} if this transport cannot ask for cancellation (the pool then kills the worker)
     */
    boolean cancel();

    /**
     * Checks the worker answers. Only called while no call is in flight.
     *
     * @return completes when the worker answered; fails if it did not or if it is gone
     */
    CompletableFuture<Void> ping();

    /**
     * @return {@code false} once the worker is known to be broken (exited, closed its stdout, broke
     *     the protocol); the pool then replaces it
     */
    boolean isUsable();

    /** @return completes with the process's exit status when the worker is gone */
    CompletableFuture<Integer> onExit();

    /**
     * Stops the worker politely: closes its stdin, waits up to {@code grace}, then sends SIGTERM,
     * waits up to {@code grace} again, then sends SIGKILL — to the worker and all its descendants.
     *
     * @param grace how long to wait at each step
     * @return completes with the exit status when the worker and its descendants are gone
     */
    CompletableFuture<Integer> stop(Duration grace);

    /** Kills the worker and all its descendants at once (SIGKILL). */
    void kill();

    /** @return the last lines the worker wrote to stderr, oldest first */
    List<String> stderrTail();
}
