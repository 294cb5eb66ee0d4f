package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.testkit.TestWorkers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM shutdown hook closes the pool: a JVM that exits normally leaves no worker behind. */
class ShutdownHookTest {

    @Test
    @Timeout(60)
    void aJvmThatExitsWithoutClosingItsPoolLeavesNoWorkerBehind() throws Exception {
        Process child = new ProcessBuilder(TestWorkers.java(PoolWithHookInChildJvm.class))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Long> pids = List.of();
        try {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("pids ")) {
                    // skip anything else the child prints
                }
                assertTrue(line != null, "the child JVM printed no pids");
                pids = Arrays.stream(line.substring("pids [".length(), line.length() - 1).split(",\\s*"))
                        .map(Long::parseLong).toList();
            }
            assertEquals(2, pids.size());
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM did not exit");
            assertEquals(0, child.exitValue());
            // workers that ignore their input's end: without the hook they would outlive the JVM
            List<Long> workers = pids;
            await().atMost(Duration.ofSeconds(5)).until(() -> workers.stream()
                    .noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
        } finally {
            child.destroyForcibly();
            pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
        }
    }
}
