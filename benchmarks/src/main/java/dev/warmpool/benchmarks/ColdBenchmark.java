package dev.warmpool.benchmarks;

import dev.warmpool.core.WarmPool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A process per request, today's approach, on the same worker programs as
 * {@link LatencyBenchmark}:
 * <ul>
 *   <li>{@code jvmJsonRpc}: start the JSON-RPC echo worker (a JVM), shake hands, send one request,
 *       read the answer, close its stdin and wait for it to exit;</li>
 *   <li>{@code jvmLine}: the {@code oneshot} transport (through a pool) with the Java line echo
 *       worker: start it, write the line, close stdin, read stdout to the end, wait for the exit;</li>
 *   <li>{@code cat}: the same with {@code cat}, a small non-JVM program;</li>
 *   <li>{@code catPlain}: {@code cat} started with a plain {@link ProcessBuilder} (no process group,
 *       no stderr drainer, no leftover check): the least a process per request can cost here.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ColdBenchmark {
    private static final byte[] REQUEST = Programs.requestFrame(1);
    private static final byte[] LINE = (Programs.TEXT + "\n").getBytes(StandardCharsets.UTF_8);

    /** A {@code oneshot} pool of the Java line echo worker. */
    @State(Scope.Benchmark)
    public static class JavaOneshot {
        WarmPool pool;

        /** Starts the pool (the {@code oneshot} transport starts no process until a call). */
        @Setup(Level.Trial)
        public void start() {
            pool = Programs.startPool("oneshot", Programs.lineWorker(), 1);
        }

        /** Shuts the pool down. */
        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /** A {@code oneshot} pool of {@code cat}. */
    @State(Scope.Benchmark)
    public static class CatOneshot {
        WarmPool pool;

        /** Starts the pool. */
        @Setup(Level.Trial)
        public void start() {
            pool = Programs.startPool("oneshot", Programs.cat(), 1);
        }

        /** Shuts the pool down. */
        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /**
     * @return the answer frame
     */
    @Benchmark
    public byte[] jvmJsonRpc() {
        Programs.Bare worker = new Programs.Bare(Programs.spec("cold", Programs.jsonRpcWorker()));
        try {
            worker.handshake();
            byte[] answer = worker.roundTrip(REQUEST);
            int status = worker.closeAndWait();
            if (status != 0) {
                throw new IllegalStateException("the JSON-RPC worker exited with status " + status + ": "
                        + new String(answer, StandardCharsets.UTF_8) + " " + worker.process.stderrTail());
            }
            return answer;
        } catch (RuntimeException e) {
            worker.process.kill();
            throw e;
        }
    }

    /**
     * @param s the pool
     * @return the result
     */
    @Benchmark
    public Object jvmLine(JavaOneshot s) {
        return s.pool.submit(Programs.METHOD, Programs.TEXT).join();
    }

    /**
     * @param s the pool
     * @return the result
     */
    @Benchmark
    public Object cat(CatOneshot s) {
        return s.pool.submit(Programs.METHOD, Programs.TEXT).join();
    }

    /**
     * @return the output
     * @throws IOException if the pipes fail
     * @throws InterruptedException never (JMH does not interrupt)
     */
    @Benchmark
    public byte[] catPlain() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("cat").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(LINE);
        }
        byte[] out = p.getInputStream().readAllBytes();
        int status = p.waitFor();
        if (status != 0 || out.length != LINE.length) {
            throw new IllegalStateException("cat exited with " + status + " after " + out.length + " bytes");
        }
        return out;
    }
}
