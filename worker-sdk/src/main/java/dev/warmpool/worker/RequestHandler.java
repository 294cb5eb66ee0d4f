package dev.warmpool.worker;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * Answers the requests (and notifications) for one method of a {@link WorkerServer}.
 *
 * <p>Called on the thread that read its request (or on the server's executor, if it has one); it
 * may block, since another thread reads stdin meanwhile, and several may run at once when requests
 * arrive together. What it returns becomes the response's {@code result}; what it throws becomes
 * the response's {@code error}:
 * <ul>
 *   <li>{@link JsonRpcError} (and {@link InvalidParamsException}): its code, message and data;</li>
 *   <li>{@link IllegalArgumentException}: -32602 invalid params with its message;</li>
 *   <li>anything else: -32603 internal error with its message and {@code {"exception": class name}}
 *       as data (the stack trace goes to stderr);</li>
 *   <li>anything at all, once the request was cancelled: -32800 "request cancelled".</li>
 * </ul>
 * For a notification (a request without an id) the result is dropped and an exception is only logged.
 */
@FunctionalInterface
public interface RequestHandler {
    /**
     * Answers one request, as described above; may block.
     *
     * @param params the request's {@code params}: an object or array node, or a
     *     {@link com.fasterxml.jackson.databind.node.NullNode} when the request has none
     * @param context the request's id, cancellation state and notification channel
     * @return the result: anything the server's {@link com.fasterxml.jackson.databind.ObjectMapper}
     *     can write (a {@code JsonNode}, a record, a map, a string...), or {@code null}
     * @throws Exception to answer with an error, as described above
     */
    @Nullable Object handle(JsonNode params, RequestContext context) throws Exception;
}
