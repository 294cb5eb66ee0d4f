package dev.warmpool.handler;

import java.util.List;
import java.util.Objects;

/**
 * How one cold {@code claude -p} went, before it is read as a {@link HandlerResult}.
 *
 * @param end how the run ended
 * @param exitCode the process's exit status, or -1 if it did not exit on its own
 * @param stdout what it printed (its JSON result), up to the output limit
 * @param stderr what it wrote to stderr, its last lines if more, oldest first
 * @param detail why it did not run or did not end, for a person; empty if it exited
 */
record ColdRun(End end, int exitCode, String stdout, List<String> stderr, String detail) {
    /** How a cold run ended. */
    enum End {
        /** The process exited by itself. */
        EXITED,
        /** The process could not be started. */
        NOT_STARTED,
        /** No cold slot came free within the request timeout. */
        NO_SLOT,
        /** The request timeout passed while it ran; it was killed. */
        TIMED_OUT,
        /** The handler pool shut down before it started, or while it ran (then it was killed). */
        SHUT_DOWN
    }

    ColdRun {
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(stdout, "stdout");
        stderr = List.copyOf(stderr);
        Objects.requireNonNull(detail, "detail");
    }

    static ColdRun notRun(End end, String detail) {
        return new ColdRun(end, -1, "", List.of(), detail);
    }
}
