package dev.warmpool.metrics.micrometer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.WorkerPool;
import dev.warmpool.core.WarmPool;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The binding example of {@code docs/metrics.md}, run against a real pool of one worker; the page's copy
 * must stay the same as this one ({@code DocsSnippetsTest} in the examples module checks it).
 */
@Timeout(60)
class MetricsDocExampleTest {
    @Test
    void bothBindingsOfThePageCountTheSameRequestsUnderTheirOwnTags() {
        PoolConfig config = PoolConfig.builder().command(TestWorkers.java(EchoWorker.class))
                .size(1).noShutdownHook().build();
        MockClock clock = new MockClock();
        MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        try (WorkerPool pool = startAndBind(config, registry)) {
            pool.submit("echo", List.of(1)).join();
            pool.submit("echo", List.of(2)).join();
            clock.add(WarmPoolMetrics.SNAPSHOT_MAX_AGE); // past the snapshot each binding took when bound

            assertEquals(List.of(2.0), registry.get("warmpool.requests").tags("pool", "handlers", "outcome", "success")
                    .functionCounters().stream().filter(c -> c.getId().getTag("region") == null)
                    .map(FunctionCounter::count).toList());
            assertEquals(2.0, registry.get("warmpool.requests")
                    .tags("pool", "handlers", "region", "eu", "outcome", "success").functionCounter().count());
            assertEquals(1.0, registry.get("warmpool.workers.size").tags("pool", "handlers", "region", "eu")
                    .gauge().value());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants()
                .noneMatch(ProcessHandle::isAlive));
    }

    /** The page's lines: one pool, bound twice to the same registry, without and with tags of one's own. */
    private static WorkerPool startAndBind(PoolConfig config, MeterRegistry registry) {
        WorkerPool pool = WarmPool.start(config);
        new WarmPoolMetrics(pool, "handlers").bindTo(registry);                         // pool="handlers" on every meter
        new WarmPoolMetrics(pool, "handlers", Tags.of("region", "eu")).bindTo(registry); // or with tags of your own
        return pool;
    }
}
