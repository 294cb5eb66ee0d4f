package dev.warmpool.examples;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.core.WarmPool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The README's quick start: three warm Java workers over JSON-RPC, a few requests, the results. */
public final class QuickStart {
    private QuickStart() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
        // @start region="quickstart"
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        PoolConfig config = PoolConfig.builder()
                .command(java, "-cp", System.getProperty("java.class.path"), EchoWorker.class.getName())
                .transport("jsonrpc")   // JSON-RPC 2.0 over the workers' stdin/stdout
                .size(3)                // three warm processes, started once
                .build();
        try (WarmPool pool = WarmPool.start(config)) {
            for (String word : List.of("warm", "workers", "answer")) {
                Object result = pool.submit("upper", Map.of("text", word)).join();
                System.out.println(word + " -> " + result);
            }
            System.out.println(pool.submit("echo", Map.of("n", 42)).join());
            System.out.println("processes started: " + pool.metrics().totalSpawns());
        }
        // @end
    }
}
