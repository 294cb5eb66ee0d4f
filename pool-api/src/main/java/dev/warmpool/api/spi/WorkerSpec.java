package dev.warmpool.api.spi;

import dev.warmpool.api.PoolConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Transport} needs to start one worker: the argv, the exact environment, the working
 * directory and the limits. Built by the pool from its {@link PoolConfig}.
 *
 * @param id the pool-assigned worker id, e.g. {@code "w-3"}
 * @param command the program and its arguments (argv; never passed through a shell)
 * @param environment the complete environment of the process (the parent's is not inherited beyond what this holds)
 * @param directory the working directory, or empty for the pool's own
 * @param startTimeout how long the worker may take to become ready
 * @param maxFrameBytes the largest frame either side may send
 * @param strictOutput whether a stdout line that is not a frame is a protocol error (otherwise logged and skipped)
 * @param stderrTailLines how many of the last stderr lines to keep for error messages
 * @param settings transport-specific settings, name to value
 */
public record WorkerSpec(String id, List<String> command, Map<String, String> environment,
                         Optional<Path> directory, Duration startTimeout, int maxFrameBytes,
                         boolean strictOutput, int stderrTailLines, Map<String, String> settings) {
    /** Copies the collections and checks the components. */
    public WorkerSpec {
        Objects.requireNonNull(id, "id");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty: give the program and its arguments");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(startTimeout, "startTimeout");
        settings = Map.copyOf(settings);
    }
}
