package dev.warmpool.transport.jsonrpc;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A worker "process" made of two in-memory pipes: the transport's end ({@link WorkerChannel}) and
 * the worker's end ({@link #workerIn()}, {@link #workerOut()}), plus an exit status the test sets.
 */
final class FakeChannel implements WorkerChannel {
    private final InputStream stdout;
    private final OutputStream stdin;
    private final InputStream workerIn;
    private final OutputStream workerOut;
    private final BufferedReader workerLines;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    final List<String> stderr = new CopyOnWriteArrayList<>();
    volatile boolean killed;

    FakeChannel() throws IOException {
        Pipe toWorker = Pipe.open();
        Pipe fromWorker = Pipe.open();
        stdin = new BufferedOutputStream(Channels.newOutputStream(toWorker.sink()));
        stdout = Channels.newInputStream(fromWorker.source());
        workerIn = Channels.newInputStream(toWorker.source());
        workerOut = Channels.newOutputStream(fromWorker.sink());
        workerLines = new BufferedReader(new InputStreamReader(workerIn, StandardCharsets.UTF_8));
    }

    InputStream workerIn() {
        return workerIn;
    }

    OutputStream workerOut() {
        return workerOut;
    }

    /** @return the next line the transport sent, for scripted workers */
    String readLine() throws IOException {
        return workerLines.readLine();
    }

    /** Writes raw text to the transport, as the worker's stdout. */
    void write(String text) throws IOException {
        workerOut.write(text.getBytes(StandardCharsets.UTF_8));
        workerOut.flush();
    }

    /** Ends the worker's stdout (end-of-file for the transport). */
    void closeStdout() throws IOException {
        workerOut.close();
    }

    /** The "process" exits with this status. */
    void exit(int status) {
        exit.complete(status);
    }

    @Override
    public String id() {
        return "w-1";
    }

    @Override
    public long pid() {
        return 4242;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return stdout;
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
        return List.copyOf(stderr);
    }

    @Override
    public void awaitStderrClosed(Duration timeout) {
        // nothing is pending in memory
    }

    @Override
    public CompletableFuture<Integer> stop(Duration grace) {
        kill();
        return exit.copy();
    }

    @Override
    public void kill() {
        killed = true;
        try {
            workerOut.close();
        } catch (IOException ignored) {
            // already closed
        }
        exit.complete(137);
    }
}
