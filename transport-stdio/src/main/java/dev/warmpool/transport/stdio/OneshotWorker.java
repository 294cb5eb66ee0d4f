package dev.warmpool.transport.stdio;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link OneshotTransport}'s worker: a recipe that starts a process per call. Each call runs on
 * a daemon thread of its own; the params are written by a second daemon thread so a program
 * that writes much output before it reads its input cannot deadlock against us.
 */
final class OneshotWorker implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(OneshotWorker.class);

    private final WorkerSpec spec;
    private final String id;
    private final int max;
    private final Set<WorkerChannel> inflight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile List<String> lastTail = List.of();
    private volatile int lastExit;
    /** Why the last call's process could not be started; the recipe is unusable from then on. */
    private volatile @Nullable WorkerStartException startFailure;

    OneshotWorker(WorkerSpec spec) {
        this.spec = spec;
        this.id = spec.id();
        this.max = spec.maxFrameBytes();
    }

    @Override
    public String id() {
        return id;
    }

    /** @return empty: there is no long-lived process */
    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public <T> CompletableFuture<@Nullable T> call(Call<T> call) {
        CompletableFuture<@Nullable T> f = new CompletableFuture<>();
        if (stopped.get()) {
            f.completeExceptionally(new WorkerCrashedException(id, -1, "had been stopped when the request was sent",
                    lastTail));
            return f;
        }
        byte[] line;
        try {
            line = Lines.encode(id, call, max);
        } catch (IllegalArgumentException e) {
            f.completeExceptionally(e);
            return f;
        }
        Thread t = new Thread(() -> run(call, line, f), "warmpool-oneshot-" + id + "-" + calls.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return f;
    }

    private <T> void run(Call<T> call, byte[] line, CompletableFuture<@Nullable T> f) {
        WorkerChannel p;
        try {
            p = WorkerChannel.start(spec);
        } catch (WorkerStartException e) {
            // the program went missing since the recipe was made: the pool replaces the recipe,
            // whose start then reports the same, and this request fails with the reason as it is
            startFailure = e;
            f.completeExceptionally(e);
            return;
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
            return;
        }
        inflight.add(p);
        try {
            if (stopped.get()) {
                p.kill();
            }
            // a platform thread: it may stay blocked on a full pipe until the process exits
            Thread.ofPlatform().daemon().name("warmpool-oneshot-write-" + id).start(() -> writeParams(p, line));
            AtomicBoolean eof = new AtomicBoolean();
            long afterExit = ProcessWorker.AFTER_EXIT_GRACE.toMillis();
            p.onExit().thenRun(() -> CompletableFuture.delayedExecutor(afterExit, TimeUnit.MILLISECONDS)
                    .execute(() -> {
                        if (!eof.get()) {
                            // the program exited but something it started still holds stdout
                            LOG.debug("worker {}: killing what it left running, which holds its stdout", id);
                            p.kill();
                        }
                    }));
            byte[] out;
            try {
                out = readAll(p.stdout());
            } catch (OutputTooLargeException e) {
                p.kill();
                f.completeExceptionally(new ProtocolException("worker " + id + " wrote at least " + e.seen
                        + " bytes to stdout, above the limit of " + max + " bytes (maxFrameBytes)"));
                return;
            } catch (IOException e) {
                out = null;
                LOG.debug("worker {}: reading stdout failed: {}", id, e.toString());
            } finally {
                eof.set(true);
            }
            int code = p.onExit().get();
            p.kill(); // whatever it left behind in its process group
            p.awaitStderrClosed(ProcessWorker.STDERR_WAIT);
            lastTail = p.stderrTail();
            lastExit = code;
            if (code != 0) {
                f.completeExceptionally(new WorkerCrashedException(id, code, "exited while running a request",
                        p.stderrTail()));
            } else if (out == null) {
                f.completeExceptionally(new WorkerCrashedException(id, code, "exited but its stdout could not be read",
                        p.stderrTail()));
            } else {
                f.complete(call.resultType().cast(text(out)));
            }
        } catch (InterruptedException e) {
            p.kill();
            f.completeExceptionally(new WorkerCrashedException(id, -1, "was interrupted while running a request",
                    p.stderrTail()));
        } catch (ExecutionException | RuntimeException e) {
            p.kill();
            f.completeExceptionally(e);
        } finally {
            inflight.remove(p);
            if (stopped.get() && inflight.isEmpty()) {
                exit.complete(lastExit);
            }
        }
    }

    private void writeParams(WorkerChannel p, byte[] line) {
        OutputStream in = p.stdin();
        try {
            in.write(line);
            in.write('\n');
            in.flush();
        } catch (IOException e) {
            // a program that does not read its stdin is fine: its output is what counts
            LOG.trace("worker {}: writing params: {}", id, e.toString());
        } finally {
            try {
                in.close();
            } catch (IOException e) {
                LOG.trace("worker {}: closing stdin: {}", id, e.toString());
            }
        }
    }

    private static final class OutputTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long seen;

        OutputTooLargeException(long seen) {
            super("output too large");
            this.seen = seen;
        }
    }

    /** Reads to end-of-file, keeping at most {@code max} bytes plus a trailing "\r\n". */
    private byte[] readAll(InputStream in) throws IOException {
        long keep = (long) max + 2;
        byte[] buf = new byte[(int) Math.min(keep, 8192)];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (buf.length >= keep) {
                    int probe = in.read();
                    if (probe < 0) {
                        break;
                    }
                    throw new OutputTooLargeException(len + 1L);
                }
                buf = Arrays.copyOf(buf, (int) Math.min(keep, buf.length * 2L));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
        }
        int end = len;
        if (end > 0 && buf[end - 1] == '\n') {
            end--;
            if (end > 0 && buf[end - 1] == '\r') {
                end--;
            }
        }
        if (end > max) {
            throw new OutputTooLargeException(end);
        }
        return Arrays.copyOf(buf, end);
    }

    private static String text(byte[] out) {
        return new String(out, StandardCharsets.UTF_8);
    }

    /** @return how many calls have a process running */
    int inFlight() {
        return inflight.size();
    }

    /** Always {@code false}: the pool kills the call's process instead. */
    @Override
    public boolean cancel() {
        return false;
    }

    @Override
    public CompletableFuture<Void> ping() {
        if (stopped.get()) {
            return CompletableFuture.failedFuture(new WorkerCrashedException(id, -1, "has been stopped", lastTail));
        }
        WorkerStartException e = startFailure;
        return e != null ? CompletableFuture.failedFuture(e) : CompletableFuture.completedFuture(null);
    }

    /** @return {@code true} until {@link #stop(Duration)} or {@link #kill()}, or until a call's process could not be started */
    @Override
    public boolean isUsable() {
        return !stopped.get() && startFailure == null;
    }

    /** @return completes once stopped or killed and no call's process is left: with the last exit status, or 0 */
    @Override
    public CompletableFuture<Integer> onExit() {
        return exit.copy();
    }

    @Override
    public CompletableFuture<Integer> stop(Duration grace) {
        stopped.set(true);
        List<CompletableFuture<Integer>> stops = new ArrayList<>();
        for (WorkerChannel p : inflight) {
            stops.add(p.stop(grace));
        }
        finishWhenDone(stops);
        return exit.copy();
    }

    @Override
    public void kill() {
        stopped.set(true);
        List<CompletableFuture<Integer>> exits = new ArrayList<>();
        for (WorkerChannel p : inflight) {
            p.kill();
            exits.add(p.onExit());
        }
        finishWhenDone(exits);
    }

    private void finishWhenDone(List<CompletableFuture<Integer>> processes) {
        if (processes.isEmpty()) {
            if (inflight.isEmpty()) {
                exit.complete(lastExit);
            }
            return;
        }
        CompletableFuture.allOf(processes.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
            int code = lastExit;
            for (CompletableFuture<Integer> p : processes) {
                code = p.getNow(code);
            }
            exit.complete(code);
        });
    }

    @Override
    public List<String> stderrTail() {
        return lastTail;
    }

    @Override
    public String toString() {
        return "OneshotWorker[" + id + ", " + spec.command() + (stopped.get() ? ", stopped" : "") + "]";
    }
}
