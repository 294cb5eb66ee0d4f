package dev.warmpool.transport.stdio;

import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.WorkerSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds programs: the worker's program on the spec's {@code PATH} (so a missing program is a clear
 * start error rather than an exit status 127), and the few system tools the process plumbing uses
 * ({@code setsid}, {@code sh}, {@code env}). Stateless.
 */
final class Executables {
    /** {@code setsid}, where there is one and {@code /proc} can confirm what it did (Linux). */
    static final Optional<Path> SETSID = ProcessTree.HAS_PROC ? tool("setsid") : Optional.empty();

    private Executables() {
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /**
     * Finds a system tool in {@code /usr/bin} or {@code /bin}, else on this JVM's {@code PATH}.
     *
     * @param name the tool, e.g. {@code "setsid"}
     * @return its absolute path, or empty if there is none
     */
    static Optional<Path> tool(String name) {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path usual = Path.of(dir, name);
            if (Files.isRegularFile(usual) && Files.isExecutable(usual)) {
                return Optional.of(usual);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Path c = Path.of(dir, name);
                    if (Files.isRegularFile(c) && Files.isExecutable(c)) {
                        return Optional.of(c.toAbsolutePath());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Checks what can be checked without starting the process: the working directory exists and
     * the program is found and executable.
     *
     * @return the program as an absolute path, so the lookup does not depend on who searches the PATH
     * @throws WorkerStartException saying what is missing
     */
    static String checkStartable(WorkerSpec spec) {
        String prefix = "cannot start worker " + spec.id() + ": ";
        Optional<Path> dir = spec.directory();
        if (dir.isPresent() && !Files.isDirectory(dir.get())) {
            throw cannotStart(spec, prefix + "working directory " + dir.get()
                    + (Files.exists(dir.get()) ? " is not a directory" : " does not exist"));
        }
        String program = spec.command().get(0);
        if (isWindows()) {
            return program;
        }
        if (program.isEmpty()) {
            throw cannotStart(spec, prefix + "the program name is empty");
        }
        if (program.indexOf('/') >= 0) {
            Path p = Path.of(program);
            if (!p.isAbsolute()) {
                p = spec.directory().orElse(Path.of("")).toAbsolutePath().resolve(p).normalize();
            }
            if (!Files.exists(p)) {
                throw cannotStart(spec, prefix + "program '" + program + "' not found"
                        + (p.toString().equals(program) ? "" : " (looked for " + p + ")"));
            }
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw cannotStart(spec, prefix + "program '" + program + "' is not an executable file"
                        + (p.toString().equals(program) ? "" : " (" + p + ")"));
            }
            return p.toString();
        }
        String path = spec.environment().get("PATH");
        if (path == null) {
            path = System.getenv("PATH");
        }
        if (path == null) {
            path = "/usr/local/bin:/usr/bin:/bin";
        }
        Path notExecutable = null;
        for (String entry : path.split(File.pathSeparator, -1)) {
            Path base = entry.isEmpty() ? spec.directory().orElse(Path.of("")) : Path.of(entry);
            Path c = base.resolve(program);
            if (Files.isRegularFile(c)) {
                if (Files.isExecutable(c)) {
                    return c.toAbsolutePath().toString();
                }
                if (notExecutable == null) {
                    notExecutable = c;
                }
            }
        }
        if (notExecutable != null) {
            throw cannotStart(spec, prefix + "program '" + program + "' found at " + notExecutable
                    + " is not executable");
        }
        throw cannotStart(spec, prefix + "program '" + program + "' not found on PATH " + path);
    }

    /** A start failure that names the command line and directory once, after the cause. */
    private static WorkerStartException cannotStart(WorkerSpec spec, String message) {
        return new WorkerStartException(Exits.startMessage(spec, message), List.of(), null);
    }
}
