package dev.warmpool.transport.stdio;

import dev.warmpool.api.WorkerPoolException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ProcessWorker}'s fate: the first reason it is unusable (set once, whoever comes first:
 * a violation, a stop, a kill, the exit, the end) and its one end (the crash that fails what is in
 * flight, worked out once, with the exit status and the complete stderr tail).
 *
 * <p>Thread-safe. Only {@link #end} blocks, for at most {@link ProcessWorker#EXIT_WAIT} plus
 * {@link ProcessWorker#STDERR_WAIT}, and the two waits it is made of, {@link #awaitExitStatus()} and
 * {@link #awaitStderr()}, each for at most its own.
 */
final class FailureRecord {
    private final String id;
    private final WorkerChannel channel;
    private final AtomicReference<@Nullable WorkerFailure> first = new AtomicReference<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile @Nullable WorkerFailure end;

    FailureRecord(String id, WorkerChannel channel) {
        this.id = id;
        this.channel = channel;
    }

    /** Records {@code f} unless a failure was recorded before. @return whether it was the first */
    boolean mark(WorkerFailure f) {
        return first.compareAndSet(null, f);
    }

    /** @return the first failure, or {@code null} while there is none */
    @Nullable WorkerFailure first() {
        return first.get();
    }

    /** @return whether nothing is recorded, the end has not run and the worker is alive */
    boolean isUsable() {
        return first.get() == null && !ended.get() && channel.isAlive();
    }

    /** @return whether the first failure is a protocol violation, after which output is dropped */
    boolean isBroken() {
        WorkerFailure f = first.get();
        return f != null && f.kind() == WorkerFailure.Kind.PROTOCOL;
    }

    /** @return the crash the end recorded, or {@code null} before it ran */
    @Nullable WorkerFailure end() {
        return end;
    }

    /** @return whether the end has run (or is running) */
    boolean hasEnded() {
        return ended.get();
    }

    /**
     * @param what what was to be sent, e.g. {@code "request 4"}
     * @return empty while the worker is usable, else the exception for something not sent
     */
    Optional<WorkerPoolException> refusal(String what) {
        WorkerFailure f = first.get();
        if (f == null) {
            // Decided on the exit status, not on isAlive(): the JDK reaps the process (isAlive() turns
            // false) one asynchronous step before onExit() completes, and a crash recorded in between
            // had no exit status, so a start failure read "closed its stdout" instead of "exited with
            // code 3". Until the status is known the worker counts as usable: what is sent then fails
            // through the end, which waits for the status.
            OptionalInt status = exitStatusNow();
            if (status.isEmpty()) {
                return Optional.empty();
            }
            // it exited, and the exit watcher has not run yet
            mark(WorkerFailure.crashed(id, "exited", "", status, List.of()));
            f = Objects.requireNonNull(first.get(), "the failure just marked"); // this one, or one marked first
        }
        return Optional.of(f.notSent(what, exitStatusNow(), channel.stderrTail()));
    }

    /**
     * Works out the crash, once: waits for the exit status and, if the worker exited, for the rest
     * of its stderr, then records it.
     *
     * @param ifRunning what happened if the process is still running, e.g. "closed its stdout"
     * @param note added after the activity, or ""
     * @return the crash; empty if the end had run before
     */
    Optional<WorkerFailure> end(String ifRunning, String note) {
        if (!ended.compareAndSet(false, true)) {
            return Optional.empty();
        }
        OptionalInt status = awaitExitStatus(ProcessWorker.EXIT_WAIT);
        if (status.isPresent()) {
            awaitStderr();
        }
        WorkerFailure f = WorkerFailure.crashed(id, status.isPresent() ? "exited" : ifRunning, note, status,
                channel.stderrTail());
        end = f;
        mark(f);
        return Optional.of(f);
    }

    /** Waits up to {@link ProcessWorker#STDERR_WAIT} for the rest of stderr. */
    void awaitStderr() {
        try {
            channel.awaitStderrClosed(ProcessWorker.STDERR_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits up to {@link ProcessWorker#EXIT_WAIT} for the exit status.
     *
     * @return the exit status; empty if the worker did not exit within the wait
     */
    OptionalInt awaitExitStatus() {
        return awaitExitStatus(ProcessWorker.EXIT_WAIT);
    }

    /** @return the exit status, if the worker has exited */
    OptionalInt exitStatusNow() {
        CompletableFuture<Integer> exit = channel.onExit();
        return exit.isDone() && !exit.isCompletedExceptionally() ? OptionalInt.of(exit.join()) : OptionalInt.empty();
    }

    private OptionalInt awaitExitStatus(Duration wait) {
        try {
            return OptionalInt.of(channel.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return exitStatusNow();
        }
    }
}
