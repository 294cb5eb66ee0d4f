package dev.warmpool.transport.jsonrpc;

import dev.warmpool.api.NotificationListener;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The requests a {@link JsonRpcWorker} has sent and not yet seen end: calls, the handshake, pings.
 * Each ends exactly once, by whoever removes it first (its answer, a violation, the worker's end),
 * and that one completes its future.
 *
 * <p>Thread-safe.
 */
final class InFlight {
    private final Map<Long, Pending<?>> byId = new ConcurrentHashMap<>();
    /** The pool's call in flight, which cancellations and notifications are about; ping and handshake are not calls. */
    private final AtomicReference<@Nullable Pending<?>> current = new AtomicReference<>();

    /** A request in flight. */
    static final class Pending<T> {
        final long id;
        final String method;
        final Class<T> type;
        final NotificationListener listener;
        final CompletableFuture<@Nullable T> future = new CompletableFuture<>();

        Pending(long id, String method, Class<T> type, NotificationListener listener) {
            this.id = id;
            this.method = method;
            this.type = type;
            this.listener = listener;
        }

        /** @return "request 3 (echo)" */
        String describe() {
            return "request " + id + " (" + method + ")";
        }
    }

    /** @param isCall whether it is the pool's call (the one cancellations and notifications are about) */
    void add(Pending<?> p, boolean isCall) {
        byId.put(p.id, p);
        if (isCall) {
            current.set(p);
        }
    }

    /** @return the request with this id, if it is in flight */
    @Nullable Pending<?> get(long id) {
        return byId.get(id);
    }

    /** @return the call in flight, if any; else the only request in flight, if there is exactly one */
    Optional<Pending<?>> currentOrOnly() {
        Pending<?> p = current.get();
        if (p != null && !p.future.isDone()) {
            return Optional.of(p);
        }
        if (byId.size() == 1) {
            return byId.values().stream().findFirst();
        }
        return Optional.empty();
    }

    /** @return the pool's call in flight, if any */
    Optional<Pending<?>> call() {
        Pending<?> p = current.get();
        return p == null || p.future.isDone() ? Optional.empty() : Optional.of(p);
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    /** @return what is in flight now */
    List<Pending<?>> all() {
        return List.copyOf(byId.values());
    }

    /**
     * Completes the request with a value of its result type.
     *
     * @return {@code false} if it had already ended another way
     */
    @SuppressWarnings("unchecked")
    <T> boolean complete(Pending<T> p, @Nullable Object value) {
        if (!end(p)) {
            return false;
        }
        p.future.complete((@Nullable T) value);
        return true;
    }

    /** @return {@code false} if it had already ended another way */
    boolean fail(Pending<?> p, Throwable why) {
        if (!end(p)) {
            return false;
        }
        p.future.completeExceptionally(why);
        return true;
    }

    private boolean end(Pending<?> p) {
        if (!byId.remove(p.id, p)) {
            return false;
        }
        current.compareAndSet(p, null);
        return true;
    }
}
