package dev.warmpool.transport.stdio;

import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.WorkerSpec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-lived process spoken to one line at a time: the {@link LineTransport}'s worker. The
 * process plumbing is {@link ProcessWorker}'s; this class holds the one request in flight, the
 * ready line, and the one-line-per-line contract (see {@code docs/line-transport.md}).
 */
final class LineWorker extends ProcessWorker {
    private static final Logger LOG = LoggerFactory.getLogger(LineWorker.class);
    /** Names the contract in every message about breaking it. */
    static final String CONTRACT = "broke the line transport's contract of exactly one answer line per request line";

    /**
     * @param number the number of the request's frame (see {@link ProcessWorker#receivedBefore})
     */
    private record Pending<T>(Call<T> call, CompletableFuture<@Nullable T> future, long number) {
        void answer(String line) {
            future.complete(call.resultType().cast(line));
        }
    }

    private final @Nullable String readyLine;
    private final boolean strict;
    private final AtomicReference<@Nullable Pending<?>> pending = new AtomicReference<>();
    private final AtomicLong skipped = new AtomicLong();
    /** Completes when the ready line arrived (or at once without one); fails with the reason it never will. */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    /** @param readyLine the line that says the worker is ready, or {@code null} for none */
    LineWorker(WorkerChannel channel, WorkerSpec spec, @Nullable String readyLine) {
        super(LineTransport.NAME, channel, spec, Framing.NEWLINE, true);
        this.readyLine = readyLine;
        this.strict = spec.strictOutput();
        if (readyLine == null) {
            ready.complete(null);
        }
    }

    /**
     * Starts reading and waits for the ready line, if there is one.
     *
     * @throws dev.warmpool.api.WorkerStartException if the worker exits, breaks the protocol or
     *     does not print its ready line within the start timeout; it is killed then
     */
    void open() {
        startReading();
        awaitReady(ready, readyLine == null ? new Readiness("start", "started")
                : new Readiness("print its ready line '" + readyLine + "'", "printed its ready line '" + readyLine + "'"));
    }

    /** @return how many lines arrived before the first request and were skipped */
    long skippedLines() {
        return skipped.get();
    }

    @Override
    public <T> CompletableFuture<@Nullable T> call(Call<T> call) {
        CompletableFuture<@Nullable T> f = new CompletableFuture<>();
        if (refuse(f, "the request")) {
            return f;
        }
        byte[] line;
        try {
            line = Lines.encode(id(), call, spec().maxFrameBytes());
        } catch (IllegalArgumentException e) {
            f.completeExceptionally(e);
            return f;
        }
        Pending<T> p = new Pending<>(call, f, framesSent() + 1);
        if (!pending.compareAndSet(null, p)) {
            f.completeExceptionally(new IllegalStateException("worker " + id()
                    + " is already running a call; the pool gives a worker one call at a time"));
            return f;
        }
        // the worker may have ended just before the call was registered: failInFlight then did not see it
        Optional<WorkerPoolException> late = refusal("the request");
        if (late.isPresent()) {
            if (pending.compareAndSet(p, null)) {
                f.completeExceptionally(late.get());
            }
            return f;
        }
        send(line);
        return f;
    }

    @Override
    protected void onFrame(byte[] frame) {
        String line = new String(frame, StandardCharsets.UTF_8);
        if (!ready.isDone()) {
            if (line.equals(readyLine)) {
                ready.complete(null);
            } else if (strict) {
                protocolViolation("printed '" + shorten(line) + "' before its ready line '" + readyLine
                        + "' (strictOutput)", null);
            } else {
                LOG.debug("worker {}: skipped a line before its ready line: {}", id(), shorten(line));
            }
            return;
        }
        Pending<?> p = pending.get();
        if (receivedBefore(1)) {
            // printed before the first request was sent: a banner, not an answer
            if (strict) {
                protocolViolation("printed '" + shorten(line) + "' before its first request (strictOutput)", null);
            } else {
                skipped.incrementAndGet();
                LOG.warn("worker {} printed a line before its first request; skipped: {}", id(), shorten(line));
            }
            return;
        }
        if (p == null) {
            protocolViolation(CONTRACT + ": it printed '" + shorten(line) + "' while no request was running", null);
        } else if (receivedBefore(p.number())) {
            protocolViolation(CONTRACT + ": it printed '" + shorten(line) + "' before the request's line was sent "
                    + "(a second answer to an earlier request, or output of its own)", null);
        } else if (pending.compareAndSet(p, null)) {
            p.answer(line);
        }
    }

    @Override
    protected boolean hasInFlight() {
        return pending.get() != null || !ready.isDone();
    }

    @Override
    protected void failInFlight(WorkerFailure failure) {
        if (!ready.isDone()) {
            ready.completeExceptionally(failure.during("starting"));
        }
        Pending<?> p = pending.getAndSet(null);
        if (p != null) {
            p.future().completeExceptionally(failure.during("running a request"));
        }
    }

    private static String shorten(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** Always {@code false}: a line-oriented program has no way to be asked to cancel. */
    @Override
    public boolean cancel() {
        return false;
    }

    /** Succeeds while the worker is usable: a line-oriented program has no way to be asked. */
    @Override
    public CompletableFuture<Void> ping() {
        Optional<WorkerPoolException> refused = refusal("the health check");
        return refused.isPresent() ? CompletableFuture.failedFuture(refused.get())
                : CompletableFuture.completedFuture(null);
    }
}
