package dev.warmpool.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request to the pool: a method, its parameters, the type its result is converted to, and
 * optionally its own run deadline and a listener for the worker's notifications. Immutable; the
 * {@code with…} methods return a copy.
 *
 * @param <T> the type of the result
 */
public final class Request<T> {
    private final String method;
    private final @Nullable Object params;
    private final Class<T> resultType;
    private final @Nullable Duration timeout;
    private final NotificationListener listener;

    private Request(String method, @Nullable Object params, Class<T> resultType, @Nullable Duration timeout,
                    NotificationListener listener) {
        this.method = Objects.requireNonNull(method, "method");
        this.params = params;
        this.resultType = Objects.requireNonNull(resultType, "resultType");
        this.timeout = timeout;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Makes a request with plain-value parameters and result, no deadline of its own and no listener.
     *
     * @param method the method to call; for the {@code line} transport it is ignored
     * @param params the parameters: a map, a list, a string, a number, a record or bean the transport can encode, or {@code null}
     * @return a request whose result is plain Java values (maps, lists, strings, numbers, booleans)
     */
    public static Request<Object> of(String method, @Nullable Object params) {
        return new Request<>(method, params, Object.class, null, NotificationListener.NONE);
    }

    /**
     * Returns a copy whose result is converted to another type.
     *
     * @param type the type the result is converted to
     * @param <R> the result type
     * @return a copy whose result is converted to {@code type}
     */
    public <R> Request<R> returning(Class<R> type) {
        return new Request<>(method, params, type, timeout, listener);
    }

    /**
     * Returns a copy with its own run deadline.
     *
     * @param runTimeout this request's run deadline, overriding {@link PoolConfig#requestTimeout()}
     * @return a copy with that deadline
     * @throws IllegalArgumentException if the deadline is not positive
     */
    public Request<T> withTimeout(Duration runTimeout) {
        if (runTimeout.isNegative() || runTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout is " + Durations.format(runTimeout) + ", but must be positive");
        }
        return new Request<>(method, params, resultType, runTimeout, listener);
    }

    /**
     * Returns a copy with a listener for the worker's notifications.
     *
     * @param notificationListener receives the worker's notifications while it runs this request
     * @return a copy with that listener
     */
    public Request<T> withListener(NotificationListener notificationListener) {
        return new Request<>(method, params, resultType, timeout, notificationListener);
    }

    /** {@return the method to call} */
    public String method() {
        return method;
    }

    /** {@return the parameters, or {@code null} for none} */
    public @Nullable Object params() {
        return params;
    }

    /** {@return the type the result is converted to} */
    public Class<T> resultType() {
        return resultType;
    }

    /** {@return this request's own run deadline, if it has one} */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** {@return the listener for the worker's notifications ({@link NotificationListener#NONE} by default)} */
    public NotificationListener listener() {
        return listener;
    }

    @Override
    public String toString() {
        return "Request[" + method + "]";
    }
}
