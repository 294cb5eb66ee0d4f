package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warmpool.transport.stdio.Framing;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/node/warmpool_worker.js} on real Node processes; skipped when {@code node} is not
 * on the PATH.
 */
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

    @Test
    void aMethodReturningAPromiseLeavesTheEventLoopFreeAndItsSignalAbortsOnCancel() throws Exception {
        assumeRuntime();
        try (WorkerConversation w = WorkerConversation.start(command(), Framing.NEWLINE)) {
            w.send("{\"jsonrpc\":\"2.0\",\"id\":\"bg\",\"method\":\"background\",\"params\":{\"ms\":60000}}");
            w.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"subtract\",\"params\":[9,3]}");
            w.expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":6}");
            w.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"bg\"}}");
            w.expect("{\"jsonrpc\":\"2.0\",\"id\":\"bg\",\"error\":{\"code\":-32800,\"message\":\"request cancelled\"}}");
            assertEquals(new WorkerConversation.Ending(List.of(), 0), w.finish());
        }
    }
}
