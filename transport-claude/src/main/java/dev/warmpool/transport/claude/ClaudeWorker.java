package dev.warmpool.transport.claude;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.api.Notification;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.transport.claude.ClaudeSettings.ResetMode;
import dev.warmpool.transport.stdio.Framing;
import dev.warmpool.transport.stdio.ProcessWorker;
import dev.warmpool.transport.stdio.WorkerChannel;
import dev.warmpool.transport.stdio.WorkerFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warm Claude Code CLI process: the {@link ClaudeTransport}'s worker. The process plumbing
 * (reader thread, writes that never block, crash and start-failure wording, timings) is
 * {@link ProcessWorker}'s; this class holds the stream-json turn state machine.
 *
 * <p>A call is written as one user message; the turn ends with the CLI's {@code result} line.
 * With the {@code clear} reset policy the worker writes {@code /clear} right after a turn's result
 * arrives and before the caller's future completes, so the caller never waits for it; a call that
 * arrives while the {@code /clear} is still running is held and written when the clear's own
 * result comes (the CLI answers {@code /clear} in 15–40 ms without an API call).
 */
final class ClaudeWorker extends ProcessWorker {
    private static final Logger LOG = LoggerFactory.getLogger(ClaudeWorker.class);

    static final String CLEAR = "/clear";
    static final String ASSISTANT_NOTIFICATION = "claude/assistant";
    static final String SYSTEM_NOTIFICATION = "claude/system";
    /** The control request used for readiness: the CLI answers it once it is up (0.7–1 s after spawn). */
    static final String INITIALIZE = "initialize";
    /** The control request used for health checks: answered in about a millisecond, costs no tokens. */
    static final String HEALTH = "mcp_status";

    /** One user turn, or the worker's own {@code /clear} (no call). */
    private static final class Turn<T> {
        /** Null for the worker's own {@code /clear} turn. */
        final @Nullable Call<T> call;
        final CompletableFuture<@Nullable T> future;
        final String prompt;
        final byte[] line;
        volatile boolean interrupted;

        Turn(@Nullable Call<T> call, CompletableFuture<@Nullable T> future, String prompt) {
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

    private final ClaudeSettings settings;
    private final Map<String, CompletableFuture<JsonNode>> controls = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    /** The turn written to the CLI whose result has not come yet. Guarded by {@link #lock}. */
    private @Nullable Turn<?> current;
    /** A call that waits for the running {@code /clear} to finish. Guarded by {@link #lock}. */
    private @Nullable Turn<?> queued;
    /** User turns answered. Guarded by {@link #lock}. */
    private int turns;
    /** The CLI's running total cost after the last result. Guarded by {@link #lock}. */
    private double cumulativeCost;
    /** Set once the {@code recycle:N} policy's N turns are done. */
    private volatile boolean recycled;

    ClaudeWorker(WorkerChannel channel, WorkerSpec spec, ClaudeSettings settings) {
        super(ClaudeTransport.NAME, channel, spec, Framing.NEWLINE);
        this.settings = settings;
    }

    /**
     * Starts reading and, with {@code handshake}, waits until the CLI answers an {@code initialize}
     * control request (success or error: either way it read and answered it).
     *
     * @throws dev.warmpool.api.WorkerStartException if it exits or does not answer within the start
     *     timeout; it is killed then
     */
    void open(boolean handshake) {
        startReading();
        if (handshake) {
            awaitReady(control(INITIALIZE),
                    new Readiness("answer its initialize request", "answered its initialize request"));
        }
    }

    @Override
    public <T> CompletableFuture<@Nullable T> call(Call<T> call) {
        CompletableFuture<@Nullable T> f = new CompletableFuture<>();
        if (refuse(f, "the call")) {
            return f;
        }
        String prompt;
        try {
            prompt = Prompts.render(call.method(), call.params(), settings.promptTemplate());
        } catch (Prompts.Rejected e) {
            f.completeExceptionally(new WorkerErrorException(id(), e.code(), Objects.requireNonNullElse(e.getMessage(), ""),
                    null));
            return f;
        }
        Turn<T> t = new Turn<>(call, f, prompt);
        int max = spec().maxFrameBytes();
        if (t.line.length > max) {
            f.completeExceptionally(new IllegalArgumentException("the user message of " + t.line.length
                    + " bytes exceeds the limit of " + max + " bytes (maxFrameBytes) (worker " + id()
                    + "; nothing was sent)"));
            return f;
        }
        boolean sendNow;
        synchronized (lock) {
            if (queued != null || (current != null && !current.isClear())) {
                f.completeExceptionally(new IllegalStateException("worker " + id()
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
        // the worker may have ended just before the turn was registered: failInFlight then did not see it
        Optional<WorkerPoolException> late = refusal("the call");
        if (late.isPresent()) {
            if (take(t)) {
                f.completeExceptionally(late.get());
            }
            return f;
        }
        if (sendNow) {
            send(t.line);
        }
        return f;
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
        if (refuse(f, "the " + subtype + " request")) {
            return f;
        }
        String requestId = UUID.randomUUID().toString();
        controls.put(requestId, f);
        f.whenComplete((r, e) -> controls.remove(requestId));
        if (!refuse(f, "the " + subtype + " request")) {
            send(StreamJson.controlRequest(requestId, subtype));
        }
        return f;
    }

    @Override
    protected void onFrame(byte[] frame) {
        Optional<JsonNode> parsed = StreamJson.parse(frame);
        if (parsed.isEmpty()) {
            String text = shorten(new String(frame, StandardCharsets.UTF_8));
            if (spec().strictOutput()) {
                protocolViolation("printed a line that is not a JSON object: '" + text + "' (strictOutput)", null);
            } else {
                LOG.warn("worker {} printed a line that is not a JSON object; skipped: {}", id(), text);
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
                    LOG.trace("worker {}: turn started in session {}", id(), m.path("session_id").asText(""));
                } else {
                    notifyTurn(SYSTEM_NOTIFICATION, m);
                }
            }
            case "control_response" -> onControlResponse(m);
            case "control_request" -> refuseControlRequest(m);
            default -> LOG.trace("worker {}: skipped a message of type '{}'", id(), type);
        }
    }

    private void notifyTurn(String method, JsonNode message) {
        Turn<?> t;
        synchronized (lock) {
            t = current;
        }
        if (t == null || t.call == null) { // (no call: the worker's own /clear turn)
            return;
        }
        NotificationListener listener = t.call.listener();
        @SuppressWarnings("ReferenceEquality") // NONE is a sentinel: only that instance means "no listener"
        boolean none = listener == NotificationListener.NONE;
        if (none) {
            return;
        }
        try {
            listener.onNotification(new Notification(id(), method, StreamJson.toJava(message)));
        } catch (RuntimeException e) {
            LOG.warn("worker {}: a notification listener failed on {}", id(), method, e);
        }
    }

    private void onControlResponse(JsonNode m) {
        JsonNode response = m.path("response");
        String requestId = response.path("request_id").asText("");
        CompletableFuture<JsonNode> f = controls.remove(requestId);
        if (f == null) {
            LOG.debug("worker {}: a control response for an unknown request '{}'", id(), requestId);
            return;
        }
        if (response.path("subtype").asText("").equals("error")) {
            LOG.debug("worker {}: the CLI refused control request {}: {}", id(), requestId,
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
                + "(use --permission-mode or --allowedTools in the command instead of a prompt tool)", id(), subtype);
        send(StreamJson.controlError(requestId, "warmpool does not answer '" + subtype + "' requests"));
    }

    private void onResult(JsonNode message) {
        Turn<?> t;
        Turn<?> next = null;
        Turn<Void> clear = null;
        StreamJson.Turn r;
        synchronized (lock) {
            r = StreamJson.result(message, cumulativeCost);
            cumulativeCost = r.cumulativeCost();
            t = current;
            if (t == null) {
                LOG.debug("worker {}: a result while no turn was running; skipped", id());
                return;
            }
            current = null;
            if (t.isClear()) {
                if (!r.failed() && queued != null) {
                    next = queued;
                    queued = null;
                    current = next;
                }
            } else {
                turns++;
                if (settings.reset().mode() == ResetMode.RECYCLE && turns >= settings.reset().turns()) {
                    recycled = true;
                }
                if (settings.reset().mode() == ResetMode.CLEAR && failure().isEmpty()) {
                    clear = new Turn<>(null, new CompletableFuture<>(), CLEAR);
                    current = clear;
                }
            }
        }
        if (t.isClear()) {
            if (r.failed()) {
                // a held call fails with the violation; the pool replaces the worker
                protocolViolation("could not clear its conversation: " + r.message(), null);
            } else if (next != null) {
                send(next.line);
            }
            return;
        }
        if (clear != null) {
            // before the caller hears of the result, so the next call finds the clear running and waits for it
            send(clear.line);
        }
        complete(t, r);
    }

    private <T> void complete(Turn<T> t, StreamJson.Turn r) {
        if (r.failed()) {
            boolean cancelled = t.interrupted;
            String message = cancelled ? "the turn was interrupted at the pool's request: " + r.message() : r.message();
            t.future.completeExceptionally(new WorkerErrorException(id(),
                    cancelled ? ClaudeTransport.REQUEST_CANCELLED : ClaudeTransport.TURN_FAILED, message, errorData(r)));
            return;
        }
        if (r.isUnknownCommand() && t.prompt.startsWith("/")) {
            t.future.completeExceptionally(new WorkerErrorException(id(), ClaudeTransport.METHOD_NOT_FOUND,
                    r.result().output() + " (the CLI found no such command in .claude/commands of its working "
                            + "directory or of its HOME)", errorData(r)));
            return;
        }
        try {
            // (the caller returned above for the /clear turn, the one turn without a call)
            t.future.complete(convert(Objects.requireNonNull(t.call, "call").resultType(), r.result()));
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
        Map<String, Object> map = result.toMap(stderrTail());
        if (type.isInstance(map)) {
            return type.cast(map);
        }
        try {
            return StreamJson.MAPPER.convertValue(map, type);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("worker " + id() + ": the turn's result cannot be converted to "
                    + type.getName() + "; ask for ClaudeResult, Map or String (" + e.getMessage() + ")", e);
        }
    }

    /** The data of a failed turn's error: the result map plus the CLI's subtype, API status and errors. */
    private Map<String, Object> errorData(StreamJson.Turn r) {
        Map<String, Object> data = r.result().toMap(stderrTail());
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

    /** The turn cannot be followed any more; the CLI would only go on spending tokens. */
    @Override
    protected void violated(WorkerFailure failure) {
        kill();
    }

    @Override
    protected boolean hasInFlight() {
        synchronized (lock) {
            if (current != null || queued != null) {
                return true;
            }
        }
        return !controls.isEmpty();
    }

    /** Fails the running turn, the held call and every pending control request. */
    @Override
    protected void failInFlight(WorkerFailure failure) {
        @Nullable Turn<?> running;
        @Nullable Turn<?> held;
        synchronized (lock) {
            running = current;
            held = queued;
            current = null;
            queued = null;
        }
        if (running != null) {
            running.future.completeExceptionally(failure.during(running.what()));
        }
        if (held != null) {
            held.future.completeExceptionally(failure.during("a call waited for its /clear"));
        }
        for (CompletableFuture<JsonNode> f : new ArrayList<>(controls.values())) {
            f.completeExceptionally(failure.during("a control request was pending"));
        }
    }

    private static String shorten(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /**
     * Asks the CLI to interrupt the running turn with an {@code interrupt} control request; the
     * turn then ends within tens of milliseconds with an error result, which fails the call with
     * {@link ClaudeTransport#REQUEST_CANCELLED}. A call still held behind a {@code /clear} is failed
     * the same way at once, without being sent. Never blocks: behind a stuck write the request waits
     * in the writer's queue.
     *
     * @return {@code true}: the CLI can always be asked
     */
    @Override
    public boolean cancel() {
        Turn<?> held = null;
        @Nullable Turn<?> running = null;
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
            held.future.completeExceptionally(new WorkerErrorException(id(), ClaudeTransport.REQUEST_CANCELLED,
                    "cancelled before the turn was sent", null));
        } else if (running != null) {
            control("interrupt").whenComplete((r, e) -> {
                if (e != null) {
                    LOG.debug("worker {}: the interrupt request failed: {}", id(), e.toString());
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
        return control(HEALTH).thenApply(r -> null);
    }

    @Override
    public boolean isUsable() {
        return super.isUsable() && !recycled;
    }
}
