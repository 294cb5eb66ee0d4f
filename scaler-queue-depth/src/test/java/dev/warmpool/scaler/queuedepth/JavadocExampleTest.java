package dev.warmpool.scaler.queuedepth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.spi.ScalingPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Compiles the examples in {@link QueueDepthPolicy}'s Javadoc and in the README; keep them the
 * same.
 */
class JavadocExampleTest {
    @Test
    void builderExample() {
        QueueDepthPolicy.Builder policy = QueueDepthPolicy.builder()
                .mode(QueueDepthPolicy.Mode.PROPORTIONAL)
                .targetPerWorker(5)                            // one more worker per 5 queued requests
                .maxStep(4)                                    // at most 4 workers more or fewer per tick
                .scaleDownStabilization(Duration.ofMinutes(2)); // shrink only after 2 minutes of less load
        PoolConfig config = PoolConfig.builder().command("handler")
                .scalingPolicy(policy::build)                  // a new policy for each pool
                .build();

        ScalingPolicy first = config.scalingPolicy().orElseThrow().get();
        ScalingPolicy second = config.scalingPolicy().orElseThrow().get();
        assertNotSame(first, second, "each pool started from the configuration gets a policy of its own");
        assertEquals(first.toString(), QueueDepthPolicy.fromSettings(java.util.Map.of(
                "mode", "proportional", "target-per-worker", "5", "max-step", "4",
                "scale-down-stabilization", "2m")).toString());
    }

    @Test
    void readmeExample() {
        PoolConfig config = PoolConfig.builder()
                .command("python3", "handler.py")
                .minSize(1).maxSize(20)
                .scalingPolicy("queue-depth")
                .scalingSetting("mode", "proportional")
                .scalingSetting("target-per-worker", "5")
                .scalingSetting("max-step", "4")
                .scalingSetting("scale-down-stabilization", "2m")
                .build();

        ScalingPolicy policy = new QueueDepthPolicyProvider().create(config.scalingSettings());
        assertEquals("queue-depth[mode=proportional, target-per-worker=5, max-step=4,"
                + " scale-down-stabilization=2 min, scale-down-when=queue-empty]", policy.toString());
    }
}
