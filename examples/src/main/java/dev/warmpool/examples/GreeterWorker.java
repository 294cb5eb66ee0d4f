package dev.warmpool.examples;

import dev.warmpool.worker.WorkerServer;
import java.io.IOException;

/**
 * The Java worker of {@code docs/workers.md}: one method, {@code greet}, served over stdin and stdout
 * until stdin ends. {@code GreeterPool} starts a pool of the page's Python twin; {@code DocsSnippetsTest}
 * keeps the page's copy of {@link #main} the same as this one.
 */
public final class GreeterWorker {
    private GreeterWorker() {
    }

    /**
     * Serves {@code greet}: {@code {"name": "zoe"}} → {@code "hello, zoe"}.
     *
     * @param args ignored
     * @throws IOException if stdin or stdout fail
     */
    public static void main(String[] args) throws IOException {
        WorkerServer.builder()
                .name("greeter")
                .method("greet", (params, ctx) -> "hello, " + params.path("name").asText())
                .build()
                .serve();
    }
}
