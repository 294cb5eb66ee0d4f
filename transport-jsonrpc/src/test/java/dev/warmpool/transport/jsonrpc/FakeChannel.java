package dev.warmpool.transport.jsonrpc;

import dev.warmpool.transport.stdio.InMemoryChannel;
import dev.warmpool.transport.stdio.WorkerChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The base's {@link InMemoryChannel}, with the worker's end scripted by a test: read the lines the
 * transport sent, write raw text back, end stdout, exit. One thing more than the in-memory channel:
 * {@link #exitHoldingStdout(int)}, an exit that leaves stdout open, as when a process the worker
 * started inherited it.
 */
final class FakeChannel implements WorkerChannel {
    private final InMemoryChannel pipes = new InMemoryChannel("w-1");
    private final BufferedReader workerLines =
            new BufferedReader(new InputStreamReader(pipes.workerStdin(), StandardCharsets.UTF_8));
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    FakeChannel() {
        pipes.onExit().thenAccept(exit::complete);
    }

    InputStream workerIn() {
        return pipes.workerStdin();
    }

    OutputStream workerOut() {
        return pipes.workerStdout();
    }

    /** @return the next line the transport sent, for scripted workers */
    String readLine() throws IOException {
        return workerLines.readLine();
    }

    /** Writes raw text to the transport, as the worker's stdout. */
    void write(String text) throws IOException {
        pipes.workerStdout().write(text.getBytes(StandardCharsets.UTF_8));
        pipes.workerStdout().flush();
    }

    /** Ends the worker's stdout (end-of-file for the transport); the "process" keeps running. */
    void closeStdout() throws IOException {
        pipes.workerStdout().close();
    }

    /** Adds a line to the stderr tail. */
    void stderr(String line) {
        pipes.stderr(line);
    }

    /** The "process" exits: both pipes close. */
    void exit(int status) {
        pipes.exit(status);
    }

    /** The "process" exits, but its stdout stays open. */
    void exitHoldingStdout(int status) {
        exit.complete(status);
    }

    /** @return whether the transport killed the worker */
    boolean killed() {
        return pipes.onExit().getNow(0) == 137;
    }

    @Override
    public String id() {
        return pipes.id();
    }

    @Override
    public OptionalLong pid() {
        return pipes.pid();
    }

    @Override
    public OutputStream stdin() {
        return pipes.stdin();
    }

    @Override
    public InputStream stdout() {
        return pipes.stdout();
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
        return pipes.stderrTail();
    }

    @Override
    public boolean awaitStderrClosed(Duration timeout) {
        return true;
    }

    @Override
    public CompletableFuture<Integer> stop(Duration grace) {
        return pipes.stop(grace);
    }

    @Override
    public void kill() {
        pipes.kill();
    }
}
