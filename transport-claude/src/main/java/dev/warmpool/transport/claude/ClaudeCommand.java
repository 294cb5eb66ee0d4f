package dev.warmpool.transport.claude;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The argv of a Claude Code worker: the pool's command (the {@code claude} program and the user's
 * own options) plus the options the transport depends on.
 */
final class ClaudeCommand {
    static final String STREAM_JSON = "stream-json";

    private ClaudeCommand() {
    }

    /**
     * Appends whichever of {@code -p}, {@code --input-format stream-json},
     * {@code --output-format stream-json} and {@code --verbose} the command lacks. They go at the
     * end, so a wrapper such as {@code npx @anthropic-ai/claude-code} or {@code node cli.js} keeps
     * working. ({@code --verbose} is required by the CLI for stream-json output with {@code -p}.)
     *
     * @param command the pool's command: the program, then the user's CLI options
     * @return the command the worker is started with
     * @throws IllegalArgumentException if the command asks for another input or output format
     */
    static List<String> complete(List<String> command) {
        List<String> argv = new ArrayList<>(command);
        boolean print = false;
        boolean verbose = false;
        Optional<String> input = Optional.empty();
        Optional<String> output = Optional.empty();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            String next = i + 1 < argv.size() ? argv.get(i + 1) : null;
            switch (a) {
                case "-p", "--print" -> print = true;
                case "--verbose" -> verbose = true;
                case "--input-format" -> input = Optional.ofNullable(next);
                case "--output-format" -> output = Optional.ofNullable(next);
                default -> {
                    if (a.startsWith("--input-format=")) {
                        input = Optional.of(a.substring("--input-format=".length()));
                    } else if (a.startsWith("--output-format=")) {
                        output = Optional.of(a.substring("--output-format=".length()));
                    }
                }
            }
        }
        check("--input-format", input);
        check("--output-format", output);
        if (!print) {
            argv.add("-p");
        }
        if (input.isEmpty()) {
            argv.add("--input-format");
            argv.add(STREAM_JSON);
        }
        if (output.isEmpty()) {
            argv.add("--output-format");
            argv.add(STREAM_JSON);
        }
        if (!verbose) {
            argv.add("--verbose");
        }
        return List.copyOf(argv);
    }

    private static void check(String option, Optional<String> value) {
        if (value.isPresent() && !value.get().equals(STREAM_JSON)) {
            throw new IllegalArgumentException("the command sets " + option + " " + value.get()
                    + ", but the claude transport speaks " + STREAM_JSON + "; leave " + option
                    + " out (the transport adds it)");
        }
    }

    /**
     * Looks for the program the way the process layer will, to fail with advice on how to install it.
     *
     * @param program the command's first element
     * @param environment the worker's environment (its {@code PATH} is searched)
     * @param directory the worker's working directory, for a relative path
     * @return why the program cannot be run, or empty if it can (or if this check cannot tell)
     */
    static Optional<String> missing(String program, Map<String, String> environment, Optional<Path> directory) {
        if (program.isEmpty()) {
            return Optional.of("the program name is empty");
        }
        if (File.separatorChar == '\\') {
            // Windows finds claude.cmd, claude.exe, … by PATHEXT: leave the search to the process layer
            return Optional.empty();
        }
        if (program.indexOf('/') >= 0 || program.indexOf(File.separatorChar) >= 0) {
            Path p = Path.of(program);
            if (!p.isAbsolute()) {
                p = directory.orElse(Path.of("")).toAbsolutePath().resolve(p).normalize();
            }
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.empty()
                    : Optional.of("'" + program + "' " + (Files.exists(p) ? "is not an executable file" : "does not exist"));
        }
        String path = environment.get("PATH");
        if (path == null) {
            path = System.getenv("PATH");
        }
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator, -1)) {
            Path base = dir.isEmpty() ? directory.orElse(Path.of("")) : Path.of(dir);
            Path c = base.resolve(program);
            if (Files.isRegularFile(c) && Files.isExecutable(c)) {
                return Optional.empty();
            }
        }
        return Optional.of("'" + program + "' was not found on the worker's PATH (" + path + ")");
    }
}
