package dev.warmpool.api;

/**
 * Receives the {@link Notification}s a worker sends while it runs a request.
 *
 * <p>Called on the thread that reads the worker's stdout: an implementation must be quick and must
 * not block; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface NotificationListener {
    /** A listener that ignores every notification. */
    NotificationListener NONE = n -> { };

    /**
     * Receives one notification.
     *
     * @param notification what the worker sent
     */
    void onNotification(Notification notification);
}
