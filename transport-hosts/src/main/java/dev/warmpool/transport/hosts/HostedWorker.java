package dev.warmpool.transport.hosts;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Worker;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A worker placed on a host: the inner transport's worker, counted on its host until it is gone, and for
 * a remote host also ended there. {@link #stop(Duration)} closes stdin (the remote wrapper then gives the
 * worker its grace), and if the worker is still running after {@code grace} signals its remote process
 * group over a second connection, SIGTERM then SIGKILL; {@link #kill()} kills the local client and the
 * remote group at once. Calls go straight to the inner worker. Thread-safe as the inner worker is.
 */
final class HostedWorker implements Worker {
    /** How long the exit waits for the call in flight to be failed by the inner transport (its own waits are 1.5 s). */
    private static final Duration EXIT_AFTER_CALL = Duration.ofSeconds(3);
    private final Worker inner;
    private final String id;
    private final Placement placement;
    private final Placement.Slot slot;
    private final RemoteControl control;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile long pgid;
    /**
     * Completes once the call in flight, if any, has been completed and what the pool chained to it has run:
     * the exit waits for it, so the transport's crash message (which names the host) is the one delivered.
     */
    private volatile CompletableFuture<?> settled = CompletableFuture.completedFuture(null);
    private final CompletableFuture<Integer> exit;

    HostedWorker(Worker inner, String id, Placement placement, Placement.Slot slot, RemoteControl control) {
        this.inner = inner;
        this.id = id;
        this.placement = placement;
        this.slot = slot;
        this.control = control;
        inner.onExit().whenComplete((s, e) -> release());
        this.exit = inner.onExit().thenCompose(status -> settled.handle((r, e) -> status)
                .completeOnTimeout(status, EXIT_AFTER_CALL.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            placement.released(slot);
        }
    }

    /** Says where the worker runs: the host as given, {@code local}, {@code ssh://user@h1:2222} or {@code exec:...}. */
    @Override
    public String host() {
        return slot.host.uri();
    }

    /**
     * Reads the remote process group from the wrapper's first stderr line, waiting up to {@code wait} for it.
     *
     * @return the group id, or 0 if it was not seen
     */
    long awaitPgid(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        while (true) {
            for (String line : inner.stderrTail()) {
                if (pgid == 0 && line.startsWith(RemoteScripts.PGID_PREFIX)) {
                    try {
                        pgid = Long.parseLong(line.substring(RemoteScripts.PGID_PREFIX.length()).split(" ", 2)[0]);
                    } catch (NumberFormatException e) {
                        // a line of the worker's own that looks like ours; keep looking
                    }
                }
            }
            if (pgid != 0 || inner.onExit().isDone() || System.nanoTime() - until >= 0 || !sleep()) {
                return pgid;
            }
        }
    }

    private static boolean sleep() {
        try {
            Thread.sleep(5);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String id() {
        return id;
    }

    /** @return the pid of the local process: the worker for a local host, the ssh (or launcher) client for a remote one */
    @Override
    public OptionalLong pid() {
        return inner.pid();
    }

    @Override
    public <T> CompletableFuture<@Nullable T> call(Call<T> call) {
        // settled before the request is written: a worker that exits at once (while this thread is descheduled)
        // must find its exit waiting for this call, or the pool's backstop, which cannot name the host, wins
        CompletableFuture<Void> done = new CompletableFuture<>();
        settled = done;
        CompletableFuture<@Nullable T> f;
        try {
            f = inner.call(call);
        } catch (RuntimeException | Error e) {
            done.complete(null);
            throw e;
        }
        CompletableFuture<@Nullable T> out = new CompletableFuture<>();
        f.whenComplete((value, error) -> {
            // completing out runs what the caller chained to it on this thread, before the exit is let through
            if (error != null) {
                out.completeExceptionally(error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
            } else {
                out.complete(value);
            }
            done.complete(null);
        });
        return out;
    }

    @Override
    public boolean cancel() {
        return inner.cancel();
    }

    @Override
    public CompletableFuture<Void> ping() {
        return inner.ping();
    }

    @Override
    public boolean isUsable() {
        return inner.isUsable();
    }

    /**
     * @return completes with the exit status once the worker is gone and the call it held, if any, has been
     *     failed by the inner transport (at most {@link #EXIT_AFTER_CALL} later), so that failure, which
     *     names the host, is the one the caller sees
     */
    @Override
    public CompletableFuture<Integer> onExit() {
        return exit.copy();
    }

    @Override
    public CompletableFuture<Integer> stop(Duration grace) {
        CompletableFuture<Integer> local = inner.stop(grace);
        if (control.isLocal()) {
            return local;
        }
        CompletableFuture<Void> remote = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            long g = pgid == 0 ? awaitPgid(Duration.ZERO) : pgid;
            // an ssh client that exited on its own says its remote wrapper exited, which ended the group;
            // one the local side terminated (143, 137) or that lost its connection (255) says nothing
            boolean endedThere = local.isDone() && !local.isCompletedExceptionally()
                    && !List.of(143, 137, 255).contains(local.join());
            if (endedThere || g == 0) {
                remote.complete(null);
            } else {
                control.signalGroup(g, grace).whenComplete((s, e) -> remote.complete(null));
            }
        });
        return local.thenCombine(remote, (status, ignored) -> status);
    }

    @Override
    public void kill() {
        inner.kill();
        long g = pgid;
        if (!control.isLocal() && g != 0) {
            control.signalGroup(g, Duration.ZERO);
        }
    }

    /** @return the inner worker's stderr tail without the remote wrapper's own line */
    @Override
    public List<String> stderrTail() {
        return inner.stderrTail().stream().filter(l -> !l.startsWith(RemoteScripts.PGID_PREFIX)).toList();
    }

    @Override
    public String toString() {
        return "HostedWorker[" + id + " on " + slot.host.uri() + ", " + inner + "]";
    }
}
