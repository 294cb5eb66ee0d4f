package dev.warmpool.benchmarks;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.core.WarmPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether a request costs more in a large pool: one caller, a {@code line} pool of {@code cat}
 * with 1 or 64 workers, as a latency distribution. With one caller all workers but one are idle,
 * so the difference is what idle workers cost the request path (the slot table, the idle set, the
 * housekeeper's sweeps, 64 reader and 64 stderr threads blocked in reads). With
 * {@code MOST_RECENTLY_USED} dispatch (the default) the caller keeps one hot {@code cat}; with
 * {@code LEAST_RECENTLY_USED} every request goes to the worker idle longest, so all 64 take turns,
 * which is the harder case for the CPU's caches.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ScaleBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class ScaleBenchmark {

    /** A {@code line} pool of {@code cat}. */
    @State(Scope.Benchmark)
    public static class CatPool {
        /** How many workers the pool holds. */
        @Param({"1", "64"})
        public int workers;
        /** Which idle worker takes the next request. */
        @Param({"MOST_RECENTLY_USED", "LEAST_RECENTLY_USED"})
        public PoolConfig.DispatchOrder order;
        WarmPool pool;

        /** Starts the pool, lets its workers settle and checks one answer. */
        @Setup(Level.Trial)
        public void start() {
            pool = WarmPool.start(Programs.poolConfig("line", Programs.cat(), workers).dispatchOrder(order).build());
            Programs.settle(pool.workerPids());
            Object answer = pool.submit(Programs.METHOD, Programs.TEXT).join();
            if (!Programs.TEXT.equals(answer)) {
                pool.close();
                throw new IllegalStateException("cat answered '" + answer + "'");
            }
        }

        /** Shuts the pool down. */
        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /**
     * @param s the pool
     * @return the answer
     */
    @Benchmark
    public Object oneCaller(CatPool s) {
        return s.pool.submit(Programs.METHOD, Programs.TEXT).join();
    }
}
