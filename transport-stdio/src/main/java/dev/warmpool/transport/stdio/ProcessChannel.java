package dev.warmpool.transport.stdio;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** A {@link WorkerChannel} over a real {@link WorkerProcess}: every method is the process's own. */
final class ProcessChannel implements WorkerChannel {
    private final WorkerProcess process;

    ProcessChannel(WorkerProcess process) {
        this.process = Objects.requireNonNull(process, "process");
    }

    @Override
    public String id() {
        return process.id();
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public OutputStream stdin() {
        return process.stdin();
    }

    @Override
    public InputStream stdout() {
        return process.stdout();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return process.onExit();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public List<String> stderrTail() {
        return process.stderrTail();
    }

    @Override
    public boolean awaitStderrClosed(Duration timeout) throws InterruptedException {
        return process.awaitStderrClosed(timeout);
    }

    @Override
    public CompletableFuture<Integer> stop(Duration grace) {
        return process.stop(grace);
    }

    @Override
    public void kill() {
        process.kill();
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
