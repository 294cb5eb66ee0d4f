package dev.warmpool.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** {@code examples/node/worker.js}, the Node example worker, served by a pool; skipped without node. */
class NodeExampleWorkerTest extends ExampleWorkerContract {
    @BeforeEach
    void nodeIsInstalled() {
        assumeTrue(Processes.onPath("node"), "node not found on PATH");
    }

    @Override
    List<String> command() {
        return List.of("node", Processes.moduleDir().resolve("node/worker.js").toString());
    }
}
