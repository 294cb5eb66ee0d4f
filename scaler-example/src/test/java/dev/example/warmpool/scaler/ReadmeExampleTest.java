package dev.example.warmpool.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.example.warmpool.scaler.LatencyTargetPolicy.Percentile;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.spi.ScalingPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The code shown in the README ("Writing a scaling policy"), compiled; keep the two the same. */
class ReadmeExampleTest {
    @Test
    void selectByName() {
        PoolConfig config = PoolConfig.builder()
                .command("python3", "handler.py")
                .scalingPolicy("latency-target")        // the provider's name()
                .scalingSetting("target-wait", "50ms")  // passed to create(Map)
                .scalingSetting("percentile", "p90")
                .build();

        assertEquals("latency-target", config.scalingPolicyName().orElseThrow());
        assertEquals(Map.of("percentile", "p90", "target-wait", "50ms"), config.scalingSettings());
        assertEquals(new LatencyTargetPolicy(Duration.ofMillis(50), Percentile.P90, 0.5),
                new LatencyTargetPolicyProvider().create(config.scalingSettings()));
    }

    @Test
    void passAnInstance() {
        ScalingPolicy policy = new LatencyTargetPolicy(Duration.ofMillis(50), Percentile.P90, 0.5);
        PoolConfig config = PoolConfig.builder()
                .command("python3", "handler.py")
                .scalingPolicy(policy)                  // no ServiceLoader lookup; immutable, so pools may share it
                .build();

        assertSame(policy, config.scalingPolicy().orElseThrow().get());
    }

    @Test
    void aLambdaIsAPolicyToo() {
        // Always one worker per queued request on top of the busy ones, within min..max.
        ScalingPolicy policy = ctx -> ctx.metrics().busy() + ctx.metrics().queueDepth();

        assertEquals(7, policy.desiredSize(LatencyTargetPolicyTest.tick(0, 4, 3,
                dev.warmpool.api.LatencySummary.EMPTY, 1, 10)));
    }
}
