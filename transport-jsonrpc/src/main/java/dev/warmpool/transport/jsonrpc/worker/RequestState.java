package dev.warmpool.transport.jsonrpc.worker;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warmpool.transport.jsonrpc.JsonRpcProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The {@link RequestContext} of one request: its cancellation state and its way to notify. */
final class RequestState implements RequestContext {
    private static final System.Logger LOG = WorkerServer.log();

    private final Session session;
    private final String method;
    private final JsonNode id;
    private final boolean interruptOnCancel;
    /** Guarded by {@code this}. */
    private final List<Runnable> hooks = new ArrayList<>(0);
    private Thread thread;
    private boolean done;
    private volatile boolean cancelled;

    RequestState(Session session, String method, JsonNode id, boolean interruptOnCancel) {
        this.session = session;
        this.method = method;
        this.id = id;
        this.interruptOnCancel = interruptOnCancel;
    }

    JsonNode rawId() {
        return id;
    }

    synchronized void begin() {
        thread = Thread.currentThread();
        if (cancelled && interruptOnCancel) {
            thread.interrupt();
        }
    }

    /** @return whether the request was cancelled before it finished */
    synchronized boolean finish() {
        done = true;
        thread = null;
        return cancelled;
    }

    void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (done || cancelled) {
                return;
            }
            cancelled = true;
            if (interruptOnCancel && thread != null) {
                thread.interrupt();
            }
            toRun = List.copyOf(hooks);
            hooks.clear();
        }
        toRun.forEach(RequestState::runHook);
    }

    private static void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.log(WARNING, "a cancel hook failed", e);
        }
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public Optional<JsonNode> id() {
        return Optional.ofNullable(id);
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void checkCancelled() {
        if (cancelled) {
            throw JsonRpcError.requestCancelled();
        }
    }

    @Override
    public void onCancel(Runnable hook) {
        Objects.requireNonNull(hook, "hook");
        synchronized (this) {
            if (!cancelled) {
                if (!done) {
                    hooks.add(hook);
                }
                return;
            }
        }
        runHook(hook);
    }

    @Override
    public void progress(Object value) {
        ObjectNode params = session.mapper().createObjectNode();
        if (id != null) {
            params.set("id", id);
        }
        params.set("value", session.mapper().valueToTree(value));
        notify(JsonRpcProtocol.PROGRESS, params);
    }

    @Override
    public void log(String level, String message) {
        ObjectNode params = session.mapper().createObjectNode();
        if (id != null) {
            params.set("id", id);
        }
        params.put("level", Objects.requireNonNull(level, "level"));
        params.put("message", Objects.requireNonNull(message, "message"));
        notify(JsonRpcProtocol.LOG, params);
    }

    @Override
    public void notify(String method, Object params) {
        Objects.requireNonNull(method, "method");
        synchronized (this) {
            if (done) {
                LOG.log(DEBUG, "dropped notification " + method + " sent after request " + id + " finished");
                return;
            }
        }
        session.notify(method, params);
    }
}
