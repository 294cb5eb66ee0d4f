package dev.warmpool.api;

import java.io.Serial;
import java.time.Duration;

/** A request's deadline passed: while it waited in the queue, or while a worker ran it. */
public final class RequestTimeoutException extends WorkerPoolException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Which deadline passed. */
    public enum Phase {
        /** The queue-wait deadline ({@link PoolConfig#queueTimeout()}). */
        QUEUE,
        /** The run deadline ({@link PoolConfig#requestTimeout()}). */
        RUN
    }

    /** Which deadline passed. */
    private final Phase phase;
    /** How long the request waited for a worker. */
    private final Duration queued;
    /** How long a worker ran it. */
    private final Duration ran;

    /**
     * Creates the failure for a deadline that passed.
     *
     * @param phase which deadline passed
     * @param limit the deadline that passed
     * @param queued how long the request waited for a worker
     * @param ran how long a worker ran it (zero if it never started)
     */
    public RequestTimeoutException(Phase phase, Duration limit, Duration queued, Duration ran) {
        super(message(phase, limit, queued, ran));
        this.phase = phase;
        this.queued = queued;
        this.ran = ran;
    }

    private static String message(Phase phase, Duration limit, Duration queued, Duration ran) {
        String which = phase == Phase.QUEUE ? "queue-wait deadline" : "run deadline";
        return "request timed out: the " + which + " of " + Durations.format(limit)
                + " passed (waited " + Durations.format(queued) + " in the queue, ran "
                + Durations.format(ran) + ")";
    }

    /** {@return which deadline passed} */
    public Phase phase() {
        return phase;
    }

    /** {@return how long the request waited in the queue} */
    public Duration queued() {
        return queued;
    }

    /** {@return how long a worker ran the request; zero if it never started} */
    public Duration ran() {
        return ran;
    }
}
