package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM shutdown hook closes the pool: a JVM that exits normally leaves no worker behind. */
class ShutdownHookTest {

    @Test
    @Timeout(60)
    void aJvmThatExitsWithoutClosingItsPoolLeavesNoWorkerBehind() throws Exception {
        Process child = ChildJvm.start(PoolWithHookInChildJvm.class);
        List<Long> pids = List.of();
        try {
            pids = ChildJvm.workerPids(child);
            assertEquals(2, pids.size());
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM did not exit");
            assertEquals(0, child.exitValue());
            // workers that ignore their input's end: without the hook they would outlive the JVM
            List<Long> workers = pids;
            await().atMost(Duration.ofSeconds(5)).until(() -> workers.stream().noneMatch(ChildJvm::alive));
        } finally {
            child.destroyForcibly();
            pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
        }
    }
}
