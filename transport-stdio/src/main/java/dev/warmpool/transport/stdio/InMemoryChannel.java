package dev.warmpool.transport.stdio;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WorkerChannel} without a process: two in-memory pipes whose other ends belong to a
 * worker played by the caller, for testing a transport's protocol logic (or serving a worker inside
 * this JVM). The worker reads {@link #workerStdin()}, writes {@link #workerStdout()}, adds
 * {@link #stderr(String) stderr lines} and {@link #exit(int) exits}.
 *
 * <p>The pipes behave like the operating system's: each holds {@code pipeBytes} (64 KiB unless
 * given), a write to a full pipe blocks until the other side reads, end-of-file comes when the
 * writing side closes, and a write to a pipe whose reader closed (or exited) fails with
 * "Broken pipe". {@link #exit(int)} does what a process's exit does: closes the worker's ends of
 * both pipes and completes {@link #onExit()}; {@link #exitHoldingPipes(int)} exits as a worker does
 * whose child inherited its pipes, leaving them open. {@link #kill()} exits with 137 (SIGKILL);
 * {@link #stop(Duration)} closes the worker's stdin, and exits with 143 (SIGTERM) if the worker has
 * not exited within the grace.
 *
 * <p>Thread-safe. Only the pipes' reads and writes block.
 */
public final class InMemoryChannel implements WorkerChannel {
    /** The capacity of each pipe unless given, in bytes: Linux's default pipe size. */
    public static final int PIPE_BYTES = 1 << 16;
    private static final int TAIL_LINES = 50;

    private final String id;
    private final BytePipe in;
    private final BytePipe out;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final ArrayDeque<String> tail = new ArrayDeque<>();

    /**
     * Creates a running in-memory worker whose pipes each hold {@value #PIPE_BYTES} bytes.
     *
     * @param id the worker id, e.g. {@code "w-1"}
     */
    public InMemoryChannel(String id) {
        this(id, PIPE_BYTES);
    }

    /**
     * Creates a running in-memory worker whose pipes each hold {@code pipeBytes} bytes, e.g. a small size to test
     * writes that block.
     *
     * @param id the worker id, e.g. {@code "w-1"}
     * @param pipeBytes how many bytes each pipe holds before a write blocks
     * @throws IllegalArgumentException if {@code pipeBytes} is not positive
     */
    public InMemoryChannel(String id, int pipeBytes) {
        this.id = Objects.requireNonNull(id, "id");
        this.in = new BytePipe(pipeBytes);
        this.out = new BytePipe(pipeBytes);
    }

    /**
     * {@return the stream the worker reads: the bytes the transport wrote; end-of-file once the
     *     transport closed it}
     */
    public InputStream workerStdin() {
        return in.source();
    }

    /**
     * {@return the stream the worker writes to and the transport reads; closing it is end-of-file
     *     for the transport}
     */
    public OutputStream workerStdout() {
        return out.sink();
    }

    /**
     * Adds a line to the stderr tail, as if the worker had written it to stderr.
     *
     * @param line the line, without its line break
     */
    public void stderr(String line) {
        Objects.requireNonNull(line, "line");
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }

    /**
     * The worker exits: its ends of both pipes close (the transport reads what is left, then
     * end-of-file; its writes fail) and {@link #onExit()} completes. Later calls change nothing.
     *
     * @param status the exit status, 128 + n for "killed by signal n"
     */
    public void exit(int status) {
        in.closeSource();
        out.closeSink();
        exit.complete(status);
    }

    /**
     * The worker exits, but a process it started inherited its pipes and holds them: {@link #onExit()}
     * completes, while both pipes stay open until the caller closes {@link #workerStdout()} or
     * {@link #workerStdin()} (or {@link #kill()} closes them). Later calls, and a later
     * {@link #exit(int)}'s status, change nothing about the exit.
     *
     * @param status the exit status
     */
    public void exitHoldingPipes(int status) {
        exit.complete(status);
    }

    @Override
    public String id() {
        return id;
    }

    /** @return empty: there is no process */
    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public OutputStream stdin() {
        return in.sink();
    }

    @Override
    public InputStream stdout() {
        return out.source();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit.copy();
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public List<String> stderrTail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    /** @return at once: stderr is complete as soon as the worker has exited, and {@code true} then */
    @Override
    public boolean awaitStderrClosed(Duration timeout) {
        return exit.isDone();
    }

    /** Closes the worker's stdin; exits with 143 if the worker has not exited within {@code grace}. */
    @Override
    public CompletableFuture<Integer> stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        in.closeSink();
        if (!exit.isDone()) {
            CompletableFuture.delayedExecutor(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS)
                    .execute(() -> exit(143));
        }
        return exit.copy();
    }

    /** Exits with 137, as SIGKILL would. */
    @Override
    public void kill() {
        exit(137);
    }

    @Override
    public String toString() {
        return "InMemoryChannel[" + id + (exit.isDone() ? ", exited" : "") + "]";
    }
}
