package dev.warmpool.core;

import dev.warmpool.api.Notification;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolListener;
import dev.warmpool.api.Request;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's listeners: {@link PoolListener}s for its events, and pool-wide
 * {@link NotificationListener}s beside each request's own. Listeners are called on the thread that
 * emits, never under the pool's lock; one that throws is logged and skipped. Thread-safe.
 */
final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);

    private final Clock clock;
    private final List<PoolListener> listeners = new CopyOnWriteArrayList<>();
    private final List<NotificationListener> notificationListeners = new CopyOnWriteArrayList<>();

    Events(Clock clock) {
        this.clock = clock;
    }

    void add(PoolListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    boolean remove(PoolListener l) {
        return listeners.remove(Objects.requireNonNull(l, "listener"));
    }

    void addNotifications(NotificationListener l) {
        notificationListeners.add(Objects.requireNonNull(l, "listener"));
    }

    boolean removeNotifications(NotificationListener l) {
        return notificationListeners.remove(Objects.requireNonNull(l, "listener"));
    }

    /** Emits an event about one worker. */
    void worker(PoolEvent.Type type, Slot slot, String detail) {
        emit(type, Optional.of(slot.id), slot.pid(), detail);
    }

    /** Emits an event about the whole pool. */
    void pool(PoolEvent.Type type, String detail) {
        emit(type, Optional.empty(), OptionalLong.empty(), detail);
    }

    private void emit(PoolEvent.Type type, Optional<String> workerId, OptionalLong pid, String detail) {
        if (listeners.isEmpty()) {
            return;
        }
        PoolEvent e = new PoolEvent(type, workerId, pid, detail, clock.instant());
        for (PoolListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("a pool listener failed on {}", type, ex);
            }
        }
    }

    /**
     * @param r a request
     * @return the listener its worker's notifications go to: its own, then the pool-wide ones (a
     *     pool-wide listener added while no other was there hears only requests submitted after it)
     */
    NotificationListener listenerFor(Request<?> r) {
        NotificationListener own = r.listener();
        if (notificationListeners.isEmpty()) {
            return own;
        }
        return n -> {
            deliver(own, n);
            for (NotificationListener l : notificationListeners) {
                deliver(l, n);
            }
        };
    }

    private static void deliver(NotificationListener l, Notification n) {
        try {
            l.onNotification(n);
        } catch (RuntimeException e) {
            LOG.warn("a notification listener failed on {} from {}", n.method(), n.workerId(), e);
        }
    }
}
