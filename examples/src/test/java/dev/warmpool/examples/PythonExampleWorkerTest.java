package dev.warmpool.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** {@code examples/python/worker.py}, the Python example worker, served by a pool; skipped without python3. */
class PythonExampleWorkerTest extends ExampleWorkerContract {
    @BeforeEach
    void python3IsInstalled() {
        assumeTrue(Processes.onPath("python3"), "python3 not found on PATH");
    }

    @Override
    List<String> command() {
        return List.of("python3", "-u", Processes.moduleDir().resolve("python/worker.py").toString());
    }
}
