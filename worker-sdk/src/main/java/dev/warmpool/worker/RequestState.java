package dev.warmpool.worker;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request to a registered handler, from the moment it is read until it is answered: what the
 * handler gets ({@link RequestContext}), its cancellation state, and the thread running it (so a
 * cancellation can interrupt that thread, and only while the handler runs).
 */
final class RequestState implements RequestContext, Session.Work {
    private static final System.Logger LOG = WorkerServer.log();

    final String method;
    /** The id exactly as received; a {@code MissingNode} for a notification. */
    final JsonNode id;
    final RequestHandler handler;
    /** An object, an array, or a {@code NullNode} when the request had none. */
    final JsonNode params;
    private final Session session;
    private final boolean interruptOnCancel;
    /** Guarded by {@code this}; made on the first {@link #onCancel}. */
    private @Nullable List<Runnable> hooks;
    /** Guarded by {@code this}: the thread running the handler, between {@link #begin} and {@link #finish}. */
    private @Nullable Thread thread;
    /** The lane that answers, whose encoder the handler's own notifications may borrow on its thread. */
    private volatile @Nullable Lane lane;
    private boolean done;
    private volatile boolean cancelled;

    RequestState(Session session, String method, JsonNode id, RequestHandler handler, JsonNode params,
            boolean interruptOnCancel) {
        this.session = session;
        this.method = method;
        this.id = id;
        this.handler = handler;
        this.params = params;
        this.interruptOnCancel = interruptOnCancel;
    }

    boolean isNotification() {
        return id.isMissingNode();
    }

    synchronized void begin(Lane l) {
        lane = l;
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
            toRun = hooks == null ? List.of() : List.copyOf(hooks);
            hooks = null;
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
        return isNotification() ? Optional.empty() : Optional.of(id);
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
                    if (hooks == null) {
                        hooks = new ArrayList<>(2);
                    }
                    hooks.add(hook);
                }
                return;
            }
        }
        runHook(hook);
    }

    @Override
    public void progress(Object value) {
        send(Session.Notification.PROGRESS, null, value, null);
    }

    @Override
    public void log(String level, String message) {
        send(Session.Notification.LOG, Objects.requireNonNull(level, "level"), null,
                Objects.requireNonNull(message, "message"));
    }

    @Override
    public void notify(String method, @Nullable Object params) {
        send(Session.Notification.OTHER, Objects.requireNonNull(method, "method"), params, null);
    }

    private void send(Session.Notification kind, @Nullable String name, @Nullable Object value, @Nullable String text) {
        Lane own;
        synchronized (this) {
            if (done) {
                LOG.log(DEBUG, () -> "dropped a notification sent after request " + id + " (" + method + ") finished");
                return;
            }
            own = thread == Thread.currentThread() ? lane : null;
        }
        session.notify(own, kind, id, name, value, text);
    }
}
