package dev.warmpool.api.spi;

import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
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
 * an implementation may assume one call at a time. All methods are thread-safe.
 *
 * <p><b>Blocking.</b> {@link #id()}, {@link #pid()}, {@link #isUsable()}, {@link #onExit()} and
 * {@link #stderrTail()} must return at once. {@link #call} and {@link #ping()} may write their
 * request on the calling thread and so block while the worker's input pipe is full; they must not
 * wait for the answer. {@link #cancel()}, {@link #stop} and {@link #kill()} should not block, but
 * the pool does not rely on it: it calls them (and {@code ping}) from threads of its own, never
 * while it holds its lock and never from the thread that enforces deadlines, so a transport stuck
 * in one of them delays nothing but that worker. Unless the pool has a
 * {@linkplain dev.warmpool.api.PoolConfig#callbackExecutor() callback executor}, its callers'
 * dependent stages run on the thread that completes the worker's future (a transport's reader
 * thread, say) and may submit the next request to this very worker: complete futures while
 * holding no lock that {@link #call} needs.
 */
public interface Worker {
    /** What {@link #host()} says for a worker on this machine: {@value}. */
    String LOCAL_HOST = "local";

    /** {@return the pool-assigned id, e.g. {@code "w-3"}, used in logs and errors} */
    String id();

    /**
     * Says where the worker runs, for health reports and metrics: {@value #LOCAL_HOST} for this machine
     * (every transport that starts local processes, and the default), or the host as the user configured
     * it, e.g. {@code "ssh://deploy@10.0.0.2"} or {@code "exec:docker exec -i box"} for the {@code hosts}
     * transport. Constant for the worker's life; never blank.
     *
     * @return the worker's host
     */
    default String host() {
        return LOCAL_HOST;
    }

    /** {@return the operating-system process id, if this worker is one long-lived process} */
    OptionalLong pid();

    /**
     * Sends one call.
     *
     * @param call what to send
     * @param <T> the result type
     * @return completes with the result ({@code null} for a null result), or fails with
     *     {@link WorkerErrorException} (the worker answered with an error; the worker stays usable),
     *     {@link WorkerCrashedException} (the process died or closed its stdout), {@link ProtocolException}
     *     (the worker broke the wire contract; it is no longer {@linkplain #isUsable() usable}) or
     *     {@link IllegalArgumentException} (the caller's mistake: params that cannot be sent, a result that
     *     does not convert to {@link Call#resultType()}; the worker stays usable)
     */
    <T> CompletableFuture<@Nullable T> call(Call<T> call);

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
     * Tells the pool whether this worker may take another call; cheap and non-blocking, asked before every call.
     *
     * @return {@code false} once the worker is known to be broken (exited, closed its stdout, broke
     *     the protocol); the pool then replaces it
     */
    boolean isUsable();

    /**
     * Whether {@link #call} never blocks, on whatever thread it is called (a transport that writes
     * only when the write cannot block, and otherwise queues it to a thread of its own). The pool
     * then sends a queued request from the thread that completed this worker's previous call,
     * instead of handing it to another thread: under load, one thread wake-up less per request.
     *
     * @return {@code false} unless a transport promises it
     */
    default boolean callNeverBlocks() {
        return false;
    }

    /** {@return a future that completes with the process's exit status when the worker is gone} */
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

    /** {@return the last lines the worker wrote to stderr, oldest first} */
    List<String> stderrTail();
}
