package dev.warmpool.scaler.queuedepth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warmpool.scaler.queuedepth.QueueDepthPolicy.Mode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueueDepthPolicyBuilderTest {
    @Test
    void rejectsBadValuesEchoingThem() {
        QueueDepthPolicy.Builder b = QueueDepthPolicy.builder();

        assertEquals("scaleUpThreshold is -1, but must be ≥ 0",
                assertThrows(IllegalArgumentException.class, () -> b.scaleUpThreshold(-1)).getMessage());
        assertEquals("targetPerWorker is 0, but must be ≥ 1",
                assertThrows(IllegalArgumentException.class, () -> b.targetPerWorker(0)).getMessage());
        assertEquals("maxStep is 0, but must be ≥ 1",
                assertThrows(IllegalArgumentException.class, () -> b.maxStep(0)).getMessage());
        assertEquals("scaleDownStabilization is -1 s, but must be ≥ 0",
                assertThrows(IllegalArgumentException.class,
                        () -> b.scaleDownStabilization(Duration.ofSeconds(-1))).getMessage());
    }

    @Test
    void eachOptionIsSetOnce() {
        QueueDepthPolicy.Builder b = QueueDepthPolicy.builder().maxStep(2).mode(Mode.PROPORTIONAL);

        assertEquals("maxStep was already set to 2",
                assertThrows(IllegalStateException.class, b::unlimitedStep).getMessage());
        assertEquals("mode was already set to PROPORTIONAL",
                assertThrows(IllegalStateException.class, () -> b.mode(Mode.STEP)).getMessage());
    }

    @Test
    void rejectsAnOptionTheModeDoesNotUse() {
        QueueDepthPolicy.Builder proportional = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL).scaleUpThreshold(3);
        QueueDepthPolicy.Builder step = QueueDepthPolicy.builder().targetPerWorker(3);

        assertEquals("scaleUpThreshold (3) applies to mode STEP only, but mode is PROPORTIONAL; use targetPerWorker",
                assertThrows(IllegalStateException.class, proportional::build).getMessage());
        assertEquals("targetPerWorker (3) applies to mode PROPORTIONAL only, but mode is STEP; use scaleUpThreshold",
                assertThrows(IllegalStateException.class, step::build).getMessage());
    }
}
