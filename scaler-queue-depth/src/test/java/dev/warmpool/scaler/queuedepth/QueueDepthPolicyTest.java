package dev.warmpool.scaler.queuedepth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warmpool.scaler.queuedepth.QueueDepthPolicy.Mode;
import dev.warmpool.scaler.queuedepth.QueueDepthPolicy.ScaleDownWhen;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueueDepthPolicyTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TICK = Duration.ofSeconds(30);

    @Nested
    class OriginalRule {
        @ParameterizedTest(name = "{6}: idle={0} busy={1} queue={2} min={3} max={4} -> {5}")
        @CsvSource(delimiter = '|', textBlock = """
                # idle | busy | queue | min | max | expected | why
                   0   |  3   |   11  |  1  | 10  |    4     | queue above 10 adds one worker
                   0   |  3   | 1000  |  1  | 10  |    4     | one worker per tick however deep the queue
                   1   |  3   |   11  |  1  | 10  |    5     | idle workers do not matter for growing
                   0   |  3   |   10  |  1  | 10  |    3     | a queue of exactly 10 is not above 10
                   0   |  3   |    5  |  1  | 10  |    3     | some queue keeps the size
                   0   | 10   |   50  |  1  | 10  |   10     | at max the pool stays
                   3   |  0   |    0  |  1  | 10  |    2     | empty queue retires one idle worker
                   2   |  1   |    0  |  1  | 10  |    2     | retires one idle worker while another is busy
                   1   |  0   |    0  |  1  | 10  |    1     | at min the pool stays
                   0   |  3   |    0  |  1  | 10  |    3     | all busy: no idle worker to retire
                   0   |  0   |    0  |  2  | 10  |    2     | below min: clamped up to min
                  12   |  0   |    0  |  1  | 10  |   10     | above max: clamped down to max
                   0   |  0   |   11  |  0  | 10  |    1     | an empty pool with a queue grows
                """)
        void isTheDefault(int idle, int busy, int queue, int min, int max, int expected, String why) {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().build();

            assertEquals(expected, policy.desiredSize(Tick.of(idle, busy, queue, min, max, T0)), why);
        }

        @Test
        void defaultsAreTheOriginalSettings() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().build();

            assertEquals(Mode.STEP, policy.mode());
            assertEquals(10, policy.scaleUpThreshold());
            assertEquals(OptionalInt.of(1), policy.maxStep());
            assertEquals(Duration.ZERO, policy.scaleDownStabilization());
            assertEquals(ScaleDownWhen.QUEUE_EMPTY, policy.scaleDownWhen());
            assertEquals("queue-depth[mode=step, scale-up-threshold=10, max-step=1,"
                    + " scale-down-stabilization=0 s, scale-down-when=queue-empty]", policy.toString());
        }

        @Test
        void hasNoMemoryWithoutAWindow() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().build();
            assertEquals(4, policy.desiredSize(Tick.of(0, 3, 20, 1, 10, T0)));

            // The same instant: any window longer than zero would still hold the 4.
            assertEquals(3, policy.desiredSize(Tick.of(4, 0, 0, 1, 10, T0)));
        }
    }

    @Nested
    class SteadyLoad {
        @Test
        void stepModeKeepsAFullyBusyPool() {
            SimulatedPool pool = new SimulatedPool(QueueDepthPolicy.builder().build(), 5, 1, 10, TICK);

            assertEquals(Collections.nCopies(20, 5), pool.run(repeat(20, 5)));
        }

        @Test
        void stepModeIgnoresAQueueAtOrBelowTheThreshold() {
            SimulatedPool pool = new SimulatedPool(QueueDepthPolicy.builder().build(), 5, 1, 10, TICK);

            assertEquals(Collections.nCopies(20, 5), pool.run(repeat(20, 15)));
        }

        @Test
        void stepModeSettlesOnTheLoad() {
            SimulatedPool pool = new SimulatedPool(QueueDepthPolicy.builder().build(), 8, 1, 10, TICK);

            assertEquals(List.of(7, 6, 5, 5, 5, 5), pool.run(5, 5, 5, 5, 5, 5));
        }

        @Test
        void proportionalModeKeepsTheSizeThatMatchesTheLoad() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL).build();
            SimulatedPool pool = new SimulatedPool(policy, 5, 1, 10, TICK);

            assertEquals(Collections.nCopies(20, 5), pool.run(repeat(20, 5)));
        }

        @Test
        void proportionalModeCountsStartingWorkersAsAlreadyThere() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL).build();

            // 3 busy + 6 queued wants 9; 3 busy + 6 starting are 9 already.
            assertEquals(9, policy.desiredSize(Tick.of(0, 3, 6, 6, 1, 20, T0)));
        }
    }

    @Nested
    class Burst {
        @Test
        void proportionalModeGrowsInOneTickWithoutMaxStep() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL).build();
            SimulatedPool pool = new SimulatedPool(policy, 1, 1, 10, TICK);

            assertEquals(List.of(10, 10), pool.run(40, 40));
        }

        @Test
        void proportionalModeIsCappedByMaxStepAndMax() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL).maxStep(3).build();
            SimulatedPool pool = new SimulatedPool(policy, 1, 1, 10, TICK);

            assertEquals(List.of(4, 7, 10, 10), pool.run(40, 40, 40, 40));
        }

        @Test
        void proportionalModeWantsOneWorkerPerTargetQueued() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL).targetPerWorker(5).build();

            // 2 busy + ceil(7 / 5) = 4
            assertEquals(4, policy.desiredSize(Tick.of(0, 2, 7, 1, 10, T0)));
            assertEquals(3, policy.desiredSize(Tick.of(0, 2, 5, 1, 10, T0)));
        }

        @Test
        void stepModeGrowsOneWorkerPerTick() {
            SimulatedPool pool = new SimulatedPool(QueueDepthPolicy.builder().build(), 1, 1, 10, TICK);

            assertEquals(List.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 10), pool.run(repeat(10, 40)));
        }

        @Test
        void stepModeGrowsByMaxStep() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().maxStep(4).build();
            SimulatedPool pool = new SimulatedPool(policy, 1, 1, 10, TICK);

            assertEquals(List.of(5, 9, 10, 10), pool.run(40, 40, 40, 40));
        }

        @Test
        void stepModeWithUnlimitedStepJumpsToMax() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().unlimitedStep().build();

            assertEquals(10, policy.desiredSize(Tick.of(0, 1, 11, 1, 10, T0)));
        }
    }

    @Nested
    class Drain {
        @Test
        void stepModeRetiresOneIdleWorkerPerTick() {
            SimulatedPool pool = new SimulatedPool(QueueDepthPolicy.builder().build(), 5, 1, 10, TICK);

            assertEquals(List.of(4, 3, 2, 1, 1), pool.run(0, 0, 0, 0, 0));
        }

        @Test
        void proportionalModeWithoutWindowIsLimitedByMaxStepOnly() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL)
                    .maxStep(3).scaleDownStabilization(Duration.ZERO).build();
            SimulatedPool pool = new SimulatedPool(policy, 10, 1, 10, TICK);

            assertEquals(List.of(7, 4, 1, 1), pool.run(0, 0, 0, 0));
        }

        @Test
        void proportionalModeShrinksOnceTheWindowHoldsNoHigherRecommendation() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL)
                    .scaleDownStabilization(Duration.ofMinutes(2)).build();
            SimulatedPool pool = new SimulatedPool(policy, 1, 1, 10, TICK);

            // t=0s and t=30s recommend 10; from t=60s, 1. At t=150s the window [30s, 150s] still holds the
            // 10 of t=30s; at t=180s it does not.
            assertEquals(List.of(10, 10, 10, 10, 10, 10, 1, 1), pool.run(40, 40, 0, 0, 0, 0, 0, 0));
        }

        @Test
        void neverRetiresBusyWorkers() {
            QueueDepthPolicy step = QueueDepthPolicy.builder().unlimitedStep().build();
            QueueDepthPolicy proportional = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL)
                    .scaleDownStabilization(Duration.ZERO).build();

            assertEquals(4, step.desiredSize(Tick.of(2, 4, 0, 1, 10, T0)));
            assertEquals(4, proportional.desiredSize(Tick.of(2, 4, 0, 1, 10, T0)));
        }

        @Test
        void proportionalModeDoesNotShrinkWhileRequestsWait() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL)
                    .scaleDownStabilization(Duration.ZERO).build();

            // 2 busy + 1 queued recommends 3, but the 6 starting workers are about to take the queue.
            assertEquals(8, policy.desiredSize(Tick.of(0, 2, 6, 1, 1, 10, T0)));
        }

        @Test
        void scaleDownWhenNeverOnlyGrows() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().scaleDownWhen(ScaleDownWhen.NEVER).build();
            SimulatedPool pool = new SimulatedPool(policy, 5, 1, 10, TICK);

            assertEquals(List.of(6, 6, 6), pool.run(17, 0, 0));
        }

        @Test
        void scaleDownWhenNeverStillHonoursMax() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().scaleDownWhen(ScaleDownWhen.NEVER).build();

            assertEquals(10, policy.desiredSize(Tick.of(12, 0, 0, 1, 10, T0)));
        }
    }

    @Nested
    class Flapping {
        @Test
        void proportionalModeDoesNotOscillateInsideTheWindow() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL).build(); // window 5m
            SimulatedPool pool = new SimulatedPool(policy, 2, 1, 10, TICK);

            List<Integer> flapping = pool.run(alternate(20, 8, 0)); // 10 minutes of on/off load
            assertEquals(Collections.nCopies(20, 8), flapping);

            // The last 8 was recommended at t=540s (tick 18); the window [t-300s, t] holds it up to t=840s.
            List<Integer> quiet = pool.run(repeat(12, 0));
            assertEquals(List.of(8, 8, 8, 8, 8, 8, 8, 8, 8, 1, 1, 1), quiet);
            assertEquals(2, pool.changes(2));
        }

        @Test
        void withoutAWindowTheSameLoadStartsAndStopsWorkersEveryTick() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL)
                    .scaleDownStabilization(Duration.ZERO).build();
            SimulatedPool pool = new SimulatedPool(policy, 2, 1, 10, TICK);

            pool.run(alternate(20, 8, 0));
            assertEquals(20, pool.changes(2));
        }

        @Test
        void stepModeWithAWindowOnlyRatchetsUpWhileLoadComesAndGoes() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder()
                    .scaleDownStabilization(Duration.ofMinutes(2)).build();
            SimulatedPool pool = new SimulatedPool(policy, 3, 1, 10, TICK);

            // 25 outstanding requests leave more than 10 queued at every size up to 10.
            assertEquals(List.of(4, 4, 5, 5, 6, 6, 7, 7), pool.run(alternate(8, 25, 0)));
        }

        @Test
        void theWindowFollowsTheContextClockNotTheWallClock() {
            QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL)
                    .scaleDownStabilization(Duration.ofSeconds(60)).build();

            assertEquals(8, policy.desiredSize(Tick.of(0, 2, 6, 1, 10, T0)));
            assertEquals(8, policy.desiredSize(Tick.of(8, 0, 0, 1, 10, T0.plusSeconds(60))));
            assertEquals(1, policy.desiredSize(Tick.of(8, 0, 0, 1, 10, T0.plusSeconds(61))));
        }
    }

    @Test
    void eachBuildHasItsOwnWindow() {
        QueueDepthPolicy.Builder builder = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL);
        QueueDepthPolicy first = builder.build();
        QueueDepthPolicy second = builder.build();

        assertEquals(8, first.desiredSize(Tick.of(0, 2, 6, 1, 10, T0)));
        assertEquals(8, first.desiredSize(Tick.of(8, 0, 0, 1, 10, T0.plusSeconds(30))));
        assertEquals(1, second.desiredSize(Tick.of(8, 0, 0, 1, 10, T0.plusSeconds(30))));
    }

    @Test
    void proportionalDefaults() {
        QueueDepthPolicy policy = QueueDepthPolicy.builder().mode(Mode.PROPORTIONAL).build();

        assertEquals(1, policy.targetPerWorker());
        assertEquals(OptionalInt.empty(), policy.maxStep());
        assertEquals(Duration.ofMinutes(5), policy.scaleDownStabilization());
        assertEquals("queue-depth[mode=proportional, target-per-worker=1, max-step=unlimited,"
                + " scale-down-stabilization=5 min, scale-down-when=queue-empty]", policy.toString());
    }

    private static int[] repeat(int ticks, int demand) {
        int[] out = new int[ticks];
        java.util.Arrays.fill(out, demand);
        return out;
    }

    private static int[] alternate(int ticks, int high, int low) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            out.add(i % 2 == 0 ? high : low);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
