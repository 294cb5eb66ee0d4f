package dev.warmpool.examples;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.core.WarmPool;
import java.util.Map;

/**
 * The pool of {@code docs/workers.md}: four warm copies of the page's Python worker ({@code worker.py},
 * which answers {@code greet} as {@link GreeterWorker} does), compiled so that the page's copy cannot
 * rot. Running it needs Python and the page's {@code worker.py} in the working directory.
 */
public final class GreeterPool {
    private GreeterPool() {
    }

    /** Starts the pool, greets once (the answer is {@code "hello, zoe"}), and stops it. */
    @SuppressWarnings("UnusedVariable") // docs/workers.md quotes these lines: the variable names what join() returns
    public static void greet() {
        PoolConfig config = PoolConfig.builder()
                .command("python3", "worker.py")      // or "node", "worker.js"; an argv, never a shell string
                .transport("jsonrpc")
                .size(4)
                .build();
        try (WarmPool pool = WarmPool.start(config)) {
            Object answer = pool.submit("greet", Map.of("name", "zoe")).join();
        }
    }
}
