package dev.warmpool.benchmarks;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Requests per second through a {@code jsonrpc} pool of the JSON-RPC echo worker, by pool size
 * ({@code poolSize}) and number of callers (the benchmark methods: 1, 4 and 16 threads, each
 * submitting a request and waiting for its answer). With more callers than workers, requests wait
 * in the pool's queue. On a machine with few cores the callers, the pool and the workers share them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ThroughputBenchmark {

    /** The pool, shared by all callers. */
    @State(Scope.Benchmark)
    public static class Pool {
        /** How many workers the pool holds. */
        @Param({"1", "2", "4"})
        public int poolSize;
        WarmPool pool;

        /** Starts the pool and waits for all its workers. */
        @Setup(Level.Trial)
        public void start() {
            pool = Programs.startPool("jsonrpc", Programs.jsonRpcWorker(), poolSize);
        }

        /** Shuts the pool down. */
        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /**
     * @param s the pool
     * @return the result
     */
    @Benchmark
    @Threads(1)
    public Object oneCaller(Pool s) {
        return s.pool.submit(Programs.METHOD, Programs.PARAMS).join();
    }

    /**
     * @param s the pool
     * @return the result
     */
    @Benchmark
    @Threads(4)
    public Object fourCallers(Pool s) {
        return s.pool.submit(Programs.METHOD, Programs.PARAMS).join();
    }

    /**
     * @param s the pool
     * @return the result
     */
    @Benchmark
    @Threads(16)
    public Object sixteenCallers(Pool s) {
        return s.pool.submit(Programs.METHOD, Programs.PARAMS).join();
    }
}
