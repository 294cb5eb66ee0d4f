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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The monitor loop with the queue-depth policy found by name: a burst grows the pool, idleness shrinks it. */
class ScalingIntegrationTest {

    @Test
    @Timeout(120)
    void aBurstGrowsThePoolTowardMaxAndIdlenessShrinksItToMin() throws InterruptedException {
        List<PoolEvent> events = new CopyOnWriteArrayList<>();
        int maxSeen = 0;
        try (WarmPool pool = WarmPool.start(PoolConfig.builder().command(TestWorkers.java(EchoWorker.class))
                .size(1).minSize(1).maxSize(4).scalingPolicy("queue-depth")
                .scalingSetting("scale-up-threshold", "2")
                .scalingInterval(Duration.ofMillis(200)).noShutdownHook().build())) {
            pool.addListener(events::add);
            List<CompletableFuture<Object>> burst = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                burst.add(pool.submit("sleep", Map.of("ms", 150)));
            }
            while (!burst.stream().allMatch(CompletableFuture::isDone)) {
                maxSeen = Math.max(maxSeen, pool.metrics().size());
                Thread.sleep(20);
            }
            burst.forEach(CompletableFuture::join); // no request failed because of scaling
            assertTrue(maxSeen >= 3, "the pool grew only to " + maxSeen);
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.metrics().size() == 1);
            PoolMetrics m = pool.metrics();
            assertEquals(60, m.succeeded());
            assertTrue(m.spawns().get(PoolMetrics.SpawnCause.SCALE) >= 2, m.spawns().toString());
            assertTrue(events.stream().anyMatch(e -> e.type() == PoolEvent.Type.POOL_SCALED));
        }
    }
}
