package dev.warmpool.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

/** {@code examples/python/warmpool_worker.py} on real Python processes; skipped when {@code python3} is not on the PATH. */
class PythonWorkerLibraryTest extends WorkerLibraryConformance {
    @Override
    List<String> command() {
        return List.of("python3", Processes.moduleDir().resolve("src/test/python/spec_worker.py").toString());
    }

    @Override
    void assumeRuntime() {
        assumeTrue(Processes.onPath("python3"), "python3 not found on PATH: the Python worker library is not tested");
    }

    @Override
    String unexpectedExceptionName() {
        return "ZeroDivisionError";
    }
}
