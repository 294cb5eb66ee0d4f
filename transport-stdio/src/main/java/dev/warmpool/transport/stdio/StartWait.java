package dev.warmpool.transport.stdio;

import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.WorkerSpec;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The one readiness wait of {@link ProcessWorker#awaitReady}: turns every way a start can fail
 * into one {@link WorkerStartException} that says what happened, the command line and the
 * directory once, and carries the stderr tail once. The worker is killed first.
 */
final class StartWait {
    private final WorkerSpec spec;
    private final WorkerChannel channel;
    private final FailureRecord record;

    StartWait(WorkerSpec spec, WorkerChannel channel, FailureRecord record) {
        this.spec = spec;
        this.channel = channel;
        this.record = record;
    }

    /**
     * @param ready completes when the worker is ready
     * @param readiness the words for what is waited for
     * @param startedNanos when the start began ({@link System#nanoTime()}); the start timeout counts from it
     * @throws WorkerStartException if it did not become ready
     */
    void await(CompletableFuture<?> ready, ProcessWorker.Readiness readiness, long startedNanos) {
        Duration timeout = spec.startTimeout();
        long left = timeout.toNanos() - (System.nanoTime() - startedNanos);
        try {
            ready.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw failed("did not " + readiness.waitFor() + " within " + Settings.format(timeout) + " (startTimeout)",
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("did not " + readiness.waitFor() + " before the starting thread was interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof WorkerCrashedException) {
                throw failed(ended() + " before it " + readiness.reached(), c);
            }
            if (c instanceof WorkerPoolException) {
                // a violation or an answer the transport refused: its message starts with "worker ID"
                kill();
                throw new WorkerStartException(Exits.startMessage(spec, c.getMessage()), channel.stderrTail(), c);
            }
            throw failed("failed before it " + readiness.reached() + ": " + c, c);
        }
        if (!channel.isAlive()) {
            // reaped: the exit status is at most one asynchronous step away
            OptionalInt status = record.awaitExitStatus();
            record.awaitStderr();
            throw failed((status.isPresent() ? Exits.describe(status.getAsInt()) : "exited") + " right after it "
                    + readiness.reached(), null);
        }
    }

    /**
     * @return how the worker ended, from the recorded end if it has run, else from the first failure:
     *     the handshake may have been refused before it was sent, because the worker had exited,
     *     while the reader thread was still working out the end; its last stderr lines are waited for
     *     then, as the end would have
     */
    private String ended() {
        WorkerFailure end = record.end();
        if (end != null) {
            return end.how();
        }
        WorkerFailure first = record.first();
        if (first == null) {
            return "closed its stdout";
        }
        if (first.exitStatus().isPresent()) {
            record.awaitStderr();
        }
        return first.how();
    }

    private WorkerStartException failed(String what, @Nullable Throwable cause) {
        kill();
        return Exits.startFailure(spec, what, channel.stderrTail(), cause);
    }

    private void kill() {
        record.mark(WorkerFailure.stopped(spec.id(), "killed"));
        channel.kill();
    }
}
