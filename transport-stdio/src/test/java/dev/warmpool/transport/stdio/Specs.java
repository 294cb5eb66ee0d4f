package dev.warmpool.transport.stdio;

import dev.warmpool.api.spi.WorkerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link WorkerSpec}s for tests. */
final class Specs {
    private String id = "w-1";
    private List<String> command = List.of("cat");
    private final Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH")));
    private Path directory;
    private Duration startTimeout = Duration.ofSeconds(5);
    private int maxFrameBytes = 1 << 20;
    private boolean strict;
    private int tailLines = 20;
    private final Map<String, String> settings = new HashMap<>();

    static Specs command(String... argv) {
        Specs s = new Specs();
        s.command = List.of(argv);
        return s;
    }

    /** {@code sh -c script} as an argv: the shell is the program under test, not a wrapper. */
    static Specs sh(String script) {
        return command("sh", "-c", script);
    }

    static WorkerSpec of(String... argv) {
        return command(argv).build();
    }

    Specs id(String v) {
        id = v;
        return this;
    }

    Specs env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Specs directory(Path v) {
        directory = v;
        return this;
    }

    Specs startTimeout(Duration v) {
        startTimeout = v;
        return this;
    }

    Specs maxFrameBytes(int v) {
        maxFrameBytes = v;
        return this;
    }

    Specs strict() {
        strict = true;
        return this;
    }

    Specs tailLines(int v) {
        tailLines = v;
        return this;
    }

    Specs setting(String name, String value) {
        settings.put(name, value);
        return this;
    }

    WorkerSpec build() {
        return new WorkerSpec(id, command, env, Optional.ofNullable(directory), startTimeout, maxFrameBytes, strict,
                tailLines, settings);
    }
}
