package dev.warmpool.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RequestHandler} knows about the request it runs and how it talks back while it
 * runs: cancellation, progress and log notifications.
 *
 * <p>Thread-safe: a handler may hand the context to threads of its own. Notifications sent after
 * the handler returned are dropped (the pool has moved on to another request).
 */
public interface RequestContext {
    /** {@return the method the request called} */
    String method();

    /**
     * Gives the id the caller sent with the request, for a handler that logs or tracks its requests.
     *
     * @return the request's id exactly as it was sent (a string or number node), or empty for a
     *     notification
     */
    Optional<JsonNode> id();

    /** {@return whether the pool asked to cancel this request} */
    boolean isCancelled();

    /**
     * Throws if the pool asked to cancel this request: a convenient check in a loop.
     *
     * @throws JsonRpcError -32800 "request cancelled", if cancelled
     */
    void checkCancelled();

    /**
     * Registers something to run when the pool cancels this request (at once, if it already has).
     * Hooks run on the thread that reads stdin, which reads nothing else meanwhile, so they must be
     * quick.
     *
     * @param hook what to run
     */
    void onCancel(Runnable hook);

    /**
     * Sends {@code $/progress} {@code {"id": <request id>, "value": value}}; the pool hands it to the
     * request's {@code NotificationListener}.
     *
     * @param value anything the server's mapper can write
     */
    void progress(Object value);

    /**
     * Sends {@code $/log} {@code {"id": <request id>, "level": level, "message": message}}.
     *
     * @param level e.g. {@code "info"}, {@code "warn"}
     * @param message the text
     */
    void log(String level, String message);

    /**
     * Sends any notification to the pool while this request runs.
     *
     * @param method the notification's method
     * @param params its parameters (anything the server's mapper can write), or {@code null}
     */
    void notify(String method, @Nullable Object params);
}
