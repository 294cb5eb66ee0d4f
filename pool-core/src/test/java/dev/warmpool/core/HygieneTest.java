package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a pool takes from its process it gives back; what the parent has the workers do not get. */
@Timeout(60)
class HygieneTest {

    @Test
    void theParentsVariablesDoNotReachWorkersUnlessConfigured() {
        // A sentinel that is certainly in this JVM's environment but not on the allowlist.
        String sentinel = System.getenv().keySet().stream()
                .filter(k -> !PoolConfig.DEFAULT_INHERITED_ENVIRONMENT.contains(k)).findFirst()
                .orElseThrow(() -> new AssertionError("the test JVM has no variable outside the allowlist"));
        try (WarmPool pool = WarmPool.start(PoolConfig.builder().command(TestWorkers.java(EchoWorker.class)).size(1)
                .environment("WARMPOOL_CONFIGURED", "yes").noShutdownHook().build())) {
            assertNull(pool.submit("env", Map.of("name", sentinel)).join(), sentinel + " leaked into the worker");
            assertEquals("yes", pool.submit("env", Map.of("name", "WARMPOOL_CONFIGURED")).join());
            assertEquals(System.getenv("PATH"), pool.submit("env", Map.of("name", "PATH")).join());
        }
    }

    @Test
    void descriptorsThreadsAndProcessesReturnToTheirBaselineAfterClose() {
        long fds = Hygiene.openFileDescriptors();
        for (int round = 0; round < 3; round++) {
            try (WarmPool pool = WarmPool.start(PoolConfig.builder().command(TestWorkers.java(EchoWorker.class)).size(2)
                    .noShutdownHook().build())) {
                for (int i = 0; i < 100; i++) {
                    pool.submit("echo", Map.of("i", i)).join();
                }
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
        await().atMost(Duration.ofSeconds(10)).until(() -> Hygiene.openFileDescriptors() <= fds);
        await().atMost(Duration.ofSeconds(10)).until(() -> Hygiene.poolThreads() == 0);
    }
}
