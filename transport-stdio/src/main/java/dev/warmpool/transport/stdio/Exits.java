package dev.warmpool.transport.stdio;

import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.WorkerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one wording of how a worker ended and of a start failure, for every process transport:
 * "exited with code N" / "was killed by signal S", and "worker w-1 ... (command: ARGV; directory: DIR)".
 */
final class Exits {
    /** Arguments made only of these need no quotes for a shell reader. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Exits() {
    }

    /**
     * @param status an exit status as the JDK reports it (128 + n when killed by signal n)
     * @return "exited with code 3", or "was killed by signal 9"
     */
    static String describe(int status) {
        return status > 128 && status < 128 + 65 ? "was killed by signal " + (status - 128)
                : "exited with code " + status;
    }

    /**
     * A start failure that names what was run, where, and the cause once; the exception appends the
     * stderr tail.
     *
     * @param spec what was started
     * @param what what happened, after "worker ID ", e.g. "did not become ready within 5 s (startTimeout)"
     * @param tail the worker's stderr tail
     * @param cause the underlying failure, or {@code null}
     * @return "worker w-1 WHAT (command: ARGV; directory: DIR)" with the tail
     */
    static WorkerStartException startFailure(WorkerSpec spec, String what, List<String> tail,
            @Nullable Throwable cause) {
        return new WorkerStartException(startMessage(spec, "worker " + spec.id() + " " + what), tail, cause);
    }

    /** @return {@code message} followed by the command line and the directory in parentheses */
    static String startMessage(WorkerSpec spec, @Nullable String message) {
        Path dir = spec.directory().orElse(Path.of("")).toAbsolutePath();
        return message + " (command: " + commandLine(spec.command()) + "; directory: " + dir + ")";
    }

    /**
     * @param argv a program and its arguments
     * @return the argv as a shell reader would type it: each argument as it is when it is plain,
     *     else in single quotes ({@code ''} for an empty one), so the empty {@code -cp ''} shows
     */
    static String commandLine(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            if (PLAIN.matcher(a).matches()) {
                sb.append(a);
            } else {
                sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }
}
