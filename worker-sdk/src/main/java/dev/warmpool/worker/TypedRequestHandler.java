package dev.warmpool.worker;

import org.jspecify.annotations.Nullable;

/**
 * A {@link RequestHandler} that takes its parameters as a Java type, converted by the server's
 * {@link com.fasterxml.jackson.databind.ObjectMapper}. Parameters that do not convert are answered
 * with -32602 invalid params before the handler runs. Registered with
 * {@link WorkerServer.Builder#method(String, Class, TypedRequestHandler)}.
 *
 * <p>On the module path the type's package must be open to {@code com.fasterxml.jackson.databind}
 * (records in an exported package are fine on the class path).
 *
 * @param <P> the parameters' type
 */
@FunctionalInterface
public interface TypedRequestHandler<P> {
    /**
     * Answers one request whose parameters were converted to {@code P}; may block, as a {@link RequestHandler}
     * may.
     *
     * @param params the request's parameters, or {@code null} when the request has none
     * @param context the request's id, cancellation state and notification channel
     * @return the result, as for {@link RequestHandler#handle}
     * @throws Exception to answer with an error, as for {@link RequestHandler#handle}
     */
    @Nullable Object handle(@Nullable P params, RequestContext context) throws Exception;
}
