package dev.warmpool.core;

import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory transport whose workers do what the test's script says: no processes, no pipes.
 * Each worker completes its calls on a reader thread of its own, as a real transport does, so a
 * callback that blocks that thread blocks the worker's answers too.
 *
 * <p>The script: {@link #failStarts} makes the next starts fail; {@link #answer} decides what each
 * call gets ({@link Reply}); {@link #onCancel} what a worker does when asked to cancel;
 * {@link #failPings} makes pings fail; {@link #stopWaitsForCall} makes a polite stop wait for the
 * call in flight, as a worker that finishes its request before it exits on end-of-input does.
 */
final class ScriptedTransport implements Transport {
    /** What a worker does with a call. */
    sealed interface Reply {
        /** Answers with a value. */
        record Value(Object value) implements Reply {}
        /** Answers with an error; the worker stays usable. */
        record Error(int code, String message) implements Reply {}
        /** Dies with this exit status without answering. */
        record Crash(int exitCode) implements Reply {}
        /** Breaks the protocol; the worker is no longer usable. */
        record Violation(String what) implements Reply {}
        /** Fails the call with the caller's mistake. */
        record Invalid(String what) implements Reply {}
        /** Fails the call with the caller's mistake before {@code call} returns (params that cannot be encoded). */
        record InvalidAtOnce(String what) implements Reply {}
        /** Never answers; the test may answer later through {@link ScriptedWorker#answer}. */
        record Hang() implements Reply {}
    }

    /** What a worker does when the pool asks it to cancel. */
    enum OnCancel { ANSWER_CANCELLED, IGNORE, BLOCK_FOREVER, CANNOT }

    /** Decides the reply to a call. */
    @FunctionalInterface
    interface Script {
        Reply reply(ScriptedWorker worker, Call<?> call);
    }

    private final ConcurrentLinkedDeque<String> startFailures = new ConcurrentLinkedDeque<>();
    private volatile Script script = ScriptedTransport::byMethod;
    private volatile OnCancel onCancel = OnCancel.ANSWER_CANCELLED;
    private volatile boolean failPings;
    private volatile boolean stopWaitsForCall;
    private volatile boolean callNeverBlocks;
    /** Released when the test ends, so blocked cancels return. */
    final CountDownLatch release = new CountDownLatch(1);
    final List<ScriptedWorker> workers = new CopyOnWriteArrayList<>();
    final AtomicInteger startAttempts = new AtomicInteger();

    @Override
    public String name() {
        return "scripted";
    }

    /** @param stderrLine the one line of stderr each failed start leaves, or "" for none */
    ScriptedTransport failStarts(int n, String stderrLine) {
        for (int i = 0; i < n; i++) {
            startFailures.add(stderrLine);
        }
        return this;
    }

    /**
     * The default script, by the call's method: {@code hang}, {@code crash} (exit status 3),
     * {@code fail} (error -32010), {@code invalid} (the caller's mistake), {@code violate} (a protocol
     * violation); anything else is answered with the worker's id.
     */
    static Reply byMethod(ScriptedWorker w, Call<?> c) {
        return switch (c.method()) {
            case "hang" -> new Reply.Hang();
            case "crash" -> new Reply.Crash(3);
            case "fail" -> new Reply.Error(-32010, "nope");
            case "invalid" -> new Reply.Invalid("params of invalid cannot be written as JSON: no serializer for Object");
            case "violate" -> new Reply.Violation("sent a response with both result and error");
            default -> new Reply.Value(w.id());
        };
    }

    ScriptedTransport answer(Script s) {
        script = s;
        return this;
    }

    ScriptedTransport onCancel(OnCancel c) {
        onCancel = c;
        return this;
    }

    ScriptedTransport failPings(boolean fail) {
        failPings = fail;
        return this;
    }

    /** Its workers promise that {@code call} never blocks ({@link Worker#callNeverBlocks()}). */
    ScriptedTransport callNeverBlocks() {
        callNeverBlocks = true;
        return this;
    }

    ScriptedTransport stopWaitsForCall() {
        stopWaitsForCall = true;
        return this;
    }

    /** @return the worker with this id */
    ScriptedWorker worker(String id) {
        return workers.stream().filter(w -> w.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no worker " + id + " in " + workers));
    }

    @Override
    public Worker start(WorkerSpec spec) {
        startAttempts.incrementAndGet();
        String failure = startFailures.poll();
        if (failure != null) {
            throw new WorkerStartException("worker " + spec.id() + " exited with code 3 before it became ready",
                    failure.isEmpty() ? List.of() : List.of(failure), null);
        }
        ScriptedWorker w = new ScriptedWorker(spec.id());
        workers.add(w);
        return w;
    }

    /** One scripted worker. Counts what the pool asked of it. */
    final class ScriptedWorker implements Worker {
        private final String id;
        private final ExecutorService reader;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final Map<CompletableFuture<?>, Call<?>> inFlight = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        /** The name of the thread each call was made on, in order. */
        final List<String> callThreads = new CopyOnWriteArrayList<>();
        final AtomicInteger cancels = new AtomicInteger();
        final AtomicInteger pings = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();
        final AtomicInteger kills = new AtomicInteger();
        private volatile boolean broken;

        ScriptedWorker(String id) {
            this.id = id;
            this.reader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "scripted-" + id + "-reader");
                t.setDaemon(true);
                return t;
            });
            exit.whenComplete((code, e) -> reader.shutdown());
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public <T> CompletableFuture<T> call(Call<T> call) {
            calls.incrementAndGet();
            callThreads.add(Thread.currentThread().getName());
            CompletableFuture<T> f = new CompletableFuture<>();
            if (exit.isDone()) {
                f.completeExceptionally(new WorkerCrashedException(id, exit.join(), "had exited", List.of()));
                return f;
            }
            inFlight.put(f, call);
            Reply r = script.reply(this, call);
            switch (r) {
                case Reply.Hang h -> { }
                case Reply.InvalidAtOnce i -> finish(f, null, new IllegalArgumentException(i.what()));
                case Reply.Crash c -> onReader(() -> {
                    finish(f, null, new WorkerCrashedException(id, c.exitCode(), "exited while running a request",
                            List.of("scripted crash")));
                    exit.complete(c.exitCode());
                });
                default -> answer(f, r);
            }
            return f;
        }

        /** Answers a call in flight as {@code r} says, from this worker's reader thread. */
        void answer(CompletableFuture<?> f, Reply r) {
            onReader(() -> deliver(f, r));
        }

        private void deliver(CompletableFuture<?> f, Reply r) {
            switch (r) {
                case Reply.Value v -> finish(f, v.value(), null);
                case Reply.Error e -> finish(f, null, new WorkerErrorException(id, e.code(), e.message(), null));
                case Reply.Violation v -> {
                    broken = true;
                    finish(f, null, new ProtocolException("worker " + id + " " + v.what()));
                }
                case Reply.Invalid i -> finish(f, null, new IllegalArgumentException(i.what()));
                case Reply.InvalidAtOnce i -> finish(f, null, new IllegalArgumentException(i.what()));
                case Reply.Crash c -> throw new IllegalArgumentException("crash through call()");
                case Reply.Hang h -> { }
            }
        }

        /** @return the futures of the calls this worker has not answered */
        List<CompletableFuture<?>> unanswered() {
            return List.copyOf(inFlight.keySet());
        }

        @SuppressWarnings("unchecked")
        private void finish(CompletableFuture<?> f, Object value, Throwable error) {
            inFlight.remove(f);
            if (error == null) {
                ((CompletableFuture<Object>) f).complete(value);
            } else {
                f.completeExceptionally(error);
            }
        }

        private void onReader(Runnable r) {
            try {
                reader.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                r.run(); // the worker has exited
            }
        }

        @Override
        public boolean cancel() {
            cancels.incrementAndGet();
            switch (onCancel) {
                case ANSWER_CANCELLED -> inFlight.keySet().forEach(f ->
                        answer(f, new Reply.Error(-32800, "cancelled"))); // JSON-RPC's "request cancelled"
                case IGNORE -> { }
                case BLOCK_FOREVER -> {
                    try {
                        release.await(); // a cancel message stuck behind a write that never completes
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                case CANNOT -> {
                    return false;
                }
            }
            return true;
        }

        @Override
        public CompletableFuture<Void> ping() {
            pings.incrementAndGet();
            return failPings ? CompletableFuture.failedFuture(new IllegalStateException("ping refused"))
                    : CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isUsable() {
            return !broken && !exit.isDone();
        }

        @Override
        public boolean callNeverBlocks() {
            return callNeverBlocks;
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return exit;
        }

        @Override
        public CompletableFuture<Integer> stop(Duration grace) {
            stops.incrementAndGet();
            if (stopWaitsForCall && !inFlight.isEmpty()) {
                CompletableFuture.allOf(inFlight.keySet().toArray(CompletableFuture[]::new))
                        .handle((v, e) -> exit.complete(0));
            } else {
                onReader(() -> exit.complete(0));
            }
            return exit;
        }

        /** The process exits on its own with {@code code}, failing what it was running. */
        void exitNow(int code) {
            onReader(() -> {
                for (CompletableFuture<?> f : inFlight.keySet()) {
                    finish(f, null, new WorkerCrashedException(id, code, "exited while running a request", List.of()));
                }
                exit.complete(code);
            });
        }

        @Override
        public void kill() {
            kills.incrementAndGet();
            for (CompletableFuture<?> f : inFlight.keySet()) {
                finish(f, null, new WorkerCrashedException(id, 137, "was killed while running a request", List.of()));
            }
            exit.complete(137);
        }

        @Override
        public List<String> stderrTail() {
            return List.of("scripted worker " + id);
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
