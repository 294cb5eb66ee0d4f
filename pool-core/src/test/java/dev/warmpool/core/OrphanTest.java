package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A JVM that dies by SIGKILL, running no hooks, leaves no worker behind: they exit on stdin EOF. */
class OrphanTest {

    @Test
    @Timeout(60)
    void workersExitWhenThePoolsJvmIsKilled() throws Exception {
        Process child = ChildJvm.start(PoolInChildJvm.class);
        List<Long> pids = ChildJvm.workerPids(child);
        assertEquals(2, pids.size());
        assertTrue(pids.stream().allMatch(ChildJvm::alive));
        child.toHandle().destroyForcibly();
        child.waitFor();
        await().atMost(Duration.ofSeconds(5)).until(() -> pids.stream().noneMatch(ChildJvm::alive));
    }
}
