package dev.warmpool.examples;

import dev.warmpool.worker.WorkerServer;

/** The smallest useful Java worker, as the README shows it: one method, served until stdin closes. The quick start's pool starts three of them. */
public final class MinimalWorker {
    private MinimalWorker() {
    }

    /**
     * @param args ignored
     * @throws Exception if stdin or stdout fail
     */
    // the README quotes the region below as it stands; the texts it is sent are ASCII
    @SuppressWarnings("StringCaseLocaleUsage")
    public static void main(String[] args) throws Exception {
        // @start region="worker"
        WorkerServer.builder()
                .name("upper")
                .method("upper", (params, ctx) -> params.path("text").asText().toUpperCase())
                .build()
                .serve();   // answers on stdout until stdin reaches EOF
        // @end
    }
}
