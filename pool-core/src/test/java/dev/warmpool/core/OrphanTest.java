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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A JVM that dies by SIGKILL, running no hooks, leaves no worker behind: they exit on stdin EOF. */
class OrphanTest {

    @Test
    @Timeout(60)
    void workersExitWhenThePoolsJvmIsKilled() throws Exception {
        Process child = new ProcessBuilder(TestWorkers.java(PoolInChildJvm.class))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Long> pids;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("pids ")) {
                // skip anything else the child prints
            }
            assertTrue(line != null, "the child JVM printed no pids");
            pids = Arrays.stream(line.substring("pids [".length(), line.length() - 1).split(",\\s*"))
                    .map(Long::parseLong).toList();
        }
        assertEquals(2, pids.size());
        assertTrue(pids.stream().allMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
        child.toHandle().destroyForcibly();
        child.waitFor();
        await().atMost(Duration.ofSeconds(5)).until(() -> pids.stream()
                .noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
    }
}
