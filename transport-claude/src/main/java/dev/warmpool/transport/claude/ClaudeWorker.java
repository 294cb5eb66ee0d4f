package dev.warmpool.transport.claude;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.Notification;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.transport.claude.ClaudeSettings.ResetMode;
import dev.warmpool.transport.stdio.FrameReader;
import dev.warmpool.transport.stdio.FrameTooLargeException;
import dev.warmpool.transport.stdio.FrameWriter;
import dev.warmpool.transport.stdio.Framing;
import dev.warmpool.transport.stdio.TruncatedFrameException;
import dev.warmpool.transport.stdio.WorkerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warm Claude Code CLI process: the {@link ClaudeTransport}'s worker.
 *
 * <p>One daemon thread reads the CLI's stdout. A call is written as one user message; the turn
 * ends with the CLI's {@code result} line. With the {@code clear} reset policy the worker writes
 * {@code /clear} right after a turn's result arrives and before the caller's future completes, so
 * the caller never waits for it; a call that arrives while the {@code /clear} is still running is
 * held and written when the clear's own result comes (the CLI answers {@code /clear} in 15–40 ms
 * without an API call). Writes happen on the caller's thread, or on a virtual thread when the
 * caller is the reader thread itself, so the reader never blocks on a full stdin pipe.
 */
final class ClaudeWorker implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(ClaudeWorker.class);
    /** How long to wait for the exit status after stdout reached end-of-file. */
    private static final long EXIT_WAIT_MILLIS = 1000;
    /** How long a turn may still be answered from the pipe after the process exited. */
    private static final long AFTER_EXIT_MILLIS = 200;
    /** How long to wait for the last stderr lines before building an error. */
    private static final Duration STDERR_WAIT = Duration.ofMillis(200);
    private static final int NO_EXIT = Integer.MIN_VALUE;

    static final String CLEAR = "/clear";
    static final String ASSISTANT_NOTIFICATION = "claude/assistant";
    static final String SYSTEM_NOTIFICATION = "claude/system";
    /** The control request used for readiness: the CLI answers it once it is up (0.7–1 s after spawn). */
    static final String INITIALIZE = "initialize";
    /** The control request used for health checks: answered in about a millisecond, costs no tokens. */
    static final String HEALTH = "mcp_status";

    /** Why the worker is no longer usable. */
    private record Failure(boolean protocol, String detail, int exitCode) {
    }

    /** One user turn, or the worker's own {@code /clear} (no call). */
    private static final class Turn<T> {
        final Call<T> call;
        final CompletableFuture<T> future;
        final String prompt;
        final byte[] line;
        volatile boolean interrupted;

        Turn(Call<T> call, CompletableFuture<T> future, String prompt) {
            this.call = call;
            this.future = future;
            this.prompt = prompt;
            this.line = StreamJson.userMessage(prompt);
        }

        boolean isClear() {
            return call == null;
        }

        String what() {
            return isClear() ? "clearing its conversation" : "running a turn";
        }
    }

    private final WorkerProcess process;
    private final String id;
    private final boolean strict;
    private final int maxFrameBytes;
    private final ClaudeSettings settings;
    private final FrameWriter writer;
    private final FrameReader reader;
    private final Thread readerThread;
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private final Map<String, CompletableFuture<JsonNode>> controls = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    /** The turn written to the CLI whose result has not come yet. Guarded by {@link #lock}. */
    private Turn<?> current;
    /** A call that waits for the running {@code /clear} to finish. Guarded by {@link #lock}. */
    private Turn<?> queued;
    /** User turns answered. Guarded by {@link #lock}. */
    private int turns;
    /** The CLI's running total cost after the last result. Guarded by {@link #lock}. */
    private double cumulativeCost;
    /** Set once the {@code recycle:N} policy's N turns are done. */
    private volatile boolean recycled;

    ClaudeWorker(WorkerProcess process, WorkerSpec spec, ClaudeSettings settings) {
        this.process = process;
        this.id = spec.id();
        this.strict = spec.strictOutput();
        this.maxFrameBytes = spec.maxFrameBytes();
        this.settings = settings;
        this.writer = Framing.NEWLINE.writer(process.stdin(), spec.maxFrameBytes());
        this.reader = Framing.NEWLINE.reader(process.stdout(), spec.maxFrameBytes());
        this.readerThread = new Thread(this::readLoop, "warmpool-claude-" + id);
        this.readerThread.setDaemon(true);
    }

    /** Starts the reader thread and the exit watcher. */
    void start() {
        readerThread.start();
        process.onExit().thenRun(this::onProcessExit);
    }

    /** @return completes with the CLI's answer to an {@code initialize} control request (success or error) */
    CompletableFuture<JsonNode> initialize() {
        return control(INITIALIZE);
    }

    WorkerProcess process() {
        return process;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public <T> CompletableFuture<T> call(Call<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Failure fl = failure.get();
        if (fl != null) {
            f.completeExceptionally(unusable(fl));
            return f;
        }
        String prompt;
        try {
            prompt = Prompts.render(call.method(), call.params(), settings.promptTemplate());
        } catch (Prompts.Rejected e) {
            f.completeExceptionally(new WorkerErrorException(id, e.code(), e.getMessage(), null));
            return f;
        }
        Turn<T> t = new Turn<>(call, f, prompt);
        if (t.line.length > maxFrameBytes) {
            f.completeExceptionally(new ProtocolException("the user message of " + t.line.length
                    + " bytes exceeds the limit of " + maxFrameBytes + " bytes (maxFrameBytes) (worker " + id
                    + "; nothing was sent)"));
            return f;
        }
        boolean sendNow;
        synchronized (lock) {
            if (queued != null || current != null && !current.isClear()) {
                f.completeExceptionally(new IllegalStateException("worker " + id
                        + " is already running a call; the pool gives a worker one call at a time"));
                return f;
            }
            sendNow = current == null;
            if (sendNow) {
                current = t;
            } else {
                queued = t;
            }
        }
        // the reader may have hit end-of-file just before the turn was registered: it then no
        // longer looks at it, so this thread must fail it
        Failure late = failure.get();
        if (late != null) {
            if (take(t)) {
                f.completeExceptionally(unusable(late));
            }
            return f;
        }
        if (sendNow) {
            send(t);
        }
        return f;
    }

    /** Writes a turn's user message, from a virtual thread if the caller is the reader. */
    private void send(Turn<?> t) {
        if (Thread.currentThread() == readerThread) {
            Thread.ofVirtual().name("warmpool-claude-write-" + id).start(() -> write(t));
        } else {
            write(t);
        }
    }

    private void write(Turn<?> t) {
        try {
            writer.write(t.line);
        } catch (IOException e) {
            LOG.debug("worker {}: writing to its stdin failed: {}", id, e.toString());
            markFailed(new Failure(false, "stopped reading its stdin", NO_EXIT));
            Thread.ofVirtual().name("warmpool-claude-fail-" + id).start(() -> failStdin(e));
        }
    }

    /** Removes {@code t} from the worker's state. @return whether it was there (so the caller may complete it) */
    private boolean take(Turn<?> t) {
        synchronized (lock) {
            if (current == t) {
                current = null;
                return true;
            }
            if (queued == t) {
                queued = null;
                return true;
            }
            return false;
        }
    }

    /**
     * Sends a control request and completes with the CLI's answer, a {@code control_response}'s
     * {@code response} member, whether its subtype is {@code success} or {@code error}: either way
     * the CLI read and answered it.
     */
    CompletableFuture<JsonNode> control(String subtype) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        Failure fl = failure.get();
        if (fl != null) {
            f.completeExceptionally(unusable(fl));
            return f;
        }
        String requestId = UUID.randomUUID().toString();
        controls.put(requestId, f);
        f.whenComplete((r, e) -> controls.remove(requestId));
        byte[] line = StreamJson.controlRequest(requestId, subtype);
        Runnable w = () -> {
            try {
                writer.write(line);
            } catch (IOException e) {
                LOG.debug("worker {}: writing a {} request to its stdin failed: {}", id, subtype, e.toString());
                markFailed(new Failure(false, "stopped reading its stdin", NO_EXIT));
                Thread.ofVirtual().name("warmpool-claude-fail-" + id).start(() -> failStdin(e));
            }
        };
        if (Thread.currentThread() == readerThread) {
            Thread.ofVirtual().name("warmpool-claude-write-" + id).start(w);
        } else {
            w.run();
        }
        Failure late = failure.get();
        if (late != null && !f.isDone()) {
            f.completeExceptionally(unusable(late));
        }
        return f;
    }

    private void readLoop() {
        try {
            while (true) {
                byte[] frame;
                try {
                    frame = reader.read();
                } catch (FrameTooLargeException e) {
                    onProtocolError("printed a line of at least " + e.size() + " bytes, above the limit of "
                            + e.limit() + " bytes (maxFrameBytes)", e);
                    return;
                }
                if (frame == null) {
                    onEndOfStdout("");
                    return;
                }
                onLine(frame);
            }
        } catch (IOException e) {
            onEndOfStdout(e instanceof TruncatedFrameException ? " (its last line was cut off)" : " (" + e + ")");
        } catch (RuntimeException | Error e) {
            LOG.error("worker {}: the stdout reader failed", id, e);
            onProtocolError("could not be read: " + e, e);
        }
    }

    private void onLine(byte[] frame) {
        Optional<JsonNode> parsed = StreamJson.parse(frame);
        if (parsed.isEmpty()) {
            String text = shorten(new String(frame, StandardCharsets.UTF_8));
            if (strict) {
                onProtocolError("printed a line that is not a JSON object: '" + text + "' (strictOutput)", null);
            } else {
                LOG.warn("worker {} printed a line that is not a JSON object; skipped: {}", id, text);
            }
            return;
        }
        JsonNode m = parsed.get();
        String type = StreamJson.type(m);
        switch (type) {
            case "result" -> onResult(m);
            case "assistant" -> notifyTurn(ASSISTANT_NOTIFICATION, m);
            case "system" -> {
                if (StreamJson.subtype(m).equals("init")) {
                    LOG.trace("worker {}: turn started in session {}", id, m.path("session_id").asText(""));
                } else {
                    notifyTurn(SYSTEM_NOTIFICATION, m);
                }
            }
            case "control_response" -> onControlResponse(m);
            case "control_request" -> refuseControlRequest(m);
            default -> LOG.trace("worker {}: skipped a message of type '{}'", id, type);
        }
    }

    private void notifyTurn(String method, JsonNode message) {
        Turn<?> t;
        synchronized (lock) {
            t = current;
        }
        if (t == null || t.isClear()) {
            return;
        }
        NotificationListener listener = t.call.listener();
        if (listener == NotificationListener.NONE) {
            return;
        }
        try {
            listener.onNotification(new Notification(id, method, StreamJson.toJava(message)));
        } catch (RuntimeException e) {
            LOG.warn("worker {}: a notification listener failed on {}", id, method, e);
        }
    }

    private void onControlResponse(JsonNode m) {
        JsonNode response = m.path("response");
        String requestId = response.path("request_id").asText("");
        CompletableFuture<JsonNode> f = controls.remove(requestId);
        if (f == null) {
            LOG.debug("worker {}: a control response for an unknown request '{}'", id, requestId);
            return;
        }
        if (response.path("subtype").asText("").equals("error")) {
            LOG.debug("worker {}: the CLI refused control request {}: {}", id, requestId,
                    response.path("error").asText(""));
        }
        f.complete(response);
    }

    /**
     * The CLI asks its host things only when told to (e.g. {@code --permission-prompt-tool stdio});
     * warmpool answers no such request, and says so rather than leave the turn hanging.
     */
    private void refuseControlRequest(JsonNode m) {
        String requestId = m.path("request_id").asText("");
        String subtype = m.path("request").path("subtype").asText("");
        LOG.warn("worker {}: the CLI sent a '{}' control request, which warmpool does not answer; refused "
                + "(use --permission-mode or --allowedTools in the command instead of a prompt tool)", id, subtype);
        byte[] line = StreamJson.controlError(requestId, "warmpool does not answer '" + subtype + "' requests");
        Thread.ofVirtual().name("warmpool-claude-write-" + id).start(() -> {
            try {
                writer.write(line);
            } catch (IOException e) {
                LOG.debug("worker {}: could not refuse a control request: {}", id, e.toString());
            }
        });
    }

    private void onResult(JsonNode message) {
        Turn<?> t;
        Turn<?> next = null;
        Turn<Void> clear = null;
        StreamJson.Turn r;
        Failure clearFailure = null;
        synchronized (lock) {
            r = StreamJson.result(message, cumulativeCost);
            cumulativeCost = r.cumulativeCost();
            t = current;
            if (t == null) {
                LOG.debug("worker {}: a result while no turn was running; skipped", id);
                return;
            }
            current = null;
            if (t.isClear()) {
                if (r.failed()) {
                    clearFailure = new Failure(true, "could not clear its conversation: " + r.message(), NO_EXIT);
                    markFailed(clearFailure);
                    next = queued;
                    queued = null;
                } else if (queued != null) {
                    next = queued;
                    queued = null;
                    current = next;
                }
            } else {
                turns++;
                if (settings.reset().mode() == ResetMode.RECYCLE && turns >= settings.reset().turns()) {
                    recycled = true;
                }
                if (settings.reset().mode() == ResetMode.CLEAR && failure.get() == null) {
                    clear = new Turn<>(null, new CompletableFuture<>(), CLEAR);
                    current = clear;
                }
            }
        }
        if (t.isClear()) {
            if (clearFailure != null) {
                LOG.warn("worker {} {}; it will be replaced", id, clearFailure.detail());
                if (next != null) {
                    next.future.completeExceptionally(unusable(clearFailure));
                }
            } else if (next != null) {
                send(next);
            }
            return;
        }
        if (clear != null) {
            // before the caller hears of the result, so the next call finds the clear running and waits for it
            send(clear);
        }
        complete(t, r);
    }

    private <T> void complete(Turn<T> t, StreamJson.Turn r) {
        if (r.failed()) {
            boolean cancelled = t.interrupted;
            String message = cancelled ? "the turn was interrupted at the pool's request: " + r.message() : r.message();
            t.future.completeExceptionally(new WorkerErrorException(id,
                    cancelled ? ClaudeTransport.REQUEST_CANCELLED : ClaudeTransport.TURN_FAILED, message, errorData(r)));
            return;
        }
        if (r.isUnknownCommand() && t.prompt.startsWith("/")) {
            t.future.completeExceptionally(new WorkerErrorException(id, ClaudeTransport.METHOD_NOT_FOUND,
                    r.result().output() + " (the CLI found no such command in .claude/commands of its working "
                            + "directory or of its HOME)", errorData(r)));
            return;
        }
        try {
            t.future.complete(convert(t.call.resultType(), r.result()));
        } catch (ProtocolException e) {
            t.future.completeExceptionally(e);
        }
    }

    private <T> T convert(Class<T> type, ClaudeResult result) {
        if (type == ClaudeResult.class) {
            return type.cast(result);
        }
        if (type == String.class) {
            return type.cast(result.output());
        }
        Map<String, Object> map = result.toMap(process.stderrTail());
        if (type.isInstance(map)) {
            return type.cast(map);
        }
        try {
            return StreamJson.MAPPER.convertValue(map, type);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("worker " + id + ": the turn's result cannot be converted to "
                    + type.getName() + "; ask for ClaudeResult, Map or String (" + e.getMessage() + ")", e);
        }
    }

    /** The data of a failed turn's error: the result map plus the CLI's subtype, API status and errors. */
    private Map<String, Object> errorData(StreamJson.Turn r) {
        Map<String, Object> data = r.result().toMap(process.stderrTail());
        data.put("subtype", r.result().subtype());
        JsonNode status = r.raw().get("api_error_status");
        if (status != null && !status.isNull()) {
            data.put("api_error_status", StreamJson.toJava(status));
        }
        JsonNode errors = r.raw().get("errors");
        if (errors != null && !errors.isNull()) {
            data.put("errors", StreamJson.toJava(errors));
        }
        return data;
    }

    private void onProtocolError(String detail, Throwable cause) {
        String message = "worker " + id + " " + detail;
        Failure f = new Failure(true, message, NO_EXIT);
        markFailed(f);
        ProtocolException e = new ProtocolException(message, cause);
        failEverything(t -> e);
        // the turn cannot be followed any more; the CLI would only go on spending tokens
        process.kill();
    }

    /** stdout reached end-of-file: the CLI exited, or closed its stdout and went on running. */
    private void onEndOfStdout(String note) {
        int code = exitStatus(EXIT_WAIT_MILLIS);
        String what = code == NO_EXIT ? "closed its stdout" + note : "exited" + note;
        markFailed(new Failure(false, what, code));
        if (!hasPending()) {
            LOG.debug("worker {} {}", id, what);
            return;
        }
        awaitStderr();
        int c = code == NO_EXIT ? -1 : code;
        failEverything(t -> new WorkerCrashedException(id, c, what + " while "
                + (t == null ? "a control request was pending" : t.what()), process.stderrTail()));
    }

    private void onProcessExit() {
        markFailed(new Failure(false, "exited", exitStatus(0)));
        if (!hasPending()) {
            return;
        }
        // the result may still be in the pipe; if a leftover child (a tool's process) keeps stdout
        // open, no end-of-file will come, so fail what is pending after a short grace
        Thread.ofVirtual().name("warmpool-claude-exit-" + id).start(() -> {
            try {
                Thread.sleep(AFTER_EXIT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (hasPending()) {
                int code = exitStatus(EXIT_WAIT_MILLIS);
                awaitStderr();
                int c = code == NO_EXIT ? -1 : code;
                failEverything(t -> new WorkerCrashedException(id, c, "exited while "
                        + (t == null ? "a control request was pending" : t.what()), process.stderrTail()));
            }
        });
    }

    private boolean hasPending() {
        synchronized (lock) {
            if (current != null || queued != null) {
                return true;
            }
        }
        return !controls.isEmpty();
    }

    /**
     * Fails the running turn, the held call and every pending control request.
     *
     * @param error makes the exception for a turn, or for a control request when given {@code null}
     */
    private void failEverything(Function<Turn<?>, WorkerPoolException> error) {
        List<Turn<?>> turnsToFail = new ArrayList<>(2);
        synchronized (lock) {
            if (current != null) {
                turnsToFail.add(current);
                current = null;
            }
            if (queued != null) {
                turnsToFail.add(queued);
                queued = null;
            }
        }
        for (Turn<?> t : turnsToFail) {
            t.future.completeExceptionally(error.apply(t));
        }
        for (CompletableFuture<JsonNode> f : new ArrayList<>(controls.values())) {
            f.completeExceptionally(error.apply(null));
        }
    }

    /**
     * Writing to stdin failed: the CLI is gone or stopped reading. Fails whatever is pending (the
     * turn just written, a call held behind it, control requests) with a crash; may block briefly
     * for the exit status and stderr.
     */
    private void failStdin(IOException cause) {
        int code = exitStatus(EXIT_WAIT_MILLIS);
        awaitStderr();
        int c = code == NO_EXIT ? -1 : code;
        failEverything(t -> new WorkerCrashedException(id, c, "stopped reading its stdin while "
                + (t == null ? "a control request was pending" : t.what()) + " (" + cause.getMessage() + ")",
                process.stderrTail()));
    }

    private void awaitStderr() {
        process.awaitExit(Duration.ZERO, STDERR_WAIT);
    }

    private int exitStatus(long waitMillis) {
        return process.awaitExit(Duration.ofMillis(waitMillis), Duration.ZERO).orElse(NO_EXIT);
    }

    /** Records the first reason the worker is unusable; later reasons are dropped. */
    private void markFailed(Failure f) {
        failure.compareAndSet(null, f);
    }

    private WorkerPoolException unusable(Failure f) {
        if (f.protocol()) {
            return new ProtocolException(f.detail() + "; the worker is no longer usable");
        }
        int code = f.exitCode() != NO_EXIT ? f.exitCode() : exitStatus(0);
        return new WorkerCrashedException(id, code == NO_EXIT ? -1 : code,
                "had already " + f.detail() + " when the call was sent", process.stderrTail());
    }

    private static String shorten(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /**
     * Asks the CLI to interrupt the running turn with an {@code interrupt} control request; the
     * turn then ends within tens of milliseconds with an error result, which fails the call with
     * {@link ClaudeTransport#REQUEST_CANCELLED}. A call still held behind a {@code /clear} is failed
     * the same way at once, without being sent.
     *
     * @return {@code true}: the CLI can always be asked
     */
    @Override
    public boolean cancel() {
        Turn<?> held = null;
        Turn<?> running = null;
        synchronized (lock) {
            if (queued != null) {
                held = queued;
                queued = null;
            } else if (current != null && !current.isClear() && !current.interrupted) {
                running = current;
                running.interrupted = true;
            }
        }
        if (held != null) {
            held.future.completeExceptionally(new WorkerErrorException(id, ClaudeTransport.REQUEST_CANCELLED,
                    "cancelled before the turn was sent", null));
        } else if (running != null) {
            control("interrupt").whenComplete((r, e) -> {
                if (e != null) {
                    LOG.debug("worker {}: the interrupt request failed: {}", id, e.toString());
                }
            });
        }
        return true;
    }

    /**
     * A control request round trip ({@value #HEALTH}): proves the CLI is alive and reads its input,
     * in about a millisecond and without spending tokens, as a test turn would.
     */
    @Override
    public CompletableFuture<Void> ping() {
        Failure f = failure.get();
        if (f != null || !process.isAlive()) {
            return CompletableFuture.failedFuture(unusable(f != null ? f : new Failure(false, "exited", exitStatus(0))));
        }
        return control(HEALTH).thenApply(r -> null);
    }

    @Override
    public boolean isUsable() {
        return failure.get() == null && !recycled && process.isAlive();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return process.onExit();
    }

    @Override
    public CompletableFuture<Integer> stop(Duration grace) {
        markFailed(new Failure(false, "been stopped", NO_EXIT));
        return process.stop(grace);
    }

    @Override
    public void kill() {
        markFailed(new Failure(false, "been killed", NO_EXIT));
        process.kill();
    }

    @Override
    public List<String> stderrTail() {
        return process.stderrTail();
    }

    @Override
    public String toString() {
        return "ClaudeWorker[" + id + ", pid " + process.pid() + (isUsable() ? "" : ", unusable") + "]";
    }
}
