package dev.warmpool.transport.stdio;

import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.WorkerSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The smallest protocol on {@link ProcessWorker}, for testing the base: newline framing, an
 * optional handshake (sends {@code HELLO}, ready at the line {@code READY}), one call at a time
 * whose params string is the frame and whose answer is the next line, {@code cancel()} sends
 * {@code CANCEL}.
 */
final class ScriptedWorker extends ProcessWorker {
    private final AtomicReference<CompletableFuture<String>> pending = new AtomicReference<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** The threads {@link #onFrame} ran on. */
    final List<String> frameThreads = new CopyOnWriteArrayList<>();

    ScriptedWorker(WorkerChannel channel, WorkerSpec spec) {
        super("scripted", channel, spec, Framing.NEWLINE);
    }

    /** Starts reading and, with {@code hello}, sends HELLO and waits for READY. */
    ScriptedWorker open(boolean hello) {
        startReading();
        if (hello) {
            send("HELLO".getBytes(StandardCharsets.UTF_8));
        } else {
            ready.complete(null);
        }
        awaitReady(ready, Readiness.BECOME_READY);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> call(Call<T> call) {
        Optional<WorkerPoolException> refused = refusal("the request");
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(refused.get());
        }
        CompletableFuture<String> f = new CompletableFuture<>();
        pending.set(f);
        Optional<WorkerPoolException> late = refusal("the request");
        if (late.isPresent() && pending.compareAndSet(f, null)) {
            f.completeExceptionally(late.get());
        } else {
            send(((String) call.params()).getBytes(StandardCharsets.UTF_8));
        }
        return (CompletableFuture<T>) f;
    }

    @Override
    protected void onFrame(byte[] frame) {
        frameThreads.add(Thread.currentThread().getName());
        String line = new String(frame, StandardCharsets.UTF_8);
        if (!ready.isDone()) {
            if (line.equals("READY")) {
                ready.complete(null);
            } else {
                protocolViolation("said '" + line + "' instead of READY", null);
            }
            return;
        }
        CompletableFuture<String> f = pending.getAndSet(null);
        if (f == null) {
            protocolViolation("printed '" + line + "' while no request was running", null);
        } else {
            f.complete(line);
        }
    }

    @Override
    protected boolean hasInFlight() {
        return !ready.isDone() || pending.get() != null;
    }

    @Override
    protected void failInFlight(WorkerFailure failure) {
        ready.completeExceptionally(failure.during("starting")); // no effect once ready
        Optional.ofNullable(pending.getAndSet(null))
                .ifPresent(f -> f.completeExceptionally(failure.during("running a request")));
    }

    @Override
    public boolean cancel() {
        send("CANCEL".getBytes(StandardCharsets.UTF_8));
        return true;
    }

    @Override
    public CompletableFuture<Void> ping() {
        Optional<WorkerPoolException> refused = refusal("the health check");
        return refused.isPresent() ? CompletableFuture.failedFuture(refused.get())
                : CompletableFuture.completedFuture(null);
    }
}
