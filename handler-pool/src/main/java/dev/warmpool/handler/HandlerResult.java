package dev.warmpool.handler;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one event's handler did: the result the original listener got from {@code claude -p}
 * ({@code success}, {@code output}, {@code stderr}), with the cost, the time, how the event was
 * served, and why it failed. A handler that fails is a result with {@code success} false, never an
 * exception. Immutable.
 *
 * @param success whether the handler's turn ran and ended without error
 * @param output the turn's final text (the CLI's {@code result}); for {@link Failure#HANDLER_ERROR}
 *     the CLI's error text; empty when the turn did not end
 * @param stderr what the CLI wrote to its stderr for this event, lines joined with {@code "\n"}.
 *     Cold: everything the process wrote (its last lines, if it wrote more than the pool keeps).
 *     Warm: the lines the worker wrote between the moment the event was handed to it and its
 *     result, as far as they had been read by then — stderr is a pipe of its own, so a line the CLI
 *     writes in the last moment before its result may be missed, and a line written while it was
 *     still clearing the previous event's conversation may be counted
 * @param costUsd what this event cost in US dollars, as the CLI reports it; 0 if unknown
 * @param duration from {@link HandlerPool#execute} to this result, as the caller waited
 * @param turnDuration the turn's own time as the CLI reports it ({@code duration_ms}); zero if the turn did not end
 * @param servedBy whether a warm worker or a cold process served the event
 * @param failure why it failed; {@link Failure#NONE} exactly when {@code success}
 * @param error what went wrong, for a person (the limit, the exit status, the CLI's message); empty on success
 */
public record HandlerResult(boolean success, String output, String stderr, double costUsd, Duration duration,
                            Duration turnDuration, Serving servedBy, Failure failure, String error) {

    /** Why an event's handler did not succeed. */
    public enum Failure {
        /** It succeeded. */
        NONE,
        /** The turn ran and ended with an error: an API error after the CLI's retries, too many turns, … */
        HANDLER_ERROR,
        /** The CLI knows no command of that name in the project's (or its {@code HOME}'s) {@code .claude/commands}. */
        UNKNOWN_HANDLER,
        /** {@code HANDLER_REQUEST_TIMEOUT} passed while the event waited for a worker or ran. */
        TIMEOUT,
        /** The CLI died, or broke its output protocol, while it ran the event. */
        CRASHED,
        /** The event was not run: a bad handler name or event, the pool shutting down, full, or unable to start workers. */
        REJECTED,
        /** In {@code auto} mode the event was served cold because the warm pool could not, and the cold run failed too. */
        FALLBACK_FAILED,
        /**
         * The caller cancelled the future {@link HandlerPool#execute} returned: the warm worker was
         * asked to interrupt its turn (and is replaced if it does not within the pool's cancel
         * grace), or the cold CLI was killed. Only the metrics see this result; the caller's future
         * is cancelled.
         */
        CANCELLED
    }

    /** Checks the components: {@code success} exactly when {@code failure} is {@link Failure#NONE}. */
    public HandlerResult {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(turnDuration, "turnDuration");
        Objects.requireNonNull(servedBy, "servedBy");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(error, "error");
        if (success != (failure == Failure.NONE)) {
            throw new IllegalArgumentException("success is " + success + " but failure is " + failure);
        }
    }

    /**
     * The result as the plan's map, for a JSON line: {@code success}, {@code output}, {@code stderr},
     * then {@code failure} (lower case), {@code error}, {@code served_by}, {@code cost_usd},
     * {@code duration_ms}, {@code turn_duration_ms}.
     *
     * @return a new mutable map in that order
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", success);
        m.put("output", output);
        m.put("stderr", stderr);
        m.put("failure", failure.name().toLowerCase(java.util.Locale.ROOT));
        m.put("error", error);
        m.put("served_by", servedBy.name().toLowerCase(java.util.Locale.ROOT));
        m.put("cost_usd", costUsd);
        m.put("duration_ms", duration.toMillis());
        m.put("turn_duration_ms", turnDuration.toMillis());
        return m;
    }
}
