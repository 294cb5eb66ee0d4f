package dev.warmpool.benchmarks;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.core.WarmPool;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import dev.warmpool.transport.stdio.FrameReader;
import dev.warmpool.transport.stdio.FrameWriter;
import dev.warmpool.transport.stdio.Framing;
import dev.warmpool.transport.stdio.WorkerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker programs and the one request every benchmark sends, and how pools and bare processes
 * of them are started.
 *
 * <p>The Java workers run from the benchmarks jar itself: the class path is the code source of
 * this class (the shaded jar), or the JVM's class path when it runs from a classes directory.
 */
final class Programs {
    /** The method the JSON-RPC worker answers. */
    static final String METHOD = "echo";
    /** The text of the request: the line the line workers echo, and the JSON-RPC params' one member. */
    static final String TEXT = "hello, warmpool";
    /** The JSON-RPC params. */
    static final Map<String, Object> PARAMS = Map.of("text", TEXT);
    /** The frame limit: the pool's default, so the floor reads frames exactly as the pool does. */
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /**
     * The system property that replaces the Java workers' JVM options (blank-separated), for
     * experiments: {@code -jvmArgsAppend -Dwarmpool.benchmarks.workerJvmOptions="-XX:+UseSerialGC -XX:-UsePerfData"}.
     */
    static final String WORKER_JVM_OPTIONS_PROPERTY = "warmpool.benchmarks.workerJvmOptions";
    /** The JVM options of every Java worker, cold or warm, unless the property above says otherwise. */
    static final List<String> WORKER_JVM_OPTIONS = workerJvmOptions();

    private static final AtomicInteger IDS = new AtomicInteger();

    private Programs() {
    }

    private static List<String> workerJvmOptions() {
        String p = System.getProperty(WORKER_JVM_OPTIONS_PROPERTY);
        if (p == null) {
            return List.of("-XX:+UseSerialGC", "-Xmx128m");
        }
        return p.isBlank() ? List.of() : List.of(p.trim().split("\\s+"));
    }

    /** @return the argv of the JSON-RPC echo worker */
    static List<String> jsonRpcWorker() {
        return javaWorker(JsonRpcEchoWorker.class);
    }

    /** @return the argv of the JSON-RPC echo worker running its handlers inline (a diagnostic) */
    static List<String> jsonRpcWorkerInline() {
        List<String> argv = new ArrayList<>(javaWorker(JsonRpcEchoWorker.class));
        argv.add("inline");
        return argv;
    }

    /** @return the argv of the Java line echo worker */
    static List<String> lineWorker() {
        return javaWorker(LineEchoWorker.class);
    }

    /** @return the argv of {@code cat}, the non-JVM line worker */
    static List<String> cat() {
        return List.of("cat");
    }

    private static List<String> javaWorker(Class<?> main) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(WORKER_JVM_OPTIONS);
        argv.add("-cp");
        argv.add(classPath());
        argv.add(main.getName());
        return argv;
    }

    /** @return the benchmarks jar when running from it, else this JVM's class path */
    static String classPath() {
        return jar().map(Path::toString).orElseGet(() -> System.getProperty("java.class.path"));
    }

    /** @return the jar this class was loaded from, if it was loaded from a jar */
    static Optional<Path> jar() {
        try {
            var source = Programs.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path p = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** @return a builder for a fixed-size pool of {@code size} workers with the benchmarks' settings */
    static PoolConfig.Builder poolConfig(String transport, List<String> command, int size) {
        return PoolConfig.builder()
                .command(command)
                .transport(transport)
                .size(size)
                .minSize(1)
                .maxSize(Math.max(size, 1))
                .scalingInterval(Duration.ZERO)
                .noShutdownHook()
                .shutdownGrace(Duration.ofSeconds(5));
    }

    /** Starts a pool and checks, with one request, that it answers as expected. */
    static WarmPool startPool(String transport, List<String> command, int size) {
        return startPool(poolConfig(transport, command, size).build(), "jsonrpc".equals(transport));
    }

    /**
     * Starts a pool and checks, with one request, that it answers as expected: {@link #PARAMS} echoed by a
     * JSON-RPC worker, else {@link #TEXT} echoed as a line.
     */
    static WarmPool startPool(PoolConfig config, boolean jsonRpc) {
        WarmPool pool = WarmPool.start(config);
        try {
            settle(pool.workerPids());
            Object answer = jsonRpc ? pool.submit(METHOD, PARAMS).join() : pool.submit(METHOD, TEXT).join();
            Object expected = jsonRpc ? PARAMS : TEXT;
            if (!expected.equals(answer)) {
                throw new IllegalStateException("the " + config.transportName() + " pool of " + config.command()
                        + " answered " + answer + " instead of " + expected);
            }
        } catch (RuntimeException e) {
            pool.shutdown(Duration.ZERO);
            throw e;
        }
        return pool;
    }

    /**
     * Waits until the given processes are idle: until their CPU time grows by less than 2 ms in
     * 200 ms, for 10 s at most. A JVM that has answered its handshake still compiles and
     * initializes for a while; a benchmark of idle workers must not measure that.
     *
     * @param pids the processes
     */
    static void settle(List<Long> pids) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long before = cpuNanos(pids);
        while (System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = cpuNanos(pids);
            if (now - before < 2_000_000L) {
                return;
            }
            before = now;
        }
    }

    private static long cpuNanos(List<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            total += ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
        }
        return total;
    }

    /**
     * @return the spec the {@code jsonrpc} transport would start {@code command} with: the pool's
     *     default environment plus the framing variables the transport adds
     */
    static WorkerSpec spec(String prefix, List<String> command) {
        return spec(prefix, command, Map.of(JsonRpcProtocol.FRAMING_ENV, Framing.NEWLINE.configName(),
                JsonRpcProtocol.MAX_FRAME_BYTES_ENV, Integer.toString(MAX_FRAME_BYTES)));
    }

    /** @return the spec the {@code line} transport would start {@code command} with: the pool's default environment */
    static WorkerSpec lineSpec(String prefix, List<String> command) {
        return spec(prefix, command, Map.of());
    }

    private static WorkerSpec spec(String prefix, List<String> command, Map<String, String> transportEnv) {
        PoolConfig config = poolConfig("jsonrpc", command, 1).build();
        Map<String, String> env = new HashMap<>(config.workerEnvironment(System.getenv()));
        env.putAll(transportEnv);
        return new WorkerSpec(prefix + "-" + IDS.incrementAndGet(), command, env, Optional.empty(),
                config.startTimeout(), MAX_FRAME_BYTES, false, config.stderrTailLines(), Map.of());
    }

    /** @return the JSON-RPC request frame the pool sends for request number {@code id} */
    static byte[] requestFrame(long id) {
        return ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + METHOD + "\",\"params\":{\"text\":\""
                + TEXT + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** @return the {@code $/initialize} frame the pool sends first */
    static byte[] initializeFrame(String workerId) {
        return ("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"" + JsonRpcProtocol.INITIALIZE
                + "\",\"params\":{\"protocolVersion\":" + JsonRpcProtocol.PROTOCOL_VERSION + ",\"workerId\":\""
                + workerId + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A worker process spoken to directly, with no pool: the caller's thread writes a frame and reads
     * the answer. Not thread-safe.
     */
    static final class Bare implements AutoCloseable {
        final WorkerProcess process;
        final FrameWriter out;
        final FrameReader in;

        Bare(WorkerSpec spec) {
            process = WorkerProcess.start(spec);
            out = Framing.NEWLINE.writer(process.stdin(), MAX_FRAME_BYTES);
            in = Framing.NEWLINE.reader(process.stdout(), MAX_FRAME_BYTES);
        }

        /** Writes one frame and returns the next frame the worker writes. */
        byte[] roundTrip(byte[] frame) {
            try {
                out.write(frame);
                byte[] answer = in.read();
                if (answer == null) {
                    throw new IllegalStateException("worker " + process.id() + " closed its stdout; stderr: "
                            + process.stderrTail());
                }
                return answer;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Sends {@code $/initialize} and checks the answer, as the {@code jsonrpc} transport does. */
        void handshake() {
            String answer = new String(roundTrip(initializeFrame(process.id())), StandardCharsets.UTF_8);
            if (!answer.contains("\"protocolVersion\":" + JsonRpcProtocol.PROTOCOL_VERSION)) {
                throw new IllegalStateException("worker " + process.id() + " answered the handshake with " + answer);
            }
        }

        /** Closes stdin and waits until the process has exited. */
        int closeAndWait() {
            process.closeStdin();
            return process.onExit().join();
        }

        @Override
        public void close() {
            process.stop(Duration.ofSeconds(2)).join();
        }
    }
}
