package dev.warmpool.transport.stdio;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.spi.WorkerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-lived process spoken to one line at a time: the {@link LineTransport}'s worker.
 *
 * <p>One daemon thread reads stdout and completes each call's future with the next line; writing
 * happens on the caller's thread (or on a fresh daemon thread when the caller is the reader
 * thread itself, in a completion callback, so the reader never blocks on a full stdin pipe).
 */
final class LineWorker implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(LineWorker.class);
    /** How long to wait for the exit status after stdout reached end-of-file. */
    private static final long EXIT_WAIT_MILLIS = 1000;
    /** How long a call may still be answered from the pipe after the process exited. */
    private static final long AFTER_EXIT_MILLIS = 200;
    /** How long to wait for the last stderr lines before building an error. */
    private static final Duration STDERR_WAIT = Duration.ofMillis(200);
    private static final int NO_EXIT = Integer.MIN_VALUE;

    /** Why the worker is no longer usable. */
    private record Failure(boolean protocol, String detail, int exitCode) {
    }

    private record Pending<T>(Call<T> call, CompletableFuture<T> future) {
        void answer(String line) {
            future.complete(call.resultType().cast(line));
        }
    }

    private final WorkerProcess process;
    private final String id;
    private final boolean strict;
    private final int maxFrameBytes;
    private final String readyLine;
    private final FrameWriter writer;
    private final FrameReader reader;
    private final Thread readerThread;
    private final AtomicReference<Pending<?>> pending = new AtomicReference<>();
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private final AtomicLong skipped = new AtomicLong();
    /** Completes when the ready line arrived (or at once without one); fails with the reason it never will. */
    final CompletableFuture<Void> ready = new CompletableFuture<>();

    LineWorker(WorkerProcess process, WorkerSpec spec, String readyLine) {
        this.process = process;
        this.id = spec.id();
        this.strict = spec.strictOutput();
        this.maxFrameBytes = spec.maxFrameBytes();
        this.readyLine = readyLine;
        this.writer = Framing.NEWLINE.writer(process.stdin(), spec.maxFrameBytes());
        this.reader = new NewlineFrameReader(process.stdout(), spec.maxFrameBytes(), false);
        this.readerThread = new Thread(this::readLoop, "warmpool-line-" + id);
        this.readerThread.setDaemon(true);
        if (readyLine == null) {
            ready.complete(null);
        }
    }

    /** Starts the reader thread and the exit watcher. */
    void start() {
        readerThread.start();
        process.onExit().thenRun(this::onProcessExit);
    }

    /** @return how many lines arrived while no call was running and were skipped */
    long skippedLines() {
        return skipped.get();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public <T> CompletableFuture<T> call(Call<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Failure fl = failure.get();
        if (fl != null) {
            f.completeExceptionally(unusable(fl));
            return f;
        }
        byte[] line;
        try {
            line = Lines.encode(id, call, maxFrameBytes);
        } catch (ProtocolException e) {
            f.completeExceptionally(e);
            return f;
        }
        Pending<T> p = new Pending<>(call, f);
        if (!pending.compareAndSet(null, p)) {
            f.completeExceptionally(new IllegalStateException("worker " + id
                    + " is already running a call; the pool gives a worker one call at a time"));
            return f;
        }
        // the reader may have hit end-of-file just before the call was registered: it then no
        // longer looks at the pending call, so this thread must fail it
        Failure late = failure.get();
        if (late != null) {
            if (pending.compareAndSet(p, null)) {
                f.completeExceptionally(unusable(late));
            }
            return f;
        }
        if (Thread.currentThread() == readerThread) {
            Thread.ofPlatform().daemon().name("warmpool-line-write-" + id).start(() -> send(p, line));
        } else {
            send(p, line);
        }
        return f;
    }

    private void send(Pending<?> p, byte[] line) {
        try {
            writer.write(line);
        } catch (FrameTooLargeException e) {
            // nothing was written: the worker is fine, the request was too large
            if (pending.compareAndSet(p, null)) {
                p.future().completeExceptionally(new ProtocolException("the request line of " + e.size()
                        + " bytes exceeds the limit of " + e.limit() + " bytes (maxFrameBytes) (worker " + id
                        + "; nothing was sent)", e));
            }
        } catch (IOException e) {
            LOG.debug("worker {}: writing to its stdin failed: {}", id, e.toString());
            Thread.ofVirtual().name("warmpool-line-fail-" + id).start(() -> {
                int code = exitStatus(EXIT_WAIT_MILLIS);
                boolean exited = code != NO_EXIT;
                markFailed(new Failure(false, exited ? "exited" : "closed its stdin", code));
                failPending(p, exited ? "exited while running a request"
                        : "closed its stdin while a request was sent (" + e.getMessage() + ")", code);
            });
        }
    }

    private void readLoop() {
        try {
            while (true) {
                byte[] frame;
                try {
                    frame = reader.read();
                } catch (FrameTooLargeException e) {
                    onProtocolError("sent a line of at least " + e.size() + " bytes, above the limit of "
                            + e.limit() + " bytes (maxFrameBytes)", e);
                    continue;
                }
                if (frame == null) {
                    onEndOfStdout("");
                    return;
                }
                onLine(new String(frame, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            onEndOfStdout(e instanceof TruncatedFrameException ? " (its last line was cut off)" : " (" + e + ")");
        } catch (RuntimeException | Error e) {
            LOG.error("worker {}: the stdout reader failed", id, e);
            onProtocolError("could not be read: " + e, e);
        }
    }

    private void onLine(String line) {
        if (!ready.isDone()) {
            if (line.equals(readyLine)) {
                ready.complete(null);
            } else if (strict) {
                ProtocolException e = new ProtocolException("worker " + id + " printed '" + shorten(line)
                        + "' before its ready line '" + readyLine + "' (strictOutput)");
                markFailed(new Failure(true, e.getMessage(), NO_EXIT));
                ready.completeExceptionally(e);
            } else {
                LOG.debug("worker {}: skipped a line before its ready line: {}", id, shorten(line));
            }
            return;
        }
        Pending<?> p = pending.getAndSet(null);
        if (p != null) {
            p.answer(line);
            return;
        }
        if (failure.get() != null) {
            return;
        }
        if (strict) {
            onProtocolError("printed a line while no request was running: '" + shorten(line) + "' (strictOutput)", null);
        } else {
            skipped.incrementAndGet();
            LOG.warn("worker {} printed a line while no request was running; skipped: {}", id, shorten(line));
        }
    }

    private void onProtocolError(String detail, Throwable cause) {
        String message = "worker " + id + " " + detail;
        markFailed(new Failure(true, message, NO_EXIT));
        ProtocolException e = new ProtocolException(message, cause);
        ready.completeExceptionally(e);
        Pending<?> p = pending.getAndSet(null);
        if (p != null) {
            p.future().completeExceptionally(e);
        }
    }

    /** stdout reached end-of-file: the worker exited, or closed its stdout and went on running. */
    private void onEndOfStdout(String note) {
        int code = exitStatus(EXIT_WAIT_MILLIS);
        String what = code == NO_EXIT ? "closed its stdout" + note : "exited" + note;
        markFailed(new Failure(false, what, code));
        if (!ready.isDone()) {
            awaitStderr();
            ready.completeExceptionally(new WorkerCrashedException(id, code == NO_EXIT ? -1 : code, what,
                    process.stderrTail()));
        }
        Pending<?> p = pending.get();
        if (p != null) {
            failPending(p, what + " while running a request", code);
        }
    }

    private void onProcessExit() {
        markFailed(new Failure(false, "exited", exitStatus(0)));
        if (pending.get() == null) {
            return;
        }
        // the answer may still be in the pipe; if a leftover child keeps stdout open, no end-of-file
        // will come, so fail the call after a short grace
        Thread.ofVirtual().name("warmpool-line-exit-" + id).start(() -> {
            try {
                Thread.sleep(AFTER_EXIT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Pending<?> p = pending.get();
            if (p != null) {
                failPending(p, "exited while running a request", exitStatus(0));
            }
        });
    }

    /** Fails {@code p} with a crash, if it is still the pending call; may block briefly for stderr. */
    private void failPending(Pending<?> p, String detail, int code) {
        awaitStderr();
        if (pending.compareAndSet(p, null)) {
            p.future().completeExceptionally(new WorkerCrashedException(id, code == NO_EXIT ? -1 : code, detail,
                    process.stderrTail()));
        }
    }

    private void awaitStderr() {
        process.awaitExit(Duration.ZERO, STDERR_WAIT);
    }

    private int exitStatus(long waitMillis) {
        return process.awaitExit(Duration.ofMillis(waitMillis), Duration.ZERO).orElse(NO_EXIT);
    }

    /** Records the first reason the worker is unusable; later reasons are dropped. */
    private void markFailed(Failure f) {
        failure.compareAndSet(null, f);
    }

    private WorkerPoolException unusable(Failure f) {
        if (f.protocol()) {
            return new ProtocolException(f.detail() + "; the worker is no longer usable");
        }
        int code = f.exitCode() != NO_EXIT ? f.exitCode() : exitStatus(0);
        return new WorkerCrashedException(id, code == NO_EXIT ? -1 : code,
                "had already " + f.detail() + " when the request was sent", process.stderrTail());
    }

    private static String shorten(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** Always {@code false}: a line-oriented program has no way to be asked to cancel. */
    @Override
    public boolean cancel() {
        return false;
    }

    @Override
    public CompletableFuture<Void> ping() {
        Failure f = failure.get();
        if (f == null && process.isAlive()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.failedFuture(unusable(f != null ? f : new Failure(false, "exited", exitStatus(0))));
    }

    @Override
    public boolean isUsable() {
        return failure.get() == null && process.isAlive();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return process.onExit();
    }

    @Override
    public CompletableFuture<Integer> stop(Duration grace) {
        markFailed(new Failure(false, "been stopped", NO_EXIT));
        return process.stop(grace);
    }

    @Override
    public void kill() {
        markFailed(new Failure(false, "been killed", NO_EXIT));
        process.kill();
    }

    @Override
    public List<String> stderrTail() {
        return process.stderrTail();
    }

    @Override
    public String toString() {
        return "LineWorker[" + id + ", pid " + process.pid() + (isUsable() ? "" : ", unusable") + "]";
    }
}
