package dev.example.warmpool.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.example.warmpool.scaler.LatencyTargetPolicy.Percentile;
import dev.warmpool.api.LatencySummary;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.spi.ScalingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyTargetPolicyTest {
    /** p50 10 ms, p90 60 ms, p99 250 ms, p999 900 ms. */
    private static final LatencySummary WAITS = new LatencySummary(10_000, Duration.ofMillis(10),
            Duration.ofMillis(60), Duration.ofMillis(250), Duration.ofMillis(900), Duration.ofSeconds(2));

    static ScalingContext tick(int idle, int busy, int queue, LatencySummary waits, int min, int max) {
        PoolMetrics metrics = new PoolMetrics(idle + busy, idle, busy, 0, queue, 0, 0, Map.of(), Map.of(),
                waits, LatencySummary.EMPTY);
        return new ScalingContext(metrics, min, max, Instant.EPOCH);
    }

    @ParameterizedTest(name = "{5}")
    @CsvSource(delimiter = '|', textBlock = """
            # idle | busy | queue | target ms | expected | why
               0   |  4   |   3   |   100     |    5     | queued, p99 250 ms above 100 ms: grow
               0   |  4   |   3   |   250     |    4     | p99 exactly at the target: stay
               0   |  4   |   3   |   500     |    4     | p99 below the target: stay
               0   |  4   |   0   |   100     |    4     | p99 high but nothing queued now: stay
               0   | 10   |   3   |   100     |   10     | at max: stay
               3   |  1   |   0   |   100     |    3     | 3 of 4 idle is more than half: shrink
               2   |  2   |   0   |   100     |    4     | 2 of 4 idle is not more than half: stay
               4   |  0   |   0   |   100     |    3     | no load: shrink
               1   |  0   |   0   |   100     |    1     | at min: stay
            """)
    void rule(int idle, int busy, int queue, long targetMillis, int expected, String why) {
        LatencyTargetPolicy policy = new LatencyTargetPolicy(Duration.ofMillis(targetMillis), Percentile.P99, 0.5);

        assertEquals(expected, policy.desiredSize(tick(idle, busy, queue, WAITS, 1, 10)), why);
    }

    @Test
    void doesNotGrowBeforeAnyWaitWasRecorded() {
        assertEquals(4, LatencyTargetPolicy.DEFAULTS.desiredSize(tick(0, 4, 50, LatencySummary.EMPTY, 1, 10)));
    }

    @Test
    void comparesTheChosenPercentile() {
        ScalingContext queued = tick(0, 4, 3, WAITS, 1, 10);

        assertEquals(4, new LatencyTargetPolicy(Duration.ofMillis(50), Percentile.P50, 0.5).desiredSize(queued));
        assertEquals(5, new LatencyTargetPolicy(Duration.ofMillis(50), Percentile.P90, 0.5).desiredSize(queued));
        assertEquals(4, new LatencyTargetPolicy(Duration.ofSeconds(1), Percentile.P999, 0.5).desiredSize(queued));
    }

    @Test
    void idleFractionZeroShrinksWheneverAWorkerIsIdleAndOneNever() {
        ScalingContext oneIdle = tick(1, 5, 0, WAITS, 1, 10);

        assertEquals(5, new LatencyTargetPolicy(Duration.ofMillis(100), Percentile.P99, 0).desiredSize(oneIdle));
        assertEquals(6, new LatencyTargetPolicy(Duration.ofMillis(100), Percentile.P99, 1)
                .desiredSize(tick(6, 0, 0, WAITS, 1, 10)));
    }

    @Test
    void clampsToMinAndMax() {
        assertEquals(2, LatencyTargetPolicy.DEFAULTS.desiredSize(tick(0, 0, 0, WAITS, 2, 10)));
        assertEquals(10, LatencyTargetPolicy.DEFAULTS.desiredSize(tick(0, 12, 5, WAITS, 1, 10)));
    }

    @Test
    void rejectsBadComponentsEchoingThem() {
        assertEquals("targetWait is 0 s, but must be positive", assertThrows(IllegalArgumentException.class,
                () -> new LatencyTargetPolicy(Duration.ZERO, Percentile.P99, 0.5)).getMessage());
        assertEquals("idleFraction is 1.5, but must be within 0..1", assertThrows(IllegalArgumentException.class,
                () -> new LatencyTargetPolicy(Duration.ofMillis(1), Percentile.P99, 1.5)).getMessage());
        assertEquals("idleFraction is NaN, but must be within 0..1", assertThrows(IllegalArgumentException.class,
                () -> new LatencyTargetPolicy(Duration.ofMillis(1), Percentile.P99, Double.NaN)).getMessage());
    }
}
