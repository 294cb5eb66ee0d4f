package dev.warmpool.cli;

import dev.warmpool.worker.WorkerServer;
import java.io.IOException;

/**
 * A JSON-RPC worker for the command's tests: {@code echo} answers its params, {@code sleep}
 * {@code {"ms": n}} answers them after n ms, {@code exit} {@code {"status": n}} ends the process at
 * once with that status (a crash, as the pool sees it).
 */
public final class TestWorker {
    private TestWorker() {
    }

    /**
     * @param args none
     * @throws IOException if stdin fails
     */
    public static void main(String[] args) throws IOException {
        WorkerServer.builder()
                .name("cli-test-worker")
                .method("echo", (params, ctx) -> params)
                .method("sleep", (params, ctx) -> {
                    Thread.sleep(params.path("ms").asLong());
                    return params;
                })
                .method("exit", (params, ctx) -> {
                    System.err.println("cli-test-worker: exiting with status " + params.path("status").asInt()
                            + " as asked");
                    System.err.flush();
                    Runtime.getRuntime().halt(params.path("status").asInt());
                    return null;
                })
                .build()
                .serve();
    }
}
