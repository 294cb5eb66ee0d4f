package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warmpool.transport.stdio.Framing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Python and Node workers shown in {@code docs/workers.md} work as the page says: each is
 * copied, as the page tells a reader to, into a folder beside its language's library, and served.
 */
class WorkersDocTest {
    @TempDir
    Path dir;

    @AfterEach
    void noProcessLeftBehind() throws InterruptedException {
        Processes.assertNoDescendantsLeft();
    }

    @ParameterizedTest
    @CsvSource({"python, python3, worker.py, python/warmpool_worker.py", "js, node, worker.js, node/warmpool_worker.js"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theDocumentedWorkerAnswersAsThePageSays(String fence, String runtime, String file, String library) throws Exception {
        assumeTrue(Processes.onPath(runtime), runtime + " not found on PATH");
        Path source = Processes.moduleDir().resolve(library);
        Files.copy(source, dir.resolve(source.getFileName()));
        Files.writeString(dir.resolve(file), codeBlock(fence));
        try (WorkerConversation w = WorkerConversation.start(List.of(runtime, dir.resolve(file).toString()), Framing.NEWLINE)) {
            w.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$/initialize\",\"params\":{\"protocolVersion\":1,\"workerId\":\"w-1\"}}");
            assertEquals("greeter", w.receive().path("result").path("name").asText());
            w.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"greet\",\"params\":{\"name\":\"zoe\"}}");
            w.expect("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"hello, zoe\"}");
            w.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"greet\",\"params\":{\"name\":42}}");
            w.expect("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32602,\"message\":\"greet needs params {\\\"name\\\": <string>}\"}}");
            w.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"count-slowly\",\"params\":{\"n\":2}}");
            w.expect("{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"id\":4,\"value\":{\"done\":1}}}");
            w.expect("{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"id\":4,\"value\":{\"done\":2}}}");
            w.expect("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":2}");
            assertEquals(new WorkerConversation.Ending(List.of(), 0), w.finish());
        }
    }

    /** @return the first code block of docs/workers.md fenced as {@code fence} */
    private static String codeBlock(String fence) throws IOException {
        String page = Files.readString(Processes.moduleDir().resolve("../docs/workers.md"));
        int start = page.indexOf("```" + fence + "\n");
        assertTrue(start >= 0, "docs/workers.md has no ```" + fence + " block");
        int from = start + fence.length() + 4;
        return page.substring(from, page.indexOf("```", from));
    }
}
