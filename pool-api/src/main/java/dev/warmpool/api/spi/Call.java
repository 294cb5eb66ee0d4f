package dev.warmpool.api.spi;

import dev.warmpool.api.NotificationListener;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call as the pool hands it to a {@link Worker}.
 *
 * @param method the method to call
 * @param params the parameters, or {@code null}
 * @param resultType the type the transport converts the result to
 * @param listener receives the worker's notifications while the call runs
 * @param <T> the result type
 */
public record Call<T>(String method, @Nullable Object params, Class<T> resultType, NotificationListener listener) {
    /** Checks the components. */
    public Call {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(listener, "listener");
    }
}
