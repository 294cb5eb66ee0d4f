package dev.warmpool.transport.jsonrpc;

import dev.warmpool.transport.stdio.WorkerProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link JsonRpcWorker} needs of a worker process. {@link WorkerProcess} in production; a
 * pair of in-memory pipes in the module's tests, so the client's protocol handling can be tested
 * without starting processes.
 */
interface WorkerChannel {
    String id();

    long pid();

    /** Buffered; the frame writer flushes. */
    OutputStream stdin();

    InputStream stdout();

    /** A future the caller may complete or chain on without affecting the process. */
    CompletableFuture<Integer> onExit();

    boolean isAlive();

    List<String> stderrTail();

    /** Waits, at most {@code timeout}, until the whole of stderr was read, so the tail is complete. */
    void awaitStderrClosed(Duration timeout) throws InterruptedException;

    CompletableFuture<Integer> stop(Duration grace);

    void kill();

    static WorkerChannel of(WorkerProcess p) {
        return new WorkerChannel() {
            @Override
            public String id() {
                return p.id();
            }

            @Override
            public long pid() {
                return p.pid();
            }

            @Override
            public OutputStream stdin() {
                return p.stdin();
            }

            @Override
            public InputStream stdout() {
                return p.stdout();
            }

            @Override
            public CompletableFuture<Integer> onExit() {
                return p.onExit();
            }

            @Override
            public boolean isAlive() {
                return p.isAlive();
            }

            @Override
            public List<String> stderrTail() {
                return p.stderrTail();
            }

            @Override
            public void awaitStderrClosed(Duration timeout) throws InterruptedException {
                p.awaitStderrClosed(timeout);
            }

            @Override
            public CompletableFuture<Integer> stop(Duration grace) {
                return p.stop(grace);
            }

            @Override
            public void kill() {
                p.kill();
            }

            @Override
            public String toString() {
                return p.toString();
            }
        };
    }
}
