package dev.warmpool.api;

import org.jspecify.annotations.Nullable;

/**
 * A message a worker sent while it ran a request that is not the request's answer: a log line,
 * progress, a partial result. Delivered to the request's and the pool's {@link NotificationListener}.
 *
 * @param workerId the worker that sent it
 * @param method the notification's method, e.g. {@code "$/progress"} or {@code "$/log"}
 * @param params its parameters as plain Java values (maps, lists, strings, numbers, booleans), or {@code null}
 */
public record Notification(String workerId, String method, @Nullable Object params) {
}
