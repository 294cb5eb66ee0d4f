package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolEvent;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers are retired after their request limit, and their replacements are ready before they leave. */
@Timeout(120)
class RecyclingTest {

    @Test
    void noRequestWaitsForAWorkerStartWhileWorkersAreRecycled() {
        Map<String, Long> starting = new ConcurrentHashMap<>();
        List<Long> startTimes = new CopyOnWriteArrayList<>();
        long maxWaitNanos = 0;
        try (WarmPool pool = WarmPool.start(PoolConfig.builder().command(TestWorkers.java(EchoWorker.class))
                .size(2).maxRequestsPerWorker(10).maxRequestsJitter(3).scalingInterval(Duration.ZERO)
                .noShutdownHook().build())) {
            pool.addListener(e -> {
                if (e.type() == PoolEvent.Type.WORKER_STARTING) {
                    starting.put(e.workerId().orElseThrow(), System.nanoTime());
                } else if (e.type() == PoolEvent.Type.WORKER_READY && starting.containsKey(e.workerId().orElseThrow())) {
                    startTimes.add(System.nanoTime() - starting.get(e.workerId().orElseThrow()));
                }
            });
            for (int i = 0; i < 150; i++) {
                long t0 = System.nanoTime();
                assertEquals(Map.of("i", i), pool.submit("echo", Map.of("i", i)).join());
                maxWaitNanos = Math.max(maxWaitNanos, System.nanoTime() - t0);
                if (i % 10 == 0) {
                    // Give replacements time to come up between bursts, as real traffic would.
                    long recycling = pool.metrics().spawns().get(PoolMetrics.SpawnCause.RECYCLE);
                    await().atMost(Duration.ofSeconds(20)).until(() -> pool.metrics().starting() == 0);
                    assertTrue(recycling >= 0);
                }
            }
            PoolMetrics m = pool.metrics();
            // A worker is due after at most 13 requests; it goes when its replacement is ready, which
            // the loop waits for every 10 requests: so at least one recycle per 13 + 10 requests,
            // however slowly the machine starts workers (150 / 23 -> 6).
            assertTrue(m.spawns().get(PoolMetrics.SpawnCause.RECYCLE) >= 6, m.spawns().toString());
            assertEquals(0, m.failed().values().stream().mapToLong(Long::longValue).sum(), m.failed().toString());
            assertTrue(m.size() <= 3, "at most one replacement at a time beside the target: " + m.size());
            long fastestStart = startTimes.stream().mapToLong(Long::longValue).min().orElseThrow();
            // A request that had waited for a start would have taken at least as long as the fastest start.
            assertTrue(m.queueWait().max().toNanos() < fastestStart,
                    "a request waited " + m.queueWait().max() + " in the queue; the fastest start took "
                            + Duration.ofNanos(fastestStart));
        }
    }
}
