package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warmpool.transport.stdio.Framing;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/python/warmpool_worker.py} on real Python processes; skipped when {@code python3}
 * is not on the PATH.
 */
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

    @Test
    void aThreadedMethodLeavesTheReadingThreadFreeSoLaterRequestsAreAnsweredFirst() throws Exception {
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
