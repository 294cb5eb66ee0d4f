package dev.warmpool.transport.stdio;

import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerPoolException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Why a {@link ProcessWorker} can no longer serve: it ended (exited, closed a pipe), it broke its
 * wire contract, or the pool stopped or killed it. Made by the base only, and turned into the
 * exception each affected request fails with by {@link #during(String)}, so every transport words
 * a crash the same way.
 *
 * <p>Immutable and thread-safe.
 */
public final class WorkerFailure {
    /** What kind of failure. */
    public enum Kind {
        /** The worker exited, closed its stdout or stdin, or stopped reading its input. */
        CRASHED,
        /** The worker broke the transport's wire contract. */
        PROTOCOL,
        /** The pool stopped or killed the worker. */
        STOPPED
    }

    private final String workerId;
    private final Kind kind;
    private final String detail;
    private final String note;
    private final OptionalInt exitStatus;
    private final List<String> stderrTail;
    private final @Nullable Throwable cause;

    private WorkerFailure(String workerId, Kind kind, String detail, String note, OptionalInt exitStatus,
                          List<String> stderrTail, @Nullable Throwable cause) {
        this.workerId = workerId;
        this.kind = kind;
        this.detail = detail;
        this.note = note;
        this.exitStatus = exitStatus;
        this.stderrTail = List.copyOf(stderrTail);
        this.cause = cause;
    }

    /**
     * @param detail what the worker did, in the past tense: "exited", "closed its stdout"
     * @param note an explanation appended after the activity, e.g. " (its last line was cut off)", or ""
     */
    static WorkerFailure crashed(String workerId, String detail, String note, OptionalInt status, List<String> tail) {
        return new WorkerFailure(workerId, Kind.CRASHED, detail, note, status, tail, null);
    }

    /** @param message the whole message, starting with "worker ID " */
    static WorkerFailure protocol(String workerId, String message, @Nullable Throwable cause) {
        return new WorkerFailure(workerId, Kind.PROTOCOL, message, "", OptionalInt.empty(), List.of(), cause);
    }

    /** @param how "stopped" or "killed" */
    static WorkerFailure stopped(String workerId, String how) {
        return new WorkerFailure(workerId, Kind.STOPPED, how, "", OptionalInt.empty(), List.of(), null);
    }

    /** {@return the kind of failure, which decides the exception a caller gets} */
    public Kind kind() {
        return kind;
    }

    /** {@return the exit status, if the worker had exited when this was recorded} */
    public OptionalInt exitStatus() {
        return exitStatus;
    }

    /** {@return the protocol violation's underlying error, if there was one} */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    /**
     * The exception a request (or handshake, or health check) that was under way fails with.
     *
     * @param activity what was under way, e.g. {@code "running request 3"}, {@code "running a turn"}
     * @return a {@link WorkerCrashedException} with the exit status and stderr tail for a crash or a
     *     stop ("worker w-1 exited while running request 3 (exit code 2); last stderr lines: ..."),
     *     or a {@link ProtocolException} for a violation ("worker w-1 printed ... (while running
     *     request 3)")
     */
    public WorkerPoolException during(String activity) {
        Objects.requireNonNull(activity, "activity");
        return switch (kind) {
            case PROTOCOL -> new ProtocolException(detail + " (while " + activity + ")", cause);
            case CRASHED -> new WorkerCrashedException(workerId, exitStatus.orElse(-1),
                    detail + " while " + activity + note, stderrTail);
            case STOPPED -> new WorkerCrashedException(workerId, exitStatus.orElse(-1),
                    "was " + detail + " while " + activity, stderrTail);
        };
    }

    /**
     * The exception for something that was not sent because the worker had failed before.
     *
     * @param what what was not sent, e.g. {@code "request 4"}
     * @param status the exit status now, if known
     * @param tail the stderr tail now
     */
    WorkerPoolException notSent(String what, OptionalInt status, List<String> tail) {
        OptionalInt s = exitStatus.isPresent() ? exitStatus : status;
        return switch (kind) {
            case PROTOCOL -> new ProtocolException(detail + "; the worker is no longer usable, so " + what
                    + " was not sent", cause);
            case CRASHED -> new WorkerCrashedException(workerId, s.orElse(-1),
                    "had already " + detail + note + " when " + what + " was to be sent", tail);
            case STOPPED -> new WorkerCrashedException(workerId, s.orElse(-1),
                    "had already been " + detail + " when " + what + " was to be sent", tail);
        };
    }

    /**
     * @return how the worker ended, after "worker ID ": "exited with code 3", "was killed by signal 9",
     *     "closed its stdout (NOTE)"; for a violation, its message
     */
    String how() {
        if (exitStatus.isPresent() && kind != Kind.PROTOCOL) {
            return Exits.describe(exitStatus.getAsInt());
        }
        return switch (kind) {
            case PROTOCOL -> detail;
            case CRASHED -> detail + note;
            case STOPPED -> "was " + detail;
        };
    }

    /** @return the failure in words, for logs, e.g. "worker w-1 exited (exit code 3)" */
    @Override
    public String toString() {
        String status = exitStatus.isPresent() ? " (" + Exits.describe(exitStatus.getAsInt()) + ")" : "";
        return switch (kind) {
            case PROTOCOL -> detail;
            case CRASHED -> "worker " + workerId + " " + detail + note + status;
            case STOPPED -> "worker " + workerId + " was " + detail + status;
        };
    }
}
