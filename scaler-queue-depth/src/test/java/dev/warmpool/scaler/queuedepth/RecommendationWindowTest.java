package dev.warmpool.scaler.queuedepth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecommendationWindowTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void returnsTheHighestRecommendationInsideTheWindow() {
        RecommendationWindow w = new RecommendationWindow(Duration.ofSeconds(60));

        assertEquals(5, w.record(T0, 5));
        assertEquals(5, w.record(T0.plusSeconds(10), 3));
        assertEquals(5, w.record(T0.plusSeconds(60), 2)); // the boundary is inside
        assertEquals(3, w.record(T0.plusSeconds(61), 1));
        assertEquals(2, w.record(T0.plusSeconds(120), 1));
        assertEquals(1, w.record(T0.plusSeconds(121), 1));
        assertEquals(4, w.record(T0.plusSeconds(122), 4));
    }

    @Test
    void aZeroWindowRemembersNothing() {
        RecommendationWindow w = new RecommendationWindow(Duration.ZERO);

        assertEquals(5, w.record(T0, 5));
        assertEquals(2, w.record(T0, 2));
        assertEquals(0, w.retained());
    }

    @Test
    void staysSmallHoweverOftenThePoolTicks() {
        RecommendationWindow w = new RecommendationWindow(Duration.ofHours(1));
        for (int i = 0; i < 100_000; i++) {
            w.record(T0.plusMillis(i), 3 + i % 2);
        }

        assertTrue(w.retained() <= 2, "retained " + w.retained());
    }

    @Test
    void aWindowReachingBeforeTheStartOfTimeKeepsEverything() {
        RecommendationWindow w = new RecommendationWindow(Duration.ofSeconds(Long.MAX_VALUE));

        assertEquals(7, w.record(Instant.EPOCH, 7));
        assertEquals(7, w.record(Instant.EPOCH.plusSeconds(1_000_000), 1));
    }
}
