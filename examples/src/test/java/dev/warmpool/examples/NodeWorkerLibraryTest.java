package dev.warmpool.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

/** {@code examples/node/warmpool_worker.js} on real Node processes; skipped when {@code node} is not on the PATH. */
class NodeWorkerLibraryTest extends WorkerLibraryConformance {
    @Override
    List<String> command() {
        return List.of("node", Processes.moduleDir().resolve("src/test/node/spec_worker.js").toString());
    }

    @Override
    void assumeRuntime() {
        assumeTrue(Processes.onPath("node"), "node not found on PATH: the Node worker library is not tested");
    }

    @Override
    String unexpectedExceptionName() {
        return "TypeError";
    }
}
