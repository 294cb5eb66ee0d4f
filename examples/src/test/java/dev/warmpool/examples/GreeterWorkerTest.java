package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warmpool.api.JavaCommand;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.core.WarmPool;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java worker of {@code docs/workers.md} answers in a real pool as the page's Python and Node twins do. */
class GreeterWorkerTest {
    @AfterEach
    void noProcessLeftBehind() throws InterruptedException {
        Processes.assertNoDescendantsLeft();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void thePagesJavaWorkerGreetsByNameInAPool() {
        PoolConfig config = PoolConfig.builder()
                .command(JavaCommand.of(GreeterWorker.class))
                .transport("jsonrpc")
                .size(1)
                .noShutdownHook()
                .build();
        try (WarmPool pool = WarmPool.start(config)) {
            assertEquals("hello, zoe", pool.submit("greet", Map.of("name", "zoe")).join());
            assertEquals("hello, ana", pool.submit("greet", Map.of("name", "ana")).join());
        }
    }
}
