package dev.warmpool.examples;

import dev.warmpool.api.JavaCommand;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.core.WarmPool;
import java.util.List;
import java.util.Map;

/**
 * The README's quick start: three warm {@link MinimalWorker}s over JSON-RPC, a few requests, the
 * results. Runs the same on the module path, on the class path and under {@code mvn exec:java}:
 * {@link JavaCommand} starts the workers the way this JVM found the classes.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
        // @start region="quickstart"
        PoolConfig config = PoolConfig.builder()
                .command(JavaCommand.of(MinimalWorker.class)) // java -p/-cp as this JVM runs, then the class
                .transport("jsonrpc")   // JSON-RPC 2.0 over the workers' stdin/stdout
                .size(3)                // three warm processes, started once
                .build();
        try (WarmPool pool = WarmPool.start(config)) {
            for (String word : List.of("warm", "workers", "answer")) {
                Object result = pool.submit("upper", Map.of("text", word)).join();
                System.out.println(word + " -> " + result);
            }
            System.out.println("processes started: " + pool.metrics().totalSpawns());
        }
        // @end
    }
}
