package dev.warmpool.benchmarks;

import dev.warmpool.core.WarmPool;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * The latency of one request from one caller, as a distribution (p50, p90, p99, p99.9):
 * <ul>
 *   <li>{@code floorJsonRpc}, {@code floorLine}: the floor. The benchmark thread writes the request
 *       frame to the worker's stdin and reads the answer frame from its stdout itself, with the same
 *       framing code the transports use and no pool: the cost of the pipe and the worker;</li>
 *   <li>{@code warmJsonRpc}: the same request to the same worker program through a {@code jsonrpc}
 *       pool. With {@code workers=16} the pool holds 15 more idle workers: what they cost the
 *       request path;</li>
 *   <li>{@code warmLine}, {@code warmCat}: a {@code line} pool of the Java line echo worker (same
 *       program as {@code floorLine}) and of {@code cat}.</li>
 * </ul>
 * The pool's overhead is warm minus floor on the same worker program.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class LatencyBenchmark {

    /** The JSON-RPC echo worker without a pool, after the handshake the pool would have done. */
    @State(Scope.Benchmark)
    public static class JsonRpcFloor {
        Programs.Bare worker;
        byte[] request;

        /** Starts the worker, shakes hands, and checks one answer. */
        @Setup(Level.Trial)
        public void start() {
            worker = new Programs.Bare(Programs.spec("floor", Programs.jsonRpcWorker()));
            worker.handshake();
            request = Programs.requestFrame(1);
            String answer = new String(worker.roundTrip(request), StandardCharsets.UTF_8);
            String expected = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"" + Programs.TEXT + "\"}}";
            if (!answer.equals(expected)) {
                throw new IllegalStateException("the JSON-RPC worker answered " + answer + " instead of " + expected);
            }
        }

        /** Stops the worker. */
        @TearDown(Level.Trial)
        public void stop() {
            worker.close();
        }
    }

    /** The Java line echo worker without a pool. */
    @State(Scope.Benchmark)
    public static class LineFloor {
        Programs.Bare worker;
        byte[] request;

        /** Starts the worker and checks one answer. */
        @Setup(Level.Trial)
        public void start() {
            worker = new Programs.Bare(Programs.spec("floor-line", Programs.lineWorker()));
            request = Programs.TEXT.getBytes(StandardCharsets.UTF_8);
            byte[] answer = worker.roundTrip(request);
            if (!Arrays.equals(answer, request)) {
                throw new IllegalStateException("the line worker answered '"
                        + new String(answer, StandardCharsets.UTF_8) + "'");
            }
        }

        /** Stops the worker. */
        @TearDown(Level.Trial)
        public void stop() {
            worker.close();
        }
    }

    /** A {@code jsonrpc} pool of the JSON-RPC echo worker; one caller, so all but one worker idle. */
    @State(Scope.Benchmark)
    public static class JsonRpcPool {
        /** How many workers the pool holds. */
        @Param({"1", "16"})
        public int workers;
        WarmPool pool;

        /** Starts the pool and waits for all its workers. */
        @Setup(Level.Trial)
        public void start() {
            pool = Programs.startPool("jsonrpc", Programs.jsonRpcWorker(), workers);
        }

        /** Shuts the pool down. */
        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /** A {@code line} pool of the Java line echo worker. */
    @State(Scope.Benchmark)
    public static class JavaLinePool {
        WarmPool pool;

        /** Starts the pool. */
        @Setup(Level.Trial)
        public void start() {
            pool = Programs.startPool("line", Programs.lineWorker(), 1);
        }

        /** Shuts the pool down. */
        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /** A {@code line} pool of {@code cat}. */
    @State(Scope.Benchmark)
    public static class CatPool {
        WarmPool pool;

        /** Starts the pool. */
        @Setup(Level.Trial)
        public void start() {
            pool = Programs.startPool("line", Programs.cat(), 1);
        }

        /** Shuts the pool down. */
        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /**
     * @param s the bare worker
     * @return the answer frame
     */
    @Benchmark
    public byte[] floorJsonRpc(JsonRpcFloor s) {
        return s.worker.roundTrip(s.request);
    }

    /**
     * @param s the bare worker
     * @return the answer line
     */
    @Benchmark
    public byte[] floorLine(LineFloor s) {
        return s.worker.roundTrip(s.request);
    }

    /**
     * @param s the pool
     * @return the result
     */
    @Benchmark
    public Object warmJsonRpc(JsonRpcPool s) {
        return s.pool.submit(Programs.METHOD, Programs.PARAMS).join();
    }

    /**
     * @param s the pool
     * @return the result
     */
    @Benchmark
    public Object warmLine(JavaLinePool s) {
        return s.pool.submit(Programs.METHOD, Programs.TEXT).join();
    }

    /**
     * @param s the pool
     * @return the result
     */
    @Benchmark
    public Object warmCat(CatPool s) {
        return s.pool.submit(Programs.METHOD, Programs.TEXT).join();
    }
}
