package dev.warmpool.api;

import java.io.Serial;
import java.util.List;
import java.util.OptionalInt;

/**
 * The worker process died (or closed its stdout) while it held the request. Carries the exit code
 * or signal and the last lines the worker wrote to stderr. A worker that exits with status 0 in
 * the middle of a request is a crash too: an exit is never an empty success.
 */
public final class WorkerCrashedException extends WorkerPoolException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The worker that died. */
    private final String workerId;
    /** Its exit status, or -1 if it had not exited. */
    private final int exitCode;
    /** Its last stderr lines, oldest first. */
    private final List<String> stderrTail;

    /**
     * Creates the failure for a worker that died.
     *
     * @param workerId the worker that died
     * @param exitCode its exit status as the JDK reports it (128 + n when killed by signal n), or -1 if unknown
     * @param detail what was going on, e.g. "exited while running request 17"
     * @param stderrTail the last lines of the worker's stderr, oldest first
     */
    public WorkerCrashedException(String workerId, int exitCode, String detail, List<String> stderrTail) {
        super(message(workerId, exitCode, detail, stderrTail));
        this.workerId = workerId;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    private static String message(String workerId, int exitCode, String detail, List<String> tail) {
        StringBuilder sb = new StringBuilder("worker ").append(workerId).append(' ').append(detail);
        if (exitCode > 128 && exitCode < 128 + 65) {
            sb.append(" (killed by signal ").append(exitCode - 128).append(')');
        } else if (exitCode >= 0) {
            sb.append(" (exit code ").append(exitCode).append(')');
        }
        sb.append(StderrTail.describe(tail));
        return sb.toString();
    }

    /** {@return the id of the worker that died} */
    public String workerId() {
        return workerId;
    }

    /**
     * Returns the exit status as the JDK reports it, or -1 if the process had not exited yet; kept for
     * the callers that compare it, {@link #exitStatus()} says the same without the sentinel.
     *
     * @return the exit status, or -1
     */
    public int exitCode() {
        return exitCode;
    }

    /** {@return the exit status as the JDK reports it (128 + n when killed by signal n), if the process had exited} */
    public OptionalInt exitStatus() {
        return exitCode >= 0 ? OptionalInt.of(exitCode) : OptionalInt.empty();
    }

    /** {@return the signal that killed the worker, if it was killed by one (exit status 129..192)} */
    public OptionalInt signal() {
        return exitCode > 128 && exitCode < 128 + 65 ? OptionalInt.of(exitCode - 128) : OptionalInt.empty();
    }

    /** {@return the last lines the worker wrote to stderr, oldest first} */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
